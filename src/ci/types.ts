import type { Environment, RunResult, ThresholdResult } from '../core/types.js';

/**
 * What CI mode works with: each scenario of a suite (a variant) with its repeats, the
 * headline figures over those repeats, its thresholds, and the comparison with a baseline.
 * Reporters (console, JUnit, Markdown, benchmark JSON) read these; nothing here runs anything.
 */

/** The figures compared with a baseline and exported to benchmark dashboards. */
export const FIGURE_NAMES = ['throughput', 'latency_p50', 'latency_p99', 'loss_rate'] as const;
export type FigureName = (typeof FIGURE_NAMES)[number];

export interface FigureStats {
  /** median over the repeats that measured it; null when none did (no latency, say) */
  median: number | null;
  min: number | null;
  max: number | null;
  /** one per repeat, in run order; null where that run did not measure it */
  values: Array<number | null>;
  /** msgs/s, µs, or a fraction of 1 */
  unit: 'msgs/s' | 'us' | 'fraction';
  better: 'higher' | 'lower';
}

export interface VariantOutcome {
  /** unique in its suite, filesystem-safe: the suite entry's name, or <scenario>-<transport> */
  name: string;
  scenario: string;
  /** the run's transport: inproc, ipc, tcp, or "mixed" (transports says which endpoint used which) */
  transport: string;
  /** only when the endpoints used different transports: "tasks inproc, results tcp" */
  transports?: string;
  /** only when a group ran on an engine other than zeromq.js: "publisher native, subscribers zeromq.js" */
  engines?: string;
  /** one per repeat, in run order */
  runs: RunResult[];
  figures: Record<FigureName, FigureStats>;
  /** every threshold of the scenario; with repeats, judged on the median of the repeats */
  thresholds: ThresholdResult[];
  /** problems of any repeat (a repeat that is not valid makes the variant not valid) */
  problems: string[];
  /** what this variant alone would exit with (0, 97, 99, 105) */
  exitCode: number;
}

export type ChangeVerdict = 'regression' | 'improvement' | 'unchanged' | 'not comparable';

export interface FigureChange {
  variant: string;
  figure: FigureName;
  baseline: FigureStats;
  current: FigureStats;
  /** (current - baseline) / baseline × 100 on the medians; null when either is missing or baseline is 0 */
  changePct: number | null;
  /** two-sided Mann-Whitney U p-value; null without repeats on both sides */
  pValue: number | null;
  method: 'mann-whitney' | 'tolerance only';
  verdict: ChangeVerdict;
  /** one line saying why, e.g. "-23.1% (beyond ±10%), p = 0.008 < 0.05" */
  reason: string;
}

export interface Comparison {
  alpha: number;
  tolerancePct: number;
  changes: FigureChange[];
  /** variants only in the baseline, or only in the current results */
  onlyInBaseline: string[];
  onlyInCurrent: string[];
  /** notes for the reader, e.g. "no repeats: changes judged by the tolerance alone" */
  notes: string[];
}

export interface SuiteOutcome {
  /** suite name (or the scenario's, for a plain run) */
  name: string;
  startedAt: string;
  environment: Environment;
  variants: VariantOutcome[];
  comparison: Comparison | null;
  exitCode: number;
}
