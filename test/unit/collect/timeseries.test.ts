import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { GroupSample, KernelSample, Sample, WorkerSample } from '../../../src/collect/sample.js';
import { DEFAULT_MAX_POINTS, TimeSeriesRecorder, type TimeSeries } from '../../../src/collect/timeseries.js';
import { createLatencyHistogram, encodeHistogram, recordNs, type Histogram } from '../../../src/stats/histogram.js';
import { mulberry32 } from '../../../src/core/prng.js';

/**
 * The series over a whole run: points planned or merged, every figure checked against the samples
 * it covers, a bounded size. What one point holds: timeseries-points.test.ts.
 */

const INTERVAL_MS = 100;

/** Encoded histograms with their raw values, so references can be built from the values themselves. */
interface PoolEntry {
  encoded: string;
  values: number[];
}

function makePool(seed: number, size: number, valuesEach: number): PoolEntry[] {
  const rand = mulberry32(seed);
  const pool: PoolEntry[] = [];
  for (let j = 0; j < size; j++) {
    // Each entry its own scale (~10 µs … ~10 ms), so which samples a point covers shows in its percentiles.
    const base = 10_000 * Math.pow(1000, j / size);
    const values: number[] = [];
    const h = createLatencyHistogram();
    for (let i = 0; i < valuesEach; i++) {
      const ns = base * Math.exp(rand() * 3);
      values.push(ns);
      recordNs(h, ns);
    }
    pool.push({ encoded: encodeHistogram(h), values });
  }
  return pool;
}

const POOL = makePool(7, 32, 200);

function quickLatencyOf(h: Histogram): { p50: number; p99: number; max: number } {
  // summarizeLatency's mean costs ~5 ms; the three percentiles are what the series holds.
  if (h.totalCount === 0) return { p50: 0, p99: 0, max: 0 };
  const us = (ns: number) => Math.round(ns) / 1000;
  return { p50: us(h.getValueAtPercentile(50)), p99: us(h.getValueAtPercentile(99)), max: us(h.getValueAtPercentile(100)) };
}

/** Deterministic synthetic run: group `a` always, `b` with gaps, `late` from a given sample on. */
interface Synthetic {
  samples: Sample[];
  /** pool index of each sample's histogram per group, -1 when none */
  histOf: Record<string, number[]>;
  /** the same for send lag: `a` sends (in two samples of three), the others do not */
  lagOf: Record<string, number[]>;
}

function synthetic(n: number, warmupSamples: number, lateFrom: number): Synthetic {
  const rand = mulberry32(99);
  const samples: Sample[] = [];
  const histOf: Record<string, number[]> = { a: [], b: [], late: [] };
  const lagOf: Record<string, number[]> = { a: [], b: [], late: [] };
  for (let i = 0; i < n; i++) {
    const groups: Record<string, GroupSample> = {};
    const group = (name: string, withHist: boolean): void => {
      const h = withHist ? Math.floor(rand() * POOL.length) : -1;
      histOf[name]![i] = h;
      const lag = name === 'a' && i % 3 !== 1 ? (i * 5 + 3) % POOL.length : -1;
      lagOf[name]![i] = lag;
      groups[name] = {
        sent: Math.floor(rand() * 10_000),
        received: Math.floor(rand() * 10_000),
        lost: Math.floor(rand() * 5),
        notSent: Math.floor(rand() * 3),
        // multiples of 1/8: sums stay exact in binary floating point
        blockedMs: Math.floor(rand() * 800) / 8,
        inFlight: i * 10 + name.length,
        histogram: h < 0 ? '' : POOL[h]!.encoded,
        // absent (a non-sender may leave it out) or '' when none
        ...(lag >= 0 ? { sendLagHistogram: POOL[lag]!.encoded } : name === 'b' ? { sendLagHistogram: '' } : {}),
      };
    };
    group('a', true);
    if (i % 7 !== 3) group('b', i % 5 === 0);
    else histOf['b']![i] = lagOf['b']![i] = -1;
    if (i >= lateFrom) group('late', i % 4 === 0);
    else histOf['late']![i] = lagOf['late']![i] = -1;

    const workers: Record<string, WorkerSample> = {
      w0: { eventLoopDelayP99Ms: rand() * 20, eventLoopDelayMaxMs: rand() * 100, heapUsedBytes: 50e6 + i, heapTotalBytes: 60e6 + i },
    };
    // w1 misses every 11th sample
    if (i % 11 !== 5)
      workers['w1'] = {
        eventLoopDelayP99Ms: rand() * 20,
        eventLoopDelayMaxMs: rand() * 100,
        heapUsedBytes: 70e6 + i,
        heapTotalBytes: 80e6 + i,
      };
    const kernel: Record<string, KernelSample> = {
      ep: { bindSendQueue: i, bindRecvQueue: 2 * i, connectSendQueue: 3 * i, connectRecvQueue: 4 * i },
    };
    samples.push({ tMs: (i + 1 - warmupSamples) * INTERVAL_MS, warmup: i < warmupSamples, groups, workers, kernel });
  }
  return { samples, histOf, lagOf };
}

