import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { GroupSample } from '../../../src/collect/sample.js';
import { TimeSeriesRecorder } from '../../../src/collect/timeseries.js';
import { createLatencyHistogram, encodeHistogram, recordNs, summarizeLatency, type Histogram } from '../../../src/stats/histogram.js';

/** What one point of the series holds when it covers several samples: merged figures and percentiles of all of them. */

/** Percentiles as the recorder reports them (same definitions as summarizeLatency). */
function latencyOf(h: Histogram): { p50: number; p99: number; max: number } {
  if (h.totalCount === 0) return { p50: 0, p99: 0, max: 0 };
  const s = summarizeLatency(h);
  return { p50: s.p50, p99: s.p99, max: s.max };
}

test('merged points: counters sum, gauges take the later value, delays the worst', () => {
  const rec = new TimeSeriesRecorder({ intervalMs: 100, maxPoints: 2 });
  const g = (sent: number, inFlight: number, blockedMs: number): GroupSample => ({
    sent,
    received: sent - 1,
    lost: 1,
    notSent: 0,
    blockedMs,
    inFlight,
    histogram: '',
  });
  rec.add({
    tMs: -100,
    warmup: true,
    groups: { x: g(10, 5, 1.5), gone: g(3, 7, 0) },
    workers: {
      w: { eventLoopDelayP99Ms: 9, eventLoopDelayMaxMs: 40, heapUsedBytes: 1000, heapTotalBytes: 2000 },
      wgone: { eventLoopDelayP99Ms: 1, eventLoopDelayMaxMs: 2, heapUsedBytes: 3, heapTotalBytes: 4 },
    },
    kernel: {
      e: { bindSendQueue: 100, bindRecvQueue: 200, connectSendQueue: 300, connectRecvQueue: 400 },
      egone: { bindSendQueue: 1, bindRecvQueue: 1, connectSendQueue: 1, connectRecvQueue: 1 },
    },
  });
  rec.add({
    tMs: 0,
    warmup: false,
    groups: { x: g(20, 2, 0.25), fresh: g(4, 8, 0) },
    workers: { w: { eventLoopDelayP99Ms: 3, eventLoopDelayMaxMs: 50, heapUsedBytes: 900, heapTotalBytes: 1900 } },
    kernel: { e: { bindSendQueue: 0, bindRecvQueue: 50, connectSendQueue: 0, connectRecvQueue: 0 } },
  });
  const s = rec.finish();
  assert.equal(s.intervalMs, 200);
  assert.equal(s.points, 1);
  assert.deepEqual(s.t, [0]);
  assert.deepEqual(s.warmup, [false], 'warm-up only if both were');
  assert.deepEqual(s.groups['x']!.sent, [30]);
  assert.deepEqual(s.groups['x']!.received, [28]);
  assert.deepEqual(s.groups['x']!.lost, [2]);
  assert.deepEqual(s.groups['x']!.blockedMs, [1.75]);
  assert.deepEqual(s.groups['x']!.inFlight, [2], 'the later inFlight');
  assert.deepEqual(s.groups['gone']!.sent, [3]);
  assert.deepEqual(s.groups['gone']!.inFlight, [0], 'absent from the later sample: 0 there');
  assert.deepEqual(s.groups['fresh']!.inFlight, [8]);
  assert.deepEqual(s.workers['w'], { eventLoopDelayP99Ms: [9], eventLoopDelayMaxMs: [50], heapUsedBytes: [900], heapTotalBytes: [1900] });
  assert.deepEqual(s.workers['wgone'], { eventLoopDelayP99Ms: [1], eventLoopDelayMaxMs: [2], heapUsedBytes: [0], heapTotalBytes: [0] });
  assert.deepEqual(s.kernel['e'], { bindSendQueue: [0], bindRecvQueue: [50], connectSendQueue: [0], connectRecvQueue: [0] });
  assert.deepEqual(s.kernel['egone'], { bindSendQueue: [0], bindRecvQueue: [0], connectSendQueue: [0], connectRecvQueue: [0] });
});

