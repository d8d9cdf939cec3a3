import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  MAX_TRACKABLE_NS,
  createLatencyHistogram,
  createRecordingHistogram,
  decodeHistogram,
  enableWasmHistograms,
  encodeHistogram,
  mergeEncoded,
  recordNs,
  releaseHistogram,
  summarizeLatency,
  type Histogram,
} from '../../../src/stats/histogram.js';
import { mulberry32 } from '../../../src/core/prng.js';

const PERCENTILES = [0, 1, 10, 25, 50, 75, 90, 99, 99.9, 99.99, 100];

/** What must survive encode/merge. Not raw `maxValue`: decoding rounds it up to its bucket's top (p100 covers max). */
function shape(h: Histogram): Record<string, number> {
  const out: Record<string, number> = {
    count: h.totalCount,
    minNonZero: h.minNonZeroValue,
    mean: h.mean,
  };
  for (const p of PERCENTILES) out[`p${p}`] = h.getValueAtPercentile(p);
  return out;
}

test('merging encoded parts equals the histogram of all samples', () => {
  for (const seed of [1, 42, 2024]) {
    const rand = mulberry32(seed);
    const all = createLatencyHistogram();
    const parts = [createLatencyHistogram(), createLatencyHistogram(), createLatencyHistogram(), createLatencyHistogram()];
    for (let i = 0; i < 20_000; i++) {
      // Log-uniform from ~100 ns to ~10 s, plus a few zeros, so many buckets are used.
      const ns = rand() < 0.01 ? 0 : Math.exp(Math.log(100) + rand() * Math.log(1e8));
      recordNs(all, ns);
      recordNs(parts[Math.floor(rand() * parts.length)]!, ns);
    }
    const merged = mergeEncoded(parts.map(encodeHistogram));
    assert.deepEqual(shape(merged), shape(all), `seed ${seed}`);
    assert.deepEqual(summarizeLatency(merged), summarizeLatency(all), `seed ${seed}`);
  }
});

test('merging skips empty strings and an empty part changes nothing', () => {
  const a = createLatencyHistogram();
  for (const ns of [500, 1500, 2500, 1_000_000]) recordNs(a, ns);
  const merged = mergeEncoded(['', encodeHistogram(a), encodeHistogram(createLatencyHistogram())]);
  assert.deepEqual(shape(merged), shape(a));
});

test('encode/decode round-trips', () => {
  const h = createLatencyHistogram();
  for (const ns of [1, 10, 100, 1000, 10_000, 1e6, 1e9, 1e12]) recordNs(h, ns);
  assert.deepEqual(shape(decodeHistogram(encodeHistogram(h))), shape(h));
});

test('summary is in microseconds', () => {
  const h = createLatencyHistogram();
  // Below 2048 ns the histogram is exact at 3 significant digits.
  recordNs(h, 1500);
  recordNs(h, 1500);
  recordNs(h, 2000);
  const s = summarizeLatency(h);
  assert.equal(s.count, 3);
  assert.equal(s.min, 1.5);
  assert.equal(s.p50, 1.5);
  assert.equal(s.max, 2);
  assert.ok(Math.abs(s.mean - 5000 / 3 / 1000) < 0.001, `mean ${s.mean}`);

  const big = createLatencyHistogram();
  recordNs(big, 250_000_000); // 250 ms
  const b = summarizeLatency(big);
  assert.ok(Math.abs(b.p99 - 250_000) / 250_000 < 0.001, `p99 ${b.p99}`);
  // 3 decimals at most (whole nanoseconds)
  for (const v of Object.values(b)) assert.equal(Math.round(v * 1000) / 1000, v);
});

test('recordNs rounds to whole nanoseconds', () => {
  const h = createLatencyHistogram();
  recordNs(h, 1499.6);
  recordNs(h, 1500.4);
  assert.equal(h.totalCount, 2);
  assert.equal(h.getValueAtPercentile(0), 1500);
  assert.equal(h.maxValue, 1500);
});

test('negative, huge and non-finite values do not throw', () => {
  const h = createLatencyHistogram();
  assert.doesNotThrow(() => {
    recordNs(h, -5);
    recordNs(h, -Infinity);
    recordNs(h, 1e20);
    recordNs(h, Infinity);
    recordNs(h, MAX_TRACKABLE_NS * 10);
    recordNs(h, NaN); // ignored
  });
  assert.equal(h.totalCount, 5);
  const s = summarizeLatency(h);
  assert.equal(s.min, 0, 'negatives are clamped to 0');
  // max is clamped to one hour, give or take bucket resolution
  assert.ok(Math.abs(s.max - MAX_TRACKABLE_NS / 1000) / (MAX_TRACKABLE_NS / 1000) < 0.001, `max ${s.max}`);
  // and the clamped histogram still encodes and merges
  assert.equal(mergeEncoded([encodeHistogram(h), encodeHistogram(h)]).totalCount, 10);
});

test('every value from 0 to an hour can be recorded', () => {
  const h = createLatencyHistogram();
  assert.doesNotThrow(() => {
    for (let ns = 1; ns <= MAX_TRACKABLE_NS; ns *= 3) recordNs(h, ns);
    recordNs(h, 0);
    recordNs(h, MAX_TRACKABLE_NS);
    recordNs(h, MAX_TRACKABLE_NS - 1);
  });
});

test('empty histograms summarize to zeros', () => {
  const zeros = { count: 0, mean: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0, min: 0 };
  assert.deepEqual(summarizeLatency(createLatencyHistogram()), zeros);
  assert.deepEqual(summarizeLatency(mergeEncoded([])), zeros);
  assert.deepEqual(summarizeLatency(mergeEncoded(['', ''])), zeros);
  assert.deepEqual(summarizeLatency(decodeHistogram(encodeHistogram(createLatencyHistogram()))), zeros);
});

test('a WASM recording histogram encodes to the same bytes as a JS one, also after reset', async () => {
  assert.equal(await enableWasmHistograms(), true);
  const wasm = createRecordingHistogram();
  const js = createLatencyHistogram();
  try {
    assert.notEqual(wasm.constructor, js.constructor, 'createRecordingHistogram should be WASM once enabled');
    const rand = mulberry32(7);
    const fill = (n: number) => {
      for (let i = 0; i < n; i++) {
        const ns = Math.exp(rand() * Math.log(1e10));
        recordNs(wasm, ns);
        recordNs(js, ns);
      }
      for (const ns of [-5, 0, MAX_TRACKABLE_NS * 2, Number.NaN, 1499.6]) {
        recordNs(wasm, ns);
        recordNs(js, ns);
      }
    };
    fill(5000);
    assert.equal(encodeHistogram(wasm), encodeHistogram(js));
    assert.deepEqual(shape(decodeHistogram(encodeHistogram(wasm))), shape(decodeHistogram(encodeHistogram(js))));
    // Interval histograms are encoded and reset at every sample.
    wasm.reset();
    js.reset();
    assert.equal(wasm.totalCount, 0);
    assert.equal(encodeHistogram(wasm), encodeHistogram(js));
    fill(300);
    assert.equal(encodeHistogram(wasm), encodeHistogram(js));
    assert.deepEqual(summarizeLatency(decodeHistogram(encodeHistogram(wasm))), summarizeLatency(decodeHistogram(encodeHistogram(js))));
  } finally {
    releaseHistogram(wasm);
  }
  assert.throws(() => wasm.recordValue(1), /destroyed/);
});
