import { decodeHistogram } from '../../stats/histogram.js';

/**
 * The points of HdrHistogram's percentile plot: x = 1/(1-p), so 90% sits at 10, 99% at 100,
 * 99.9% at 1000, and the tail gets as much room as the body. Values in microseconds.
 */

/** Points per decade of x: enough for a smooth curve, few enough to keep the report small. */
const STEPS_PER_DECADE = 20;

export type CurvePoint = [x: number, valueUs: number];

/**
 * From 0% up to the percentile the sample count can resolve (x ≤ count: beyond it every
 * percentile is the maximum), then the maximum itself at x = count. Empty for no samples.
 */
export function percentileCurve(encodedHistogram: string): CurvePoint[] {
  if (encodedHistogram === '') return [];
  const h = decodeHistogram(encodedHistogram);
  const count = h.totalCount;
  if (count === 0) return [];
  const points: CurvePoint[] = [];
  for (let i = 0; ; i++) {
    const x = 10 ** (i / STEPS_PER_DECADE);
    if (x >= count) break;
    const p = 100 * (1 - 1 / x);
    points.push([round4(x), micros(h.getValueAtPercentile(p))]);
  }
  // p100, as summarizeLatency reports max: the same figure as result.json's latency.max
  points.push([Math.max(1, count), micros(h.getValueAtPercentile(100))]);
  return points;
}

/** ns → µs, rounded as summarizeLatency rounds, so a point at p99 equals latency.p99. */
function micros(ns: number): number {
  return Math.round(ns) / 1000;
}

/** x to 4 significant digits: enough for a log axis, and the JSON stays short. */
function round4(x: number): number {
  return Number(x.toPrecision(4));
}
