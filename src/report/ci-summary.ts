import type { Comparison, FigureChange, FigureStats, SuiteOutcome } from '../ci/types.js';
import { alignColumns } from './console-summary.js';
import { DASH, formatLatencyUs, formatPercent, formatRate } from '../core/format.js';
import { statusWithCode, statusWord } from './markdown-summary.js';

/**
 * The console's last word on a suite, a repeated run or a run with thresholds: one line per
 * variant with the medians (and spread over repeats), then what failed and what regressed.
 */

function figure(s: FigureStats): string {
  if (s.median === null) return DASH;
  const one = (v: number) => (s.unit === 'us' ? formatLatencyUs(v) : s.unit === 'msgs/s' ? formatRate(v) : formatPercent(v));
  const measured = s.values.filter((v) => v !== null).length;
  return measured > 1 && s.min !== null && s.max !== null ? `${one(s.median)} (${one(s.min)}–${one(s.max)})` : one(s.median);
}

/** `zmq-bench compare`: every figure of every variant, regressions first. */
export function formatComparison(c: Comparison): string {
  const order = { regression: 0, improvement: 1, 'not comparable': 2, unchanged: 3 } as const;
  const sorted = [...c.changes].sort((a, b) => order[a.verdict] - order[b.verdict]);
  const rows = [['variant', 'figure', 'baseline', 'now', 'change', 'p', 'verdict']];
  for (const x of sorted) {
    rows.push([
      x.variant,
      x.figure.replace('_', ' '),
      figure(x.baseline),
      figure(x.current),
      x.changePct === null ? DASH : `${x.changePct >= 0 ? '+' : ''}${x.changePct.toFixed(1)}%`,
      x.pValue === null ? DASH : x.pValue.toFixed(3),
      x.verdict === 'regression' ? 'REGRESSION' : x.verdict,
    ]);
  }
  const regressions = c.changes.filter((x) => x.verdict === 'regression').length;
  const lines = [
    `${regressions} regression(s) at tolerance ±${c.tolerancePct}% and alpha ${c.alpha}`,
    ...alignColumns(rows, [false, false, true, true, true, true, false]),
    ...sorted.filter((x) => x.verdict === 'regression' || x.verdict === 'improvement').map(changeLine),
    ...c.notes.map((n) => `note: ${n}`),
  ];
  if (c.onlyInBaseline.length > 0) lines.push(`only in the baseline: ${c.onlyInBaseline.join(', ')}`);
  if (c.onlyInCurrent.length > 0) lines.push(`not in the baseline: ${c.onlyInCurrent.join(', ')}`);
  return lines.join('\n');
}

function changeLine(c: FigureChange): string {
  return `  ${c.verdict === 'regression' ? 'REGRESSION' : c.verdict}: ${c.variant} ${c.figure.replace('_', ' ')}: ${c.reason}`;
}

export function formatCiSummary(o: SuiteOutcome): string {
  const rows = [['variant', 'runs', 'msgs/s', 'p50', 'p99', 'loss', 'thresholds', 'verdict']];
  for (const v of o.variants) {
    const passed = v.thresholds.filter((t) => t.passed).length;
    rows.push([
      v.name,
      String(v.runs.length),
      figure(v.figures.throughput),
      figure(v.figures.latency_p50),
      figure(v.figures.latency_p99),
      figure(v.figures.loss_rate),
      v.thresholds.length === 0 ? DASH : `${passed}/${v.thresholds.length}`,
      statusWord(v.exitCode).toLowerCase(),
    ]);
  }
  const right = [false, true, true, true, true, true, true, false];
  const lines = [`${o.name}: ${statusWithCode(o.exitCode)}`, ...alignColumns(rows, right)];
  const repeated = o.variants.some((v) => v.runs.length > 1);
  if (repeated) lines.push('figures: median over the runs (min–max); thresholds judged on the median');
  const transports = o.variants.flatMap((v) => (v.transports === undefined ? [] : [`  ${v.name}: ${v.transports}`]));
  if (transports.length > 0) lines.push('transports:', ...transports);
  const engines = o.variants.flatMap((v) => (v.engines === undefined ? [] : [`  ${v.name}: ${v.engines}`]));
  if (engines.length > 0) lines.push('engines:', ...engines);
  const failed = o.variants.flatMap((v) => v.thresholds.filter((t) => !t.passed).map((t) => `  ${v.name}: ${t.message}`));
  if (failed.length > 0) lines.push('failed thresholds:', ...failed);
  const c = o.comparison;
  if (c) {
    const regressions = c.changes.filter((x) => x.verdict === 'regression');
    const improvements = c.changes.filter((x) => x.verdict === 'improvement');
    lines.push(
      `compared with the baseline (tolerance ±${c.tolerancePct}%, alpha ${c.alpha}): ${regressions.length} regression(s), ${improvements.length} improvement(s), ${c.changes.length - regressions.length - improvements.length} unchanged or not comparable`,
      ...[...regressions, ...improvements].map(changeLine),
      ...c.notes.map((n) => `  note: ${n}`),
    );
    if (c.onlyInBaseline.length > 0) lines.push(`  only in the baseline: ${c.onlyInBaseline.join(', ')}`);
    if (c.onlyInCurrent.length > 0) lines.push(`  not in the baseline: ${c.onlyInCurrent.join(', ')}`);
  }
  return lines.join('\n');
}
