import { percentile } from '../bare/common.js';

/**
 * The figures of bench/req-tail.ts: percentiles of one run's round trips (the median and range
 * over the alternated runs: bench/spread.ts).
 */

export interface TailFigures {
  count: number;
  p50Us: number;
  p99Us: number;
  p999Us: number;
  maxUs: number;
}

/** p50, p99, p99.9 (nearest rank) and max of round trips in ns, as µs. */
export function tailFigures(rttNs: readonly number[]): TailFigures {
  const sorted = Float64Array.from(rttNs).sort();
  const us = (ns: number) => Math.round(ns / 10) / 100;
  return {
    count: sorted.length,
    p50Us: us(percentile(sorted, 50)),
    p99Us: us(percentile(sorted, 99)),
    p999Us: us(percentile(sorted, 99.9)),
    maxUs: us(sorted.length > 0 ? sorted[sorted.length - 1]! : Number.NaN),
  };
}
