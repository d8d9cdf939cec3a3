import { test } from 'node:test';
import assert from 'node:assert/strict';
import { settledLoss, settleLossSeries } from '../../../src/collect/loss-series.js';
import { SequenceTracker, totalLost } from '../../../src/stats/sequence-tracker.js';
import type { TimeSeries } from '../../../src/core/types.js';

/**
 * A sink behind two workers: one stream, the even seqs through worker A, the odd through B.
 * Each interval's arrivals go to one exclusive tracker, sampled as the workers sample it: the
 * change of its open gaps per interval, then its loss at the end against `lastSeq`.
 */
function sinkBehindTwoWorkers(intervals: number[][], lastSeq: number): { changes: number[]; lost: number } {
  const t = new SequenceTracker('exclusive');
  const changes: number[] = [];
  let before = 0;
  for (const arrivals of intervals) {
    for (const seq of arrivals) t.record(1, 0, seq);
    changes.push(t.knownMissing() - before);
    before = t.knownMissing();
  }
  const [tally] = t.finish(() => lastSeq, [{ sourceId: 1, stream: 0 }]);
  return { changes, lost: totalLost(tally!.lost!) };
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

test('gaps that the other path fills a moment later are no loss at any point', () => {
  const { changes, lost } = sinkBehindTwoWorkers(
    [
      [0, 2, 4, 6], // A runs ahead: 1, 3, 5 missing
      [1, 3, 5, 7, 8, 10], // B catches up: only 9 missing
      [9, 11], // nothing missing
    ],
    11,
  );
  assert.deepEqual(changes, [3, -2, -1], 'the raw change of open gaps goes below zero');
  assert.equal(lost, 0);
  assert.deepEqual(settledLoss(changes, lost), [0, 0, 0]);
});

test('a gap never filled counts when it was seen, tail loss at the end', () => {
  const { changes, lost } = sinkBehindTwoWorkers(
    [
      [0, 2, 4, 6], // 1, 3, 5 missing
      [1, 3, 7, 8, 10], // 5 was dropped on B's way; 9 missing
      [9, 11], // 12 and 13 never come
    ],
    13,
  );
  assert.deepEqual(changes, [3, -1, -1]);
  assert.equal(lost, 3);
  assert.deepEqual(settledLoss(changes, lost), [1, 0, 2]);
});

test('a load-balanced group sees no gaps while running: its loss is known at the end only', () => {
  assert.deepEqual(settledLoss([0, 0, 0], 4), [0, 0, 4]);
});

test('gaps open at the last sample but filled after it are taken off from the end', () => {
  // open gaps 2, then 3; only 1 lost in the end
  assert.deepEqual(settledLoss([2, 1], 1), [1, 0]);
});

test('every point is >= 0 and the column adds up to the loss, whatever the gaps did', () => {
  const changes = [5, -7, 3, 0, -1, 4, -4, 2];
  for (const lost of [0, 1, 2, 3, 10]) {
    const settled = settledLoss(changes, lost);
    assert.ok(
      settled.every((v) => v >= 0),
      `${lost}: ${settled}`,
    );
    assert.equal(sum(settled), lost);
  }
  assert.deepEqual(settledLoss([], 0), []);
});

test('settleLossSeries settles every group against its own loss and keeps the other columns', () => {
  const series = {
    intervalMs: 100,
    points: 2,
    t: [100, 200],
    warmup: [false, false],
    workers: {},
    kernel: {},
    groups: {
      sink: {
        sent: [0, 0],
        received: [5, 5],
        lost: [3, -3],
        notSent: [0, 0],
        blockedMs: [0, 0],
        inFlight: [0, 0],
        latency: { p50: [1, 1], p99: [1, 1], max: [1, 1] },
        sendLagP99: [0, 0],
      },
      workers: {
        sent: [5, 5],
        received: [5, 5],
        lost: [0, 0],
        notSent: [0, 0],
        blockedMs: [0, 0],
        inFlight: [0, 0],
        latency: { p50: [0, 0], p99: [0, 0], max: [0, 0] },
        sendLagP99: [0, 0],
      },
    },
  } satisfies TimeSeries;
  const groups = [
    { name: 'sink', lost: 0 },
    { name: 'workers', lost: 2 },
  ];
  const settled = settleLossSeries(series, groups);
  assert.deepEqual(settled.groups['sink']!.lost, [0, 0]);
  assert.deepEqual(settled.groups['workers']!.lost, [0, 2]);
  assert.deepEqual(settled.groups['sink']!.received, [5, 5]);
  assert.deepEqual(series.groups.sink.lost, [3, -3], 'the input is left as it was');
});