/** Samples per point after n samples: the planned width k0, doubled until n < maxPoints·k. */
function expectedSamplesPerPoint(n: number, maxPoints: number, planned = 0): number {
  let k = Math.floor(planned / maxPoints) + 1;
  while (n >= maxPoints * k) k *= 2;
  return k;
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

/** Checks every figure of every point against the samples it must cover. */
function verify(syn: Synthetic, series: TimeSeries, maxPoints: number, checkLatencyEvery = 1, planned = 0): void {
  const { samples } = syn;
  const n = samples.length;
  const k = expectedSamplesPerPoint(n, maxPoints, planned);
  // Points merged after sealing (the run outlasted its plan) keep upper bounds, not exact percentiles.
  const merged = k !== expectedSamplesPerPoint(0, maxPoints, planned);
  assert.equal(series.intervalMs, INTERVAL_MS * k, 'interval doubled the right number of times');
  assert.equal(series.percentilesUpperBound, merged ? true : undefined, 'says when percentiles are bounds');
  assert.equal(series.points, Math.ceil(n / k));
  assert.ok(series.points <= maxPoints);
  assert.equal(series.t.length, series.points);
  assert.equal(series.warmup.length, series.points);
  for (let i = 1; i < series.points; i++) assert.ok(series.t[i]! > series.t[i - 1]!, `t increases at ${i}`);

  for (let p = 0; p < series.points; p++) {
    const from = p * k;
    const to = Math.min(from + k, n); // exclusive
    const covered = samples.slice(from, to);
    const last = covered[covered.length - 1]!;
    assert.equal(series.t[p], last.tMs, `t of point ${p} is the end of its last sample`);
    assert.equal(
      series.warmup[p],
      covered.every((s) => s.warmup),
      `warmup of point ${p}`,
    );

    for (const [name, g] of Object.entries(series.groups)) {
      for (const key of ['sent', 'received', 'lost', 'notSent', 'blockedMs'] as const) {
        const expected = covered.reduce((sum, s) => sum + (s.groups[name]?.[key] ?? 0), 0);
        assert.equal(g[key][p], expected, `${name}.${key} of point ${p}`);
      }
      assert.equal(g.inFlight[p], last.groups[name]?.inFlight ?? 0, `${name}.inFlight of point ${p}`);
      if (p % checkLatencyEvery === 0 || p === series.points - 1) {
        const ref = createLatencyHistogram();
        for (let i = from; i < to; i++) {
          const h = syn.histOf[name]![i]!;
          if (h >= 0) for (const ns of POOL[h]!.values) recordNs(ref, ns);
        }
        const got = { p50: g.latency.p50[p]!, p99: g.latency.p99[p]!, max: g.latency.max[p]! };
        const exact = quickLatencyOf(ref);
        if (!merged) assert.deepEqual(got, exact, `${name}.latency of point ${p}`);
        else {
          // A quantile of a union is at most the highest of the parts': never understated.
          assert.equal(got.max, exact.max, `${name}.latency.max of point ${p} stays exact`);
          assert.ok(
            got.p50 >= exact.p50 && got.p99 >= exact.p99,
            `${name}.latency of point ${p}: ${JSON.stringify(got)} bounds ${JSON.stringify(exact)}`,
          );
          assert.ok(got.p50 <= exact.max && got.p99 <= exact.max, `${name}.latency of point ${p} within the values`);
        }
        // Send lag p99: from one histogram of the point's send lags, as latency is.
        const lagRef = createLatencyHistogram();
        for (let i = from; i < to; i++) {
          const h = syn.lagOf[name]![i]!;
          if (h >= 0) for (const ns of POOL[h]!.values) recordNs(lagRef, ns);
        }
        const lagExact = quickLatencyOf(lagRef).p99;
        if (!merged) assert.equal(g.sendLagP99[p], lagExact, `${name}.sendLagP99 of point ${p}`);
        else assert.ok(g.sendLagP99[p]! >= lagExact, `${name}.sendLagP99 of point ${p} bounds ${lagExact}`);
      }
    }
    for (const [name, w] of Object.entries(series.workers)) {
      const maxOf = (key: 'eventLoopDelayP99Ms' | 'eventLoopDelayMaxMs') =>
        round3(Math.max(...covered.map((s) => s.workers[name]?.[key] ?? 0)));
      assert.equal(w.eventLoopDelayP99Ms[p], maxOf('eventLoopDelayP99Ms'), `${name} p99 of point ${p}`);
      assert.equal(w.eventLoopDelayMaxMs[p], maxOf('eventLoopDelayMaxMs'), `${name} max of point ${p}`);
      assert.equal(w.heapUsedBytes[p], last.workers[name]?.heapUsedBytes ?? 0, `${name} heap of point ${p}`);
      assert.equal(w.heapTotalBytes[p], last.workers[name]?.heapTotalBytes ?? 0, `${name} heap held at point ${p}`);
    }
    for (const [name, q] of Object.entries(series.kernel)) {
      for (const key of ['bindSendQueue', 'bindRecvQueue', 'connectSendQueue', 'connectRecvQueue'] as const) {
        assert.equal(q[key][p], last.kernel[name]?.[key] ?? 0, `${name}.${key} of point ${p}`);
      }
    }
  }

  // Per-interval sums equal the totals of what was added.
  for (const [name, g] of Object.entries(series.groups)) {
    for (const key of ['sent', 'received', 'lost', 'notSent', 'blockedMs'] as const) {
      const added = samples.reduce((sum, s) => sum + (s.groups[name]?.[key] ?? 0), 0);
      assert.equal(
        g[key].reduce((a, b) => a + b, 0),
        added,
        `sum of ${name}.${key}`,
      );
    }
  }
}

function record(samples: Sample[], maxPoints: number, plannedSamples?: number): TimeSeries {
  const rec = new TimeSeriesRecorder({ intervalMs: INTERVAL_MS, maxPoints, ...(plannedSamples === undefined ? {} : { plannedSamples }) });
  for (const s of samples) rec.add(s);
  return rec.finish();
}

test('without downsampling every sample is a point', () => {
  const syn = synthetic(50, 10, 20);
  const series = record(syn.samples, 1000);
  assert.equal(series.intervalMs, INTERVAL_MS);
  assert.equal(series.points, 50);
  assert.equal(series.t[0], -900);
  assert.equal(series.t[9], 0, 'the last warm-up interval ends where measurement starts');
  assert.deepEqual(series.warmup.slice(8, 12), [true, true, false, false]);
  verify(syn, series, 1000);
});

test('a planned run of 10,000 samples: 910 points of 11 samples, every percentile exact', () => {
  const syn = synthetic(10_000, 1_234, 2_500);
  const series = record(syn.samples, 1000, 10_000);
  assert.equal(series.intervalMs, 1100, 'floor(10,000 / 1,000) + 1 = 11 samples per point');
  assert.equal(series.points, 910);
  assert.equal(series.percentilesUpperBound, undefined);
  verify(syn, series, 1000, 5, 10_000);
});

test('a run that outlasts its plan: points merge in pairs, percentiles become upper bounds', () => {
  const syn = synthetic(3_000, 100, 500);
  // planned 1,000 samples at 3 per point; 3,000 arrive: two merges (6, then 12 per point)
  const series = record(syn.samples, 500, 1_000);
  assert.equal(series.intervalMs, 1200);
  assert.equal(series.percentilesUpperBound, true);
  verify(syn, series, 500, 1, 1_000);
});

test('10,000 unplanned samples into 1,000 points: sums, gauges, latency bounds, warm-up and late groups survive', () => {
  const syn = synthetic(10_000, 1_234, 2_500);
  const series = record(syn.samples, 1000);
  assert.equal(series.intervalMs, 1600, '100 ms doubled 4 times');
  assert.equal(series.points, 625);
  assert.deepEqual(Object.keys(series.groups), ['a', 'b', 'late']);
  assert.deepEqual(Object.keys(series.workers), ['w0', 'w1']);
  assert.deepEqual(Object.keys(series.kernel), ['ep']);
  // 1234 warm-up samples: points 0..76 (samples 0..1231) are all warm-up, point 77 straddles.
  assert.equal(series.warmup[76], true);
  assert.equal(series.warmup[77], false);
  assert.ok(series.t[76]! < 0 && series.t[77]! > 0);
  // `late` starts at sample 2500 = point 156 (2496..2511): zero before.
  const late = series.groups['late']!;
  assert.ok(late.sent.slice(0, 156).every((v) => v === 0));
  assert.ok(late.latency.max.slice(0, 156).every((v) => v === 0));
  assert.ok(late.sent[156]! > 0);
  assert.equal(series.groups['a']!.sendLagP99.length, series.points);
  assert.ok(
    series.groups['a']!.sendLagP99.every((v) => v > 0),
    'every merged point of the sender has its send lag',
  );
  assert.ok(
    series.groups['b']!.sendLagP99.every((v) => v === 0),
    'a group that sends nothing: 0',
  );
  verify(syn, series, 1000, 5);
});

test('odd maxPoints and small sizes keep every point on the same interval', () => {
  for (const [n, maxPoints] of [
    [8, 3],
    [9, 4],
    [7, 3],
    [2, 2],
    [3, 2],
    [100, 7],
    [1000, 10],
    [1, 2],
  ] as const) {
    const syn = synthetic(n, 3, 2);
    verify(syn, record(syn.samples, maxPoints), maxPoints);
  }
});

test('finish() can be called mid-run and recording goes on', () => {
  const syn = synthetic(300, 0, 0);
  const rec = new TimeSeriesRecorder({ intervalMs: INTERVAL_MS, maxPoints: 64 });
  syn.samples.slice(0, 150).forEach((s) => rec.add(s));
  const mid = rec.finish();
  verify({ samples: syn.samples.slice(0, 150), histOf: syn.histOf, lagOf: syn.lagOf }, mid, 64);
  syn.samples.slice(150).forEach((s) => rec.add(s));
  verify(syn, rec.finish(), 64);
});

test('an empty recorder gives an empty series; bad options throw', () => {
  const s = new TimeSeriesRecorder({ intervalMs: 100, maxPoints: 10 }).finish();
  assert.deepEqual(s, { intervalMs: 100, points: 0, t: [], warmup: [], groups: {}, workers: {}, kernel: {} });
  assert.throws(() => new TimeSeriesRecorder({ intervalMs: 0, maxPoints: 10 }), RangeError);
  assert.throws(() => new TimeSeriesRecorder({ intervalMs: 100, maxPoints: 1 }), RangeError);
  assert.throws(() => new TimeSeriesRecorder({ intervalMs: 100, maxPoints: 2.5 }), RangeError);
  assert.throws(() => new TimeSeriesRecorder({ intervalMs: 100, maxPoints: 10, plannedSamples: -1 }), RangeError);
  assert.throws(() => new TimeSeriesRecorder({ intervalMs: 100, maxPoints: 10, plannedSamples: Infinity }), RangeError);
});

test('a 1-hour run (36,000 samples, 3 groups, 2 workers, 1 endpoint) stays well under 5 MB', (t) => {
  const rand = mulberry32(2024);
  const groupNames = ['pipeline-push', 'pipeline-pull', 'req-rep'];
  const warmupSamples = 50;
  const rec = new TimeSeriesRecorder({ intervalMs: INTERVAL_MS, maxPoints: DEFAULT_MAX_POINTS, plannedSamples: 36_000 });
  let sentTotal = 0;
  const started = performance.now();
  let slowestAddMs = 0;
  for (let i = 0; i < 36_000; i++) {
    const groups: Record<string, GroupSample> = {};
    for (const [j, name] of groupNames.entries()) {
      const sent = 9_000 + Math.floor(rand() * 2_000);
      sentTotal += sent;
      groups[name] = {
        sent,
        received: sent - Math.floor(rand() * 3),
        lost: Math.floor(rand() * 2),
        notSent: 0,
        blockedMs: rand() * 30,
        inFlight: Math.floor(rand() * 1_000),
        // latencies in every 8th interval: decoding histograms is what costs time here, not
        // what makes the JSON large (that is the columns), so the suite stays quick
        histogram: i % 8 === 0 ? POOL[(i + j * 11) % POOL.length]!.encoded : '',
      };
    }
    const worker = (): WorkerSample => ({
      eventLoopDelayP99Ms: rand() * 15,
      eventLoopDelayMaxMs: rand() * 60,
      heapUsedBytes: Math.floor(40e6 + rand() * 200e6),
      heapTotalBytes: Math.floor(250e6 + rand() * 50e6),
    });
    const sample: Sample = {
      tMs: (i + 1 - warmupSamples) * INTERVAL_MS,
      warmup: i < warmupSamples,
      groups,
      workers: { 'worker-0': worker(), 'worker-1': worker() },
      kernel: {
        pipeline: {
          bindSendQueue: Math.floor(rand() * 1e6),
          bindRecvQueue: 0,
          connectSendQueue: 0,
          connectRecvQueue: Math.floor(rand() * 1e6),
        },
      },
    };
    const a = performance.now();
    rec.add(sample);
    slowestAddMs = Math.max(slowestAddMs, performance.now() - a);
  }
  const added = performance.now();
  const series = rec.finish();
  const finished = performance.now();
  const json = JSON.stringify(series);
  const bytes = Buffer.byteLength(json);

  assert.ok(bytes < 5 * 1024 * 1024, `${bytes} bytes`);
  assert.ok(series.points <= DEFAULT_MAX_POINTS);
  assert.equal(series.intervalMs, INTERVAL_MS * expectedSamplesPerPoint(36_000, DEFAULT_MAX_POINTS, 36_000));
  assert.equal(series.percentilesUpperBound, undefined, 'planned: nothing merged after sealing');
  let sentInSeries = 0;
  for (const name of groupNames) sentInSeries += series.groups[name]!.sent.reduce((a, b) => a + b, 0);
  assert.equal(sentInSeries, sentTotal);

  const report =
    `36,000 samples → ${series.points} points of ${series.intervalMs} ms; JSON ${(bytes / 1e6).toFixed(2)} MB; ` +
    `add() ${(added - started).toFixed(0)} ms in all (${(((added - started) / 36_000) * 1000).toFixed(0)} µs each, ` +
    `slowest ${slowestAddMs.toFixed(1)} ms); finish() ${(finished - added).toFixed(0)} ms`;
  t.diagnostic(report);
});
