/**
 * Latency histograms (HdrHistogram). Values are recorded in integer nanoseconds; summaries are
 * reported in microseconds.
 *
 * Two builds: the recording side (roles, once per message) uses WASM where it could be
 * initialised, several times cheaper per record (bench/micro.ts); everything else (decode, add,
 * merge, summaries) is JS, the only build decode and add() work in (trap 25 in
 * docs/zeromq-traps.md). Both encode to the same bytes. WASM memory is not garbage-collected:
 * every recording histogram must go back through releaseHistogram().
 */
import {
  build,
  decodeFromCompressedBase64,
  encodeIntoCompressedBase64,
  initWebAssembly,
  JsHistogram,
  type Histogram,
} from 'hdr-histogram-js';
import type { LatencySummary } from '../core/types.js';

export type { Histogram };

/** One hour in ns: anything slower is clamped, not dropped, so counts stay exact. */
export const MAX_TRACKABLE_NS = 3_600_000_000_000;

/**
 * A fixed range (no autoResize): recordNs clamps, so nothing can throw, and a fixed layout keeps
 * recording allocation-free and lets add() take its fast path (same bucket layout on both sides).
 * Cost: ~136 KB of Int32 counts per histogram; a single bucket would need 2^31 samples to overflow.
 */
export function createLatencyHistogram(): Histogram {
  return buildLatencyHistogram(false);
}

function buildLatencyHistogram(useWebAssembly: boolean): Histogram {
  return build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: MAX_TRACKABLE_NS,
    numberOfSignificantValueDigits: 3,
    autoResize: false,
    useWebAssembly,
  });
}

/** Per thread: WASM is initialised per module instance, so per worker thread and process. */
let wasmReady = false;

/**
 * Makes createRecordingHistogram() build WASM histograms in this thread. Call once per thread
 * before building them; false (and JS histograms) when WebAssembly cannot be initialised here
 * or ZMQ_BENCH_JS_HISTOGRAMS=1 asks for JS (to compare the two).
 */
export async function enableWasmHistograms(): Promise<boolean> {
  if (process.env['ZMQ_BENCH_JS_HISTOGRAMS'] === '1') return false;
  if (wasmReady) return true;
  try {
    await initWebAssembly();
    wasmReady = true;
  } catch {
    wasmReady = false;
  }
  return wasmReady;
}

/**
 * A histogram that records once per message: WASM after enableWasmHistograms(), else JS.
 * Give it back with releaseHistogram() once encoded for the last time.
 */
export function createRecordingHistogram(): Histogram {
  return buildLatencyHistogram(wasmReady);
}

/** Frees a WASM histogram's memory (a no-op for JS); it must not be used afterwards. */
export function releaseHistogram(h: Histogram): void {
  h.destroy();
}

/**
 * Records one latency; negatives (clock skew) become 0, NaN is ignored, huge values are clamped,
 * fractions rounded. The usual case (a whole number in range) takes the first branch only.
 */
export function recordNs(h: Histogram, ns: number): void {
  if (ns >= 0 && ns < MAX_TRACKABLE_NS && Math.floor(ns) === ns) h.recordValue(ns);
  else recordUnusual(h, ns);
}

function recordUnusual(h: Histogram, ns: number): void {
  // NaN would fail every comparison and land in the histogram as garbage: skip it.
  if (!(ns >= 0)) {
    if (Number.isNaN(ns)) return;
    h.recordValue(0);
    return;
  }
  h.recordValue(ns >= MAX_TRACKABLE_NS ? MAX_TRACKABLE_NS : Math.round(ns));
}

export function encodeHistogram(h: Histogram): string {
  return encodeIntoCompressedBase64(h);
}

/** Always a JS histogram (never WASM), so it can be add()ed to others. */
export function decodeHistogram(s: string): Histogram {
  return decodeFromCompressedBase64(s, 32, false);
}

/** Sum of the encoded histograms; empty strings are skipped (a role that recorded nothing). */
export function mergeEncoded(encoded: readonly string[]): Histogram {
  const total = createLatencyHistogram();
  // Parts normally share our layout; autoResize only matters if one came from elsewhere with a
  // wider range, where add() would otherwise throw.
  total.autoResize = true;
  for (const s of encoded) {
    if (s.trim() === '') continue;
    total.add(decodeHistogram(s));
  }
  return total;
}

/** ns → µs with 3 decimals (i.e. whole nanoseconds). */
function toMicros(ns: number): number {
  return Math.round(ns) / 1000;
}

export function summarizeLatency(h: Histogram): LatencySummary {
  if (h.totalCount === 0) {
    // The library reports min as MAX_SAFE_INTEGER (or Number.MAX_VALUE after decode) when empty.
    return { count: 0, mean: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0, min: 0 };
  }
  return {
    count: h.totalCount,
    mean: toMicros(h.mean),
    p50: toMicros(h.getValueAtPercentile(50)),
    p90: toMicros(h.getValueAtPercentile(90)),
    p99: toMicros(h.getValueAtPercentile(99)),
    p999: toMicros(h.getValueAtPercentile(99.9)),
    // Not h.maxValue: that is exact when recorded but rounded up to its bucket's top once decoded,
    // so a local and a merged summary would disagree. p100 is the bucket top either way.
    max: toMicros(h.getValueAtPercentile(100)),
    // percentile 0 = lowest recorded bucket, including 0 (minNonZeroValue would skip clamped zeros)
    min: toMicros(h.getValueAtPercentile(0)),
  };
}

/**
 * Values per bucket of fixed upper bounds (ns, ascending), plus one past the last bound: what a
 * Prometheus or OpenTelemetry histogram needs. Each HDR bucket counts at its highest equivalent
 * value (as percentiles do), so the counts add up to totalCount exactly. JS histograms only (decodeHistogram's).
 */
export function countsByUpperBound(h: Histogram, upperBoundsNs: readonly number[]): number[] {
  const counts = new Array<number>(upperBoundsNs.length + 1).fill(0);
  if (h.totalCount === 0) return counts;
  if (!(h instanceof JsHistogram)) throw new Error('countsByUpperBound needs a JS histogram (decodeHistogram)');
  // The counts array read directly, each bound turned into the first index past it once: hdr-histogram-js's
  // iterators take tens of ms over a full range, this about 1 ms. Index i holds values up to
  // highestEquivalentValue(i), so it falls under a bound when that value is not above it.
  const limits = upperBoundsNs.map((ns) => h.countsArrayIndex(ns) + (h.highestEquivalentValue(ns) === ns ? 1 : 0));
  let b = 0;
  for (let i = 0; i < h.countsArrayLength; i++) {
    const n = h.getCountAtIndex(i);
    if (n === 0) continue;
    while (b < limits.length && i >= limits[b]!) b++;
    counts[b] = (counts[b] ?? 0) + n;
  }
  return counts;
}
