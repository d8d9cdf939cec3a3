import { median } from 'simple-statistics';
import { ExitCode, type ExitCodeValue } from '../core/exit-codes.js';
import type { RunResult, ThresholdResult } from '../core/types.js';
import { enginesOf } from '../results/engines.js';
import { endpointTransportsText, transportOf, verdictOf } from '../results/facts.js';
import type { Threshold } from '../scenario/thresholds.js';
import { figureStats } from './figures.js';
import { evaluateThresholds, thresholdResult } from './threshold-eval.js';
import type { Comparison, SuiteOutcome, VariantOutcome } from './types.js';

/**
 * From runs to verdicts: a run's thresholds judged, a variant's repeats summed up (medians,
 * thresholds on the median), and the exit code of the whole, with its precedence.
 */

/** The run with its thresholds judged (unchanged when the scenario has none). */
export function judgeRun(r: RunResult, thresholds: readonly Threshold[]): RunResult {
  if (thresholds.length === 0) return r;
  return {
    ...r,
    thresholds: evaluateThresholds(thresholds, {
      groups: r.groups,
      totals: r.totals,
      timeseries: r.timeseries,
      measuredMs: r.timing.measuredMs,
      timeline: r.timeline ?? [],
    }),
  };
}

/**
 * With one run, its own threshold results. With repeats, each threshold is judged on the
 * median of the repeats' figures: one noisy run neither fails nor passes a suite alone.
 */
export function thresholdsOverRepeats(runs: readonly RunResult[], thresholds: readonly Threshold[]): ThresholdResult[] {
  if (runs.length === 1) return runs[0]!.thresholds ?? [];
  return thresholds.map((t, i) => {
    const actuals = runs.map((r) => r.thresholds?.[i]?.actual).filter((v): v is number => typeof v === 'number');
    const failed = runs.filter((r) => r.thresholds?.[i]?.passed === false).length;
    const judged = thresholdResult(
      t,
      actuals.length > 0 ? median(actuals) : null,
      'nothing measured in any run',
      `median of ${runs.length} runs `,
    );
    return { ...judged, message: `${judged.message} (${failed} of ${runs.length} runs failed it)` };
  });
}

export function variantOutcome(name: string, runs: readonly RunResult[], thresholds: readonly Threshold[]): VariantOutcome {
  const first = runs[0]!;
  const scenario = first.scenario as { name?: unknown };
  const judged = thresholdsOverRepeats(runs, thresholds);
  const problems = [...new Set(runs.flatMap((r, i) => r.problems.map((p) => (runs.length > 1 ? `run ${i + 1}: ${p}` : p))))];
  // Thresholds count over the repeats (below), except a run an abortOnFail threshold stopped.
  const codes: ExitCodeValue[] = runs.map((r) => {
    const code = verdictOf(r).exitCode;
    return code === ExitCode.thresholdFailed && r.abortedBy === undefined ? ExitCode.ok : code;
  });
  if (judged.some((t) => !t.passed)) codes.push(ExitCode.thresholdFailed);
  // The repeats of a variant run one scenario, so the first run's groups name its engines.
  const engines = enginesOf(first.groups);
  const transports = endpointTransportsText(first);
  return {
    name,
    scenario: typeof scenario.name === 'string' ? scenario.name : name,
    transport: transportOf(first),
    ...(transports === undefined ? {} : { transports }),
    ...(engines === undefined ? {} : { engines }),
    runs: [...runs],
    figures: figureStats(runs),
    thresholds: judged,
    problems,
    exitCode: worstExitCode(codes),
  };
}

/**
 * Most serious first. An interrupted run and bad input say nothing about the system; a
 * measurement that is not valid cannot pass or fail thresholds; a failed threshold is an
 * absolute limit and outranks a regression, which is relative to a baseline.
 */
export const EXIT_PRECEDENCE: readonly ExitCodeValue[] = [
  ExitCode.interrupted,
  ExitCode.invalidInput,
  ExitCode.invalidMeasurement,
  ExitCode.thresholdFailed,
  ExitCode.regression,
  ExitCode.ok,
];

export function worstExitCode(codes: readonly ExitCodeValue[]): ExitCodeValue {
  for (const code of EXIT_PRECEDENCE) if (codes.includes(code)) return code;
  return ExitCode.ok;
}

export function suiteExitCode(variants: readonly VariantOutcome[], comparison: Comparison | null): ExitCodeValue {
  const codes = variants.map((v) => v.exitCode as ExitCodeValue);
  if (comparison?.changes.some((c) => c.verdict === 'regression')) codes.push(ExitCode.regression);
  return worstExitCode(codes);
}

export function suiteOutcome(name: string, variants: VariantOutcome[], comparison: Comparison | null): SuiteOutcome {
  const first = variants[0]?.runs[0];
  if (!first) throw new Error('a suite outcome needs at least one run');
  return {
    name,
    startedAt: first.timing.startedAt,
    environment: first.environment,
    variants,
    comparison,
    exitCode: suiteExitCode(variants, comparison),
  };
}
