import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sendLagProblem, sendLagProblems } from '../../../src/runtime/run-result.js';
import { group } from '../../support/sample-result.js';

describe('send lag bound', () => {
  it('builds the problem line with both figures formatted', () => {
    assert.equal(
      sendLagProblem('pusher', 12_345.6, 5),
      'generator fell behind: send lag p99 of pusher was 12.3ms, more than maxSendLag 5.00ms',
    );
    assert.equal(sendLagProblem('p', 1_500_000, 0.5), 'generator fell behind: send lag p99 of p was 1.50s, more than maxSendLag 500us');
  });

  const lagged = (name: string, p99Us: number, count = 100) =>
    group(
      {
        name,
        type: 'push',
        direction: 'sends',
        sendLag: { summary: { count, mean: p99Us, p50: p99Us, p90: p99Us, p99: p99Us, p999: p99Us, max: p99Us, min: 0 }, histogram: '' },
      },
      {},
    );

  it('one problem per sender group above the bound, none at or below it, none without a bound', () => {
    const groups = [
      lagged('fast', 4_000),
      lagged('exact', 5_000),
      lagged('slow', 5_100),
      group({ name: 'sink', type: 'pull', direction: 'receives' }, {}),
    ];
    assert.deepEqual(sendLagProblems(groups, 5), ['generator fell behind: send lag p99 of slow was 5.10ms, more than maxSendLag 5.00ms']);
    assert.deepEqual(sendLagProblems(groups, null), []);
    assert.deepEqual(sendLagProblems(groups, 1), [
      sendLagProblem('fast', 4_000, 1),
      sendLagProblem('exact', 5_000, 1),
      sendLagProblem('slow', 5_100, 1),
    ]);
  });

  it('a sender that sent nothing in the measured phase is not judged', () => {
    assert.deepEqual(sendLagProblems([lagged('idle', 0, 0)], 0), []);
  });
});
