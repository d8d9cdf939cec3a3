import { ExitCode } from '../core/exit-codes.js';
import type { ChangeVerdict, FigureChange, FigureName, FigureStats, SuiteOutcome, VariantOutcome } from '../ci/types.js';
import { formatLatencyUs, formatPercent, formatRate } from '../core/format.js';
import { clockNotes, hostLine } from './host-notes.js';

/**
 * A GitHub-flavoured Markdown summary of a CI run, for $GITHUB_STEP_SUMMARY or a PR comment.
 * Pure: a SuiteOutcome in, text out. Free text (messages, problems, names) is escaped so it
 * reads as text: it never renders as HTML, a link, emphasis, or breaks a table.
 */

const NONE = '—';

const STATUS_WORDS: Readonly<Record<number, string>> = {
  [ExitCode.ok]: 'PASS',
  [ExitCode.thresholdFailed]: 'THRESHOLD FAILED',
  [ExitCode.regression]: 'REGRESSION',
  [ExitCode.invalidMeasurement]: 'NOT VALID',
  [ExitCode.interrupted]: 'INTERRUPTED',
};

/** The overall word for an exit code; one without a word of its own names its number. */
export function statusWord(exitCode: number): string {
  return STATUS_WORDS[exitCode] ?? `ERROR (exit code ${exitCode})`;
}

/** The word with its exit code, the number once: "PASS (exit code 0)", "ERROR (exit code 104)". */
export function statusWithCode(exitCode: number): string {
  return `${STATUS_WORDS[exitCode] ?? 'ERROR'} (exit code ${exitCode})`;
}

/**
 * Free text for a table cell or a list item: one line, control characters dropped, and the
 * characters that start HTML, links, emphasis, code or a cell boundary backslash-escaped
 * (the backslash first, so "\|" in the text cannot un-escape the pipe).
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/\r\n|\r|\n/g, ' ')
    .replace(/[\u0000-\u001F\u007F]/g, '')
    .replace(/[\\`*_[\]|]/g, (c) => `\\${c}`)
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/** A figure's value in its unit, or a dash when nothing measured it. */
export function formatFigure(value: number | null, unit: FigureStats['unit']): string {
  if (value === null) return NONE;
  if (unit === 'msgs/s') return `${formatRate(value)} msgs/s`;
  if (unit === 'us') return formatLatencyUs(value);
  return formatPercent(value);
}

function throughputCell(v: VariantOutcome): string {
  const t = v.figures.throughput;
  const median = formatFigure(t.median, t.unit);
  if (v.runs.length <= 1 || t.min === null || t.max === null) return median;
  return `${median} (${formatRate(t.min)}–${formatRate(t.max)})`;
}

function regressed(o: SuiteOutcome, variant: string): boolean {
  return (o.comparison?.changes ?? []).some((c) => c.variant === variant && c.verdict === 'regression');
}

function variantVerdict(v: VariantOutcome, o: SuiteOutcome): string {
  const words = v.exitCode === ExitCode.ok ? [] : [statusWord(v.exitCode)];
  if (regressed(o, v.name)) words.push(statusWord(ExitCode.regression));
  return words.length === 0 ? statusWord(ExitCode.ok) : words.join(', ');
}

function row(cells: readonly string[]): string {
  return `| ${cells.join(' | ')} |`;
}

function variantTable(o: SuiteOutcome): string[] {
  const rows = o.variants.map((v) => {
    const f = v.figures;
    const passed = v.thresholds.filter((t) => t.passed).length;
    return row([
      escapeMarkdown(v.name),
      throughputCell(v),
      formatFigure(f.latency_p50.median, f.latency_p50.unit),
      formatFigure(f.latency_p99.median, f.latency_p99.unit),
      formatFigure(f.loss_rate.median, f.loss_rate.unit),
      v.thresholds.length === 0 ? NONE : `${passed}/${v.thresholds.length}`,
      variantVerdict(v, o),
    ]);
  });
  return [
    row(['Variant', 'Throughput', 'p50', 'p99', 'Loss', 'Thresholds', 'Verdict']),
    row(['---', '---:', '---:', '---:', '---:', '---:', '---']),
    ...rows,
  ];
}

/** A titled bullet list, or nothing when there are no items. */
function section(title: string, items: readonly string[]): string[] {
  return items.length === 0 ? [] : ['', `### ${title}`, '', ...items.map((i) => `- ${i}`)];
}

const FIGURE_LABELS: Record<FigureName, string> = {
  throughput: 'throughput',
  latency_p50: 'latency p50',
  latency_p99: 'latency p99',
  loss_rate: 'loss rate',
};

