import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { timingProblems } from '../../../src/scenario/validate/timing.js';
import { pipeWith, topicLines } from '../../support/topic.js';

const timing = (change: Parameters<typeof pipeWith>[0]) => topicLines(timingProblems, pipeWith(change));

describe('validation topic: timing', () => {
  it('finds nothing wrong with sound durations, a delay and pauses in order', () => {
    assert.deepEqual(
      timing((s) => {
        Object.assign(s, { duration: '2s', warmup: '1s', drain: '1s', sampleInterval: '50ms', maxSendLag: '10ms' });
        Object.assign(s.topology.groups[1]!, {
          delay: [{ delay: '1ms', for: '1s' }, { delay: { exponential: { mean: '2ms' } } }],
          pauses: [
            { at: '1s', for: '1s' },
            { at: '2s', for: '1s' },
          ],
        });
      }),
      [],
    );
  });

  it("bounds the scenario's own durations", () => {
    assert.deepEqual(
      timing((s) => Object.assign(s, { duration: '0s', sampleInterval: '5ms', maxSendLag: '25h' })),
      [
        'duration: must be longer than 0s, got "0s"',
        'sampleInterval: must be from 10ms to 60s, got "5ms"',
        'maxSendLag: must be at most 24h, got "25h"',
      ],
    );
  });

  it('wants pauses that do not overlap and a uniform delay with min <= max', () => {
    assert.deepEqual(
      timing(
        (s) =>
          (s.topology.groups[1]!['pauses'] = [
            { at: '1s', for: '2s' },
            { at: '2s', for: '1s' },
          ]),
      ),
      ['topology.groups[1].pauses[1].at: must not be before the end of pauses[0] (3s): pauses must not overlap, got "2s"'],
    );
    assert.deepEqual(
      timing((s) => (s.topology.groups[1]!['delay'] = { uniform: { min: '2ms', max: '1ms' } })),
      ['topology.groups[1].delay.uniform.max: must be at least min (2ms), got "1ms"'],
    );
  });

  it('takes giveUpAfter with whenBlocked: give-up only, in whole ms', () => {
    assert.deepEqual(
      timing((s) => (s.topology.groups[0]!['giveUpAfter'] = '1.5ms')),
      [
        'topology.groups[0].giveUpAfter: is only allowed with whenBlocked: give-up (a sender that waits never gives up)',
        'topology.groups[0].giveUpAfter: must be a whole number of milliseconds (it sets the send timeout), got "1.5ms"',
      ],
    );
  });

  it('leaves a duration the schema refused to the schema', () => {
    assert.deepEqual(
      timing((s) => (s['duration'] = 5)),
      [],
    );
  });
});
