import { compareSides } from '../ci/compare-sides.js';
import { loadSide, sideFromResults, type ComparableSide } from '../ci/suite-index.js';
import type { Comparison } from '../ci/types.js';
import type { RunResult } from '../core/types.js';
import { formatComparison } from '../report/ci-summary.js';
import { asResult } from '../results/read.js';
import { CompareError, refusedAs } from './errors.js';
import { unknownOptionProblems } from './options.js';

/**
 * `zmq-bench compare` as a function: per variant and figure, the change from the baseline and
 * whether it is a regression, returned as data instead of printed with an exit code.
 */

/** A side: a path (suite folder, index.json, result.json, a folder of results), or results in memory. */
export type CompareInput = string | RunResult | readonly RunResult[];

export interface CompareOptions {
  /** --alpha: significance level of the Mann-Whitney U test (with repeats); default 0.05 */
  alpha?: number;
  /** --tolerance: a change within this percentage is never a regression; default 10 */
  tolerance?: number;
  /** --force: compare even when the baseline ran on another machine or other versions */
  force?: boolean;
}

export interface ComparisonReport extends Comparison {
  /** some figure is a regression (zmq-bench compare exits 98) */
  regression: boolean;
  /** the table zmq-bench compare prints */
  text: string;
}

/** One side as the comparison reads it; in-memory results are checked as result.json files are. */
async function sideOf(input: CompareInput, name: string): Promise<ComparableSide> {
  if (typeof input === 'string') return refusedAs(CompareError, () => loadSide(input));
  const list: readonly unknown[] = Array.isArray(input) ? input : [input];
  const problems: string[] = [];
  const results = list.flatMap((r, i) => asResult(r, list.length > 1 ? `${name}[${i}]` : name, problems) ?? []);
  if (list.length === 0) problems.push(`${name}: no results`);
  if (problems.length > 0) throw new CompareError(problems);
  return sideFromResults(results);
}

/**
 * Compares the candidate's results with the baseline's. Results that cannot be read, or that
 * ran on another machine or versions (without `force`), reject with a CompareError.
 */
export async function compare(baseline: CompareInput, candidate: CompareInput, options: CompareOptions = {}): Promise<ComparisonReport> {
  const problems = unknownOptionProblems(options, ['alpha', 'tolerance', 'force']);
  const { alpha, tolerance } = options;
  // the CLI's ranges (--alpha, --tolerance)
  if (alpha !== undefined && !(alpha > 0 && alpha < 1)) problems.push(`alpha: expected a significance level between 0 and 1, got ${alpha}`);
  if (tolerance !== undefined && !(tolerance >= 0 && tolerance <= 1000))
    problems.push(`tolerance: expected a percentage from 0 to 1000, got ${tolerance}`);
  if (problems.length > 0) throw new CompareError(problems);
  const [before, after] = await Promise.all([sideOf(baseline, 'baseline'), sideOf(candidate, 'candidate')]);
  const comparison = await refusedAs(CompareError, () =>
    compareSides(before, after, { alpha, tolerancePct: tolerance, force: options.force }),
  );
  return {
    ...comparison,
    regression: comparison.changes.some((c) => c.verdict === 'regression'),
    text: formatComparison(comparison),
  };
}
