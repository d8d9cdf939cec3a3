import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { topologyProblems } from '../../../src/scenario/validate/topology.js';
import { pipeWith, topicLines } from '../../support/topic.js';

const topology = (change: Parameters<typeof pipeWith>[0]) => topicLines(topologyProblems, pipeWith(change));
const group = (i: number, fields: Record<string, unknown>) => topology((s) => Object.assign(s.topology.groups[i]!, fields));

describe('validation topic: topology and sides', () => {
  it('finds nothing wrong with a push bound and a pull connected', () => {
    assert.deepEqual(
      topology(() => {}),
      [],
    );
  });

  it('wants unique endpoints, each used', () => {
    assert.deepEqual(
      topology((s) => s.topology.endpoints.push('tasks')),
      ['topology.endpoints[1]: must be unique (also topology.endpoints[0]), got "tasks"'],
    );
    assert.deepEqual(
      topology((s) => s.topology.endpoints.push('spare')),
      ['topology.endpoints[1]: endpoint "spare" is not used by any group'],
    );
  });

  it('wants exactly one of bind and connect, to declared endpoints', () => {
    assert.deepEqual(group(1, { connect: undefined }), ['topology.groups[1]: must have exactly one of bind or connect, got neither']);
    assert.deepEqual(group(1, { connect: 'nosuch' }), [
      'topology.groups[1].connect: endpoint "nosuch" is not declared in topology.endpoints',
    ]);
  });

  it('wants peers of types that talk to each other', () => {
    assert.deepEqual(group(1, { type: 'sub' }), [
      'topology.groups[1].connect: sub can only talk to pub or xpub, got push (group "vent" binds endpoint "tasks")',
    ]);
  });

  it('refuses a forward that leads back to its own group', () => {
    const loop = topology((s) => {
      s.topology.endpoints.push('back');
      s.topology.groups.push({ name: 'stage', type: 'pull', bind: 'back', forward: { type: 'push', connect: 'back' } });
    });
    assert.deepEqual(loop, [
      'topology.groups[2].forward: must not lead back to the same group (messages would circle forever), got "stage" → "stage"',
    ]);
  });
});
