import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { contextOf, pipeWith } from '../../support/topic.js';

describe('the context the validation topics share', () => {
  it('knows the measured time, 5s when left out, none when the duration has a problem', () => {
    assert.equal(contextOf(pipeWith()).durationMs, 5000);
    assert.equal(contextOf(pipeWith((s) => (s['duration'] = '1.5s'))).durationMs, 1500);
    assert.equal(contextOf(pipeWith((s) => (s['duration'] = '0s'))).durationMs, undefined);
    assert.equal(contextOf(pipeWith((s) => (s['duration'] = 'soon'))).durationMs, undefined);
  });

  it('tells sound places from places the schema found a problem at, inside or above', () => {
    const ctx = contextOf(pipeWith((s) => (s.topology.groups[1]!['count'] = 0)));
    assert.equal(ctx.sound('/topology/groups/1/count'), false);
    assert.equal(ctx.sound('/topology/groups/1'), false);
    assert.equal(ctx.sound('/topology/groups/1/count/x'), false);
    assert.equal(ctx.sound('/topology/groups/0/count'), true);
    assert.equal(ctx.refused('/topology/groups/1/count'), true);
    assert.equal(ctx.refused('/topology/groups/1'), false);
  });

  it('reads the groups: the first of a name, and whether every name, type and count could be read', () => {
    const ctx = contextOf(pipeWith((s) => s.topology.groups.push({ name: 'vent', type: 'pub', count: 3, bind: 'tasks' })));
    assert.deepEqual(ctx.groupInfo.get('vent'), { type: 'push', side: null, count: 1, hasForward: false });
    assert.deepEqual([ctx.namesComplete, ctx.typesComplete, ctx.countsComplete], [true, true, true]);
    assert.deepEqual(
      ctx.groups.map((g) => g.label),
      ['group "vent"', 'group "work"', 'group "vent"'],
    );

    const unnamed = contextOf(pipeWith((s) => (s.topology.groups[1]!['name'] = '1work')));
    assert.equal(unnamed.namesComplete, false);
    assert.equal(unnamed.groups[1]!.label, 'group "#1"');
    assert.equal(contextOf(pipeWith((s) => (s.topology.groups[1]!['type'] = 'pully'))).typesComplete, false);
  });

  it('reads the endpoints: first declarations, external ones and their addresses', () => {
    const ctx = contextOf(pipeWith((s) => s.topology.endpoints.push({ name: 'svc', external: 'tcp://127.0.0.1:5555' }, 'tasks')));
    assert.deepEqual(
      [...ctx.endpoints.declared],
      [
        ['tasks', 0],
        ['svc', 1],
      ],
    );
    assert.deepEqual([...ctx.endpoints.external], ['svc']);
    assert.deepEqual([...ctx.endpoints.addresses], [['svc', { i: 1, address: 'tcp://127.0.0.1:5555' }]]);
    assert.equal(ctx.endpoints.complete, true);
  });
});
