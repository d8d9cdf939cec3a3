import type { SearchStop } from '../core/types.js';

/**
 * The rate search's course, pure: from the steps so far, the next rate to offer or why to stop.
 * Up by `factor` from `start` while steps hold (to the ceiling at most); after the first failure,
 * bisection between the highest rate that held and the lowest that failed until they are within
 * `precision` of each other. A step never goes below `start`: when it fails, so does the search.
 */

export interface SearchCourse {
  start: number;
  ceiling: number;
  factor: number;
  precision: number;
  maxSteps: number;
}

export interface StepOutcome {
  rate: number;
  passed: boolean;
}

/** The highest rate that held and the lowest above it that failed (null when none). */
export function bracket(steps: readonly StepOutcome[]): { good: number | null; bad: number | null } {
  let good: number | null = null;
  for (const s of steps) if (s.passed && (good === null || s.rate > good)) good = s.rate;
  let bad: number | null = null;
  for (const s of steps) if (!s.passed && (good === null || s.rate > good) && (bad === null || s.rate < bad)) bad = s.rate;
  return { good, bad };
}

export function nextRate(c: SearchCourse, steps: readonly StepOutcome[]): { rate: number } | { stop: SearchStop } {
  if (steps.length === 0) return { rate: c.start };
  const { good, bad } = bracket(steps);
  if (good === null) return { stop: 'lowest-failed' };
  if (bad === null && good >= c.ceiling) return { stop: 'ceiling' };
  if (bad !== null && (bad - good) / good <= c.precision) return { stop: 'precision' };
  if (steps.length >= c.maxSteps) return { stop: 'max-steps' };
  if (bad === null) return { rate: Math.min(c.ceiling, roundBetween(good * c.factor, good, Infinity)) };
  return { rate: roundBetween((good + bad) / 2, good, bad) };
}

/**
 * `v` to three significant digits (a console and a chart read 65,000 better than 65,039.0625),
 * or to more where three would not stay strictly between `low` and `high`.
 */
export function roundBetween(v: number, low: number, high: number): number {
  for (let digits = 3; digits <= 15; digits++) {
    const r = Number(v.toPrecision(digits));
    if (r > low && r < high) return r;
  }
  return v;
}
