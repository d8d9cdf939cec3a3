import { invalidInput } from '../core/errors.js';
import { compareVariants } from './compare.js';
import { environmentDifferences } from './environment-match.js';
import type { ComparableSide } from './suite-index.js';
import type { Comparison } from './types.js';

export const DEFAULT_ALPHA = 0.05;
export const DEFAULT_TOLERANCE_PCT = 10;

export interface CompareOptions {
  /** significance level of the Mann-Whitney U test (with repeats) */
  alpha?: number;
  /** a change within this percentage is never a regression */
  tolerancePct?: number;
  /** compare even when the baseline ran on another machine or versions */
  force?: boolean;
}

/** The comparison, or why there is none: a baseline from another environment is refused unless forced. */
export function compareSides(baseline: ComparableSide, current: ComparableSide, opts: CompareOptions): Comparison {
  const differences = environmentDifferences(baseline.environment, current.environment);
  if (differences.length > 0 && !opts.force) {
    throw invalidInput([
      ...differences.map((d) => `the baseline ran elsewhere: ${d}`),
      'results from different machines or versions are not comparable; pass --force to compare them anyway',
    ]);
  }
  const c = compareVariants(baseline.variants, current.variants, {
    alpha: opts.alpha ?? DEFAULT_ALPHA,
    tolerancePct: opts.tolerancePct ?? DEFAULT_TOLERANCE_PCT,
  });
  if (differences.length > 0) c.notes.unshift(`compared with --force although the baseline ran elsewhere (${differences.join('; ')})`);
  return c;
}