test('a point of several samples has the percentiles of one histogram of all its samples', () => {
  // maxPoints 4, 9 samples planned: 3 samples per point, 3 points, each summed in the accumulator.
  const values = [
    [1_000, 2_000, 3_000],
    [50_000],
    [7_000, 7_100, 900_000],
    [10, 20],
    [5_000_000],
    [3_333, 4_444],
    [120_000, 130_000, 140_000],
    [1],
    [42_000, 43_000],
  ];
  const rec = new TimeSeriesRecorder({ intervalMs: 100, maxPoints: 4, plannedSamples: 9 });
  values.forEach((vs, i) => {
    const h = createLatencyHistogram();
    for (const v of vs) recordNs(h, v);
    rec.add({
      tMs: (i + 1) * 100,
      warmup: false,
      groups: { g: { sent: 1, received: 1, lost: 0, notSent: 0, blockedMs: 0, inFlight: 0, histogram: encodeHistogram(h) } },
      workers: {},
      kernel: {},
    });
  });
  const s = rec.finish();
  assert.equal(s.intervalMs, 300);
  assert.equal(s.points, 3);
  assert.equal(s.percentilesUpperBound, undefined);
  for (const [p, range] of [
    [0, [0, 3]],
    [1, [3, 6]],
    [2, [6, 9]],
  ] as const) {
    const ref = createLatencyHistogram();
    for (const vs of values.slice(range[0], range[1])) for (const v of vs) recordNs(ref, v);
    const lat = s.groups['g']!.latency;
    assert.deepEqual({ p50: lat.p50[p], p99: lat.p99[p], max: lat.max[p] }, latencyOf(ref), `point ${p}`);
  }
  // Not an average of the parts' percentiles: point 0's p50 is the 4th of its 7 values (7000 ns,
  // reported as its bucket's top like every percentile here).
  assert.equal(s.groups['g']!.latency.p50[0], 7.003);
});

test('send lag p99: a point of several samples has the p99 of one histogram of all its send lags', () => {
  // As above: 3 samples per point. Sample 3 sent nothing.
  const lags = [
    [1_000, 2_000],
    [3_000_000],
    [5_000, 6_000, 7_000],
    [],
    [10_000],
    [20_000, 30_000],
    [40_000],
    [9_000_000, 8_000_000],
    [70_000],
  ];
  const rec = new TimeSeriesRecorder({ intervalMs: 100, maxPoints: 4, plannedSamples: 9 });
  lags.forEach((vs, i) => {
    const h = createLatencyHistogram();
    for (const v of vs) recordNs(h, v);
    const sender: GroupSample = {
      sent: vs.length,
      received: 0,
      lost: 0,
      notSent: 0,
      blockedMs: 0,
      inFlight: 0,
      histogram: '',
      sendLagHistogram: vs.length > 0 ? encodeHistogram(h) : '',
    };
    const receiver: GroupSample = { sent: 0, received: vs.length, lost: 0, notSent: 0, blockedMs: 0, inFlight: 0, histogram: '' };
    rec.add({ tMs: (i + 1) * 100, warmup: false, groups: { pusher: sender, puller: receiver }, workers: {}, kernel: {} });
  });
  const s = rec.finish();
  assert.equal(s.points, 3);
  for (const [p, range] of [
    [0, [0, 3]],
    [1, [3, 6]],
    [2, [6, 9]],
  ] as const) {
    const ref = createLatencyHistogram();
    for (const vs of lags.slice(range[0], range[1])) for (const v of vs) recordNs(ref, v);
    assert.equal(s.groups['pusher']!.sendLagP99[p], latencyOf(ref).p99, `point ${p}`);
  }
  // 6 values in point 0: its p99 is the largest (3 ms); point 2's is 9 ms, though a sample of it has 40 µs.
  assert.ok(Math.abs(s.groups['pusher']!.sendLagP99[0]! - 3_000) < 3, String(s.groups['pusher']!.sendLagP99[0]));
  assert.ok(Math.abs(s.groups['pusher']!.sendLagP99[2]! - 9_000) < 9, String(s.groups['pusher']!.sendLagP99[2]));
  assert.deepEqual(s.groups['puller']!.sendLagP99, [0, 0, 0], 'a group that sends nothing has zeros');
  assert.deepEqual(s.groups['pusher']!.latency.p99, [0, 0, 0], 'send lag is not latency');
});