/** Regressions first, so a long table still opens with what failed; stable otherwise. */
const VERDICT_ORDER: Record<ChangeVerdict, number> = { regression: 0, improvement: 1, 'not comparable': 2, unchanged: 3 };

function changePct(pct: number | null): string {
  if (pct === null) return NONE;
  return `${pct > 0 ? '+' : ''}${pct.toFixed(1)}%`;
}

function pValue(p: number | null): string {
  if (p === null) return NONE;
  return p < 0.001 ? '<0.001' : p.toFixed(3);
}

function changeRow(c: FigureChange): string {
  return row([
    escapeMarkdown(c.variant),
    FIGURE_LABELS[c.figure],
    formatFigure(c.baseline.median, c.baseline.unit),
    formatFigure(c.current.median, c.current.unit),
    changePct(c.changePct),
    pValue(c.pValue),
    c.verdict === 'regression' ? '**regression**' : c.verdict,
  ]);
}

function comparisonSection(o: SuiteOutcome): string[] {
  const cmp = o.comparison;
  if (cmp === null) return [];
  const changes = [...cmp.changes].sort((a, b) => VERDICT_ORDER[a.verdict] - VERDICT_ORDER[b.verdict]);
  const table =
    changes.length === 0
      ? []
      : [
          '',
          row(['Variant', 'Figure', 'Baseline', 'Current', 'Change', 'p-value', 'Verdict']),
          row(['---', '---', '---:', '---:', '---:', '---:', '---']),
          ...changes.map(changeRow),
        ];
  const notes = [
    ...(cmp.onlyInBaseline.length > 0 ? [`only in the baseline: ${cmp.onlyInBaseline.map(escapeMarkdown).join(', ')}`] : []),
    ...(cmp.onlyInCurrent.length > 0 ? [`only in the current results: ${cmp.onlyInCurrent.map(escapeMarkdown).join(', ')}`] : []),
    ...cmp.notes.map(escapeMarkdown),
  ];
  return [
    '',
    '### Compared with the baseline',
    '',
    `Tolerance ±${cmp.tolerancePct}%, significance level ${cmp.alpha}.`,
    ...table,
    ...(notes.length > 0 ? ['', ...notes.map((n) => `- ${n}`)] : []),
  ];
}

function environmentLine(o: SuiteOutcome): string {
  const e = o.environment;
  return escapeMarkdown(
    `${e.cpuModel} × ${e.cores} cores, ${e.os} ${e.arch}, Node ${e.node}, zeromq.js ${e.zeromqJs}, libzmq ${e.libzmq}; started ${o.startedAt}`,
  );
}

/** The variants whose endpoints used different transports, with each endpoint's; none when every run used one. */
function transportItems(o: SuiteOutcome): string[] {
  return o.variants.flatMap((v) => (v.transports === undefined ? [] : [`${escapeMarkdown(v.name)}: ${escapeMarkdown(v.transports)}`]));
}

/** The variants where a group ran on an engine other than zeromq.js; none for a zeromq.js-only suite. */
function engineItems(o: SuiteOutcome): string[] {
  return o.variants.flatMap((v) => (v.engines === undefined ? [] : [`${escapeMarkdown(v.name)}: ${escapeMarkdown(v.engines)}`]));
}

/**
 * Runs with hosts: each variant's hosts and the groups whose one-way latency crossed them, as
 * its first run measured them (clock offsets differ a little between repeats).
 */
function hostItems(o: SuiteOutcome): string[] {
  return o.variants.flatMap((v) => {
    const run = v.runs[0];
    if (!run?.hosts || run.hosts.length === 0) return [];
    const name = escapeMarkdown(v.name) + (v.runs.length > 1 ? ` (first of ${v.runs.length} runs)` : '');
    return [...run.hosts.map(hostLine), ...clockNotes(run.groups)].map((line) => `${name}: ${escapeMarkdown(line)}`);
  });
}

export function markdownSummary(o: SuiteOutcome): string {
  const failed = o.variants.flatMap((v) =>
    v.thresholds.filter((t) => !t.passed).map((t) => `${escapeMarkdown(v.name)}: ${escapeMarkdown(t.message)}`),
  );
  const problems = o.variants.flatMap((v) => v.problems.map((p) => `${escapeMarkdown(v.name)}: ${escapeMarkdown(p)}`));
  return [
    `## ${escapeMarkdown(o.name)}: ${statusWord(o.exitCode)}`,
    '',
    environmentLine(o),
    '',
    ...variantTable(o),
    ...section('Transports', transportItems(o)),
    ...section('Engines', engineItems(o)),
    ...section('Hosts', hostItems(o)),
    ...section('Failed thresholds', failed),
    ...section('Problems', problems),
    ...comparisonSection(o),
    '',
  ].join('\n');
}
