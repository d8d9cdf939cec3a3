import { median } from 'simple-statistics';

/**
 * What the benchmarks that alternate their runs share: the median and range of a figure over
 * the runs, and the runs that can be compared pairwise (a run whose partner failed is left out).
 */

export interface Spread {
  median: number;
  min: number;
  max: number;
}

/** Median (mean of the middle two for an even count), smallest and largest; NaN when empty. */
export function spread(values: readonly number[]): Spread {
  if (values.length === 0) return { median: Number.NaN, min: Number.NaN, max: Number.NaN };
  return { median: median([...values]), min: Math.min(...values), max: Math.max(...values) };
}

/**
 * The pairs (reference[i], measured[i]) whose figures are both finite numbers, with a positive
 * reference (so that measured / reference is a ratio): run i of one side against run i of the
 * other, in the order they were run.
 */
export function pairsOf(reference: readonly (number | null)[], measured: readonly (number | null)[]): Array<[number, number]> {
  const pairs: Array<[number, number]> = [];
  for (let i = 0; i < Math.min(reference.length, measured.length); i++) {
    const r = reference[i];
    const m = measured[i];
    if (typeof r === 'number' && typeof m === 'number' && Number.isFinite(r) && Number.isFinite(m) && r > 0) pairs.push([r, m]);
  }
  return pairs;
}
