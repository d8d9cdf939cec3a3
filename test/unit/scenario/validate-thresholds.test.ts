import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { thresholdProblems } from '../../../src/scenario/validate/thresholds.js';
import { pipeWith, topicLines } from '../../support/topic.js';

const thresholds = (value: unknown, change: Parameters<typeof pipeWith>[0] = () => {}) =>
  topicLines(
    thresholdProblems,
    pipeWith((s) => {
      s['thresholds'] = value;
      change(s);
    }),
  );

describe('validation topic: thresholds', () => {
  it('finds nothing wrong with known metrics, groups and expressions', () => {
    assert.deepEqual(
      thresholds({ latency: ['p(99) < 5ms'], 'lost{group:work}': [{ threshold: 'count == 0', abortOnFail: true, delayAbortEval: '1s' }] }),
      [],
    );
  });

  it('wants a known metric, and an expression that fits it', () => {
    assert.deepEqual(thresholds({ lost: ['p(99) < 1ms'] }), ['thresholds.lost[0]: "p(99)" does not apply to lost; use count']);
    const [unknown] = thresholds({ bogus: ['count < 1'] });
    assert.match(unknown!, /^thresholds\.bogus: unknown metric "bogus"; expected one of latency, /);
  });

  it('wants a group that exists, when every group name could be read', () => {
    assert.deepEqual(thresholds({ 'latency{group:wrk}': ['p(99) < 1ms'] }), [
      'thresholds["latency{group:wrk}"]: no group "wrk"; the groups are vent, work',
    ]);
    // a group whose name has a problem of its own may be the one meant
    assert.deepEqual(
      thresholds({ 'latency{group:wrk}': ['p(99) < 1ms'] }, (s) => (s.topology.groups[1]!['name'] = '1work')),
      [],
    );
  });

  it('bounds delayAbortEval', () => {
    assert.deepEqual(thresholds({ lost: [{ threshold: 'count == 0', delayAbortEval: '25h' }] }), [
      'thresholds.lost[0].delayAbortEval: must be at most 24h, got "25h"',
    ]);
  });
});
