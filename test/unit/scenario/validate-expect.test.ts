import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expectationProblems } from '../../../src/scenario/validate/expect.js';
import { pipeWith, topicLines } from '../../support/topic.js';

const expecting = (thats: string[], change: Parameters<typeof pipeWith>[0] = () => {}) =>
  topicLines(
    expectationProblems,
    pipeWith((s) => {
      s['expect'] = { behaviour: 'B1', claim: 'a claim', seed: '001', assertions: thats.map((that) => ({ that, says: 'what it checks' })) };
      change(s);
    }),
  );

describe('validation topic: expectations', () => {
  it('finds nothing wrong with paths into the result of this scenario', () => {
    assert.deepEqual(expecting(['groups.work.received > 0', 'totals.lost == 0', 'groups.work.received <= groups.vent.sent']), []);
  });

  it('wants a group of this scenario and a plain number', () => {
    assert.deepEqual(expecting(['groups.wrk.received > 0', 'groups.work.received > 5ms']), [
      'expect.assertions[0].that: no group "wrk"; did you mean work?',
      'expect.assertions[1].that: "5ms" is not a plain number; write it in the field\'s unit without a suffix (latencies in µs, times in ms, shares as fractions of 1), such as 5000 for 5ms',
    ]);
  });

  it('wants a that it can read', () => {
    assert.deepEqual(expecting(['garbage']), [
      'expect.assertions[0].that: cannot read "garbage": expected <path> <operator> <number or path>, such as "groups.subscribers.loss.head > 0", with one of > >= < <= == !=',
    ]);
  });

  it('judges nothing while a group name has a problem of its own, or the block is refused', () => {
    assert.deepEqual(
      expecting(['groups.wrk.received > 0'], (s) => (s.topology.groups[1]!['name'] = '1work')),
      [],
    );
    assert.deepEqual(
      expecting(['groups.wrk.received > 0'], (s) => ((s['expect'] as Record<string, unknown>)['behaviour'] = 'X')),
      [],
    );
  });
});
