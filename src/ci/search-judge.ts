import type { RunResult, SearchStep, ThresholdResult } from '../core/types.js';
import { formatPercent, formatRateSig3 } from '../core/format.js';
import { hasLatency, verdictOf } from '../results/facts.js';
import type { Operator, Threshold } from '../scenario/thresholds.js';
import { judgeRun } from './outcome.js';
import { evaluateOne, thresholdResult } from './threshold-eval.js';

/**
 * One step of a rate search judged: the scenario's own thresholds and the search's criteria (no
 * more loss than maxLoss, throughput within maxShortfall of the offered rate, p99 and send lag
 * under their bounds when given), all as threshold results, so the step's result.json, console
 * and report show them as they show thresholds. A step holds when its run is valid and every
 * one of them passed.
 */

export interface StepCriteria {
  maxLoss: number;
  maxShortfall: number;
  maxP99Ms: number | null;
  maxSendLagMs: number | null;
  /** the searched sender groups */
  groups: readonly string[];
}

function criterion(
  metric: Threshold['metric'],
  expression: string,
  kind: Threshold['aggregation'],
  operator: Operator,
  value: number,
): Threshold {
  return { key: metric, metric, group: null, expression, aggregation: kind, operator, value, abortOnFail: false, delayAbortEvalMs: 0 };
}

/**
 * Achieved msgs/s in the offered rate's terms: the totals' throughput (what the receivers took)
 * over the copies each message makes (expected / sent: a fan-out to three subscribers makes
 * three), times the searched senders' share of what was sent. Towards an external service with
 * no receiver of ours the totals' throughput is what was sent.
 */
export function achievedRate(r: RunResult, groups: readonly string[]): number {
  const t = r.totals;
  const copies = t.expected > 0 && t.sent > 0 ? t.expected / t.sent : 1;
  const searchedSent = r.groups.filter((g) => groups.includes(g.name)).reduce((a, g) => a + g.sent, 0);
  const share = t.sent > 0 ? Math.min(1, searchedSent / t.sent) : 1;
  return (t.throughput.msgsPerSec / copies) * share;
}

/** The criteria of a step at `offered` msgs/s, judged on its result. */
export function criteriaResults(r: RunResult, offered: number, c: StepCriteria): ThresholdResult[] {
  const figures = {
    groups: r.groups,
    totals: r.totals,
    timeseries: r.timeseries,
    measuredMs: r.timing.measuredMs,
    timeline: r.timeline ?? [],
  };
  const note = (t: ThresholdResult, text: string): ThresholdResult => ({ ...t, message: `${t.message} (search: ${text})` });
  const out: ThresholdResult[] = [];
  const loss =
    c.maxLoss === 0
      ? criterion('loss_rate', 'rate == 0', { kind: 'rate' }, '==', 0)
      : criterion('loss_rate', `rate <= ${formatPercent(c.maxLoss)}`, { kind: 'rate' }, '<=', c.maxLoss);
  out.push(note(evaluateOne(loss, figures), c.maxLoss === 0 ? 'no loss' : `at most ${formatPercent(c.maxLoss)} lost`));
  const least = offered * (1 - c.maxShortfall);
  const throughput = criterion('throughput', `avg >= ${formatRateSig3(least)}/s`, { kind: 'avg' }, '>=', least);
  out.push(
    note(
      thresholdResult(throughput, achievedRate(r, c.groups)),
      `at most ${formatPercent(c.maxShortfall)} short of the ${formatRateSig3(offered)}/s offered`,
    ),
  );
  if (c.maxP99Ms !== null) {
    const p99 = criterion('latency', `p(99) <= ${c.maxP99Ms}ms`, { kind: 'p', p: 99 }, '<=', c.maxP99Ms * 1000);
    out.push(note(evaluateOne(p99, figures), 'maxP99'));
  }
  if (c.maxSendLagMs !== null) {
    const lag = criterion('send_lag', `p(99) <= ${c.maxSendLagMs}ms`, { kind: 'p', p: 99 }, '<=', c.maxSendLagMs * 1000);
    out.push(note(evaluateOne(lag, figures), 'maxSendLag'));
  }
  return out;
}

/** The step's result with its thresholds and criteria judged, and its entry in `search.steps`. */
export function judgeStep(
  run: RunResult,
  offered: number,
  thresholds: readonly Threshold[],
  c: StepCriteria,
  wallMs: number,
): { result: RunResult; step: SearchStep } {
  const judged = judgeRun(run, thresholds);
  const result: RunResult = { ...judged, thresholds: [...(judged.thresholds ?? []), ...criteriaResults(run, offered, c)] };
  const verdict = verdictOf(result);
  const valid = verdict.status === 'pass' || verdict.status === 'failed';
  const reasons = !valid
    ? [...result.problems]
    : [...(result.abortedBy ? [result.abortedBy] : []), ...result.thresholds!.filter((t) => !t.passed).map((t) => t.message)];
  const t = run.totals;
  const lag = evaluateOne(criterion('send_lag', '', { kind: 'p', p: 99 }, '<=', 0), {
    groups: run.groups.filter((g) => c.groups.includes(g.name)),
    totals: t,
    measuredMs: run.timing.measuredMs,
  });
  return {
    result,
    step: {
      rate: offered,
      valid,
      passed: verdict.status === 'pass',
      throughput: round3(achievedRate(run, c.groups)),
      p99: hasLatency(t) ? t.latency.p99 : null,
      lost: t.lost,
      lossRate: t.expected > 0 ? t.lost / t.expected : 0,
      sendLagP99: lag.actual,
      reasons,
      wallMs: Math.round(wallMs),
    },
  };
}

function round3(v: number): number {
  return Math.round(v * 1000) / 1000;
}
