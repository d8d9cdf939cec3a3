import type { FlowFigures, GroupResult, LatencySummary, RunResult } from '../core/types.js';
import { formatDurationMs } from '../core/units.js';

/**
 * The table printed at the end of every run. Pure: a RunResult in, text out. Number
 * formatting lives in the small helpers below so it can be tested on its own.
 */

export interface SummaryOptions {
  /** ANSI colours; off by default so piped output and tests see plain text */
  color?: boolean;
}

const DASH = '-';

/** 12345 → "12,345". Grouped by hand: toLocaleString would depend on the machine's locale. */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return DASH;
  const sign = n < 0 ? '-' : '';
  const digits = String(Math.round(Math.abs(n)));
  return sign + digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Messages per second, compact: 950, 12.3k, 123k, 1.2M, 2.5G. */
export function formatRate(perSec: number): string {
  if (!Number.isFinite(perSec) || perSec < 0) return DASH;
  if (Math.round(perSec) < 1000) return String(Math.round(perSec));
  const units: Array<[number, string]> = [
    [1e3, 'k'],
    [1e6, 'M'],
    [1e9, 'G'],
  ];
  let text = '';
  for (const [scale, suffix] of units) {
    const v = perSec / scale;
    text = (v < 99.95 ? v.toFixed(1) : v.toFixed(0)) + suffix;
    // Rounding can carry into the next unit (999,960 → "1000k"): let the larger unit take it.
    if (Number(text.slice(0, -1)) < 1000) break;
  }
  return text;
}

/** Bytes per second as decimal megabytes per second: 0.06, 12.3, 1234.5. */
export function formatMegabytes(bytesPerSec: number): string {
  if (!Number.isFinite(bytesPerSec) || bytesPerSec < 0) return DASH;
  const mb = bytesPerSec / 1e6;
  return mb < 1 ? mb.toFixed(2) : mb.toFixed(1);
}

/** Three significant digits, never exponent notation. */
function sig3(v: number): string {
  // Thresholds just below 10 and 100 so 9.999 reads "10.0", not "10.00".
  if (v < 9.995) return v.toFixed(2);
  if (v < 99.95) return v.toFixed(1);
  return v.toFixed(0);
}

/** Microseconds with a readable unit: 5.20us, 850us, 1.25ms, 2.10s. */
export function formatLatencyUs(us: number): string {
  if (!Number.isFinite(us) || us < 0) return DASH;
  // Choose the unit after rounding, so 999.7us reads 1.00ms rather than 1000us.
  if (Number(sig3(us)) < 1000) return `${sig3(us)}us`;
  const ms = us / 1000;
  if (Number(sig3(ms)) < 1000) return `${sig3(ms)}ms`;
  return `${sig3(ms / 1000)}s`;
}

/** A fraction of 1 as a percentage: 0.125 → "12.5%", 0.0005 → "0.05%", tiny → "<0.01%". */
export function formatPercent(fraction: number): string {
  if (!Number.isFinite(fraction) || fraction < 0) return DASH;
  const pct = fraction * 100;
  if (pct === 0) return '0%';
  if (pct >= 1) return `${pct.toFixed(1)}%`;
  if (pct >= 0.01) return `${pct.toFixed(2)}%`;
  return '<0.01%';
}

/**
 * Pads every cell to its column's width (right-aligned where asked) and joins them with two
 * spaces. Returns one string per row, without trailing blanks.
 */
export function alignColumns(rows: readonly (readonly string[])[], rightAligned: readonly boolean[] = []): string[] {
  return padCells(rows, rightAligned).map((cells) => cells.join('  ').trimEnd());
}

function padCells(rows: readonly (readonly string[])[], rightAligned: readonly boolean[]): string[][] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => row.map((cell, i) => (rightAligned[i] ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))));
}

const HEADER = ['group', 'type', 'sent', 'received', 'lost', 'dup', 'reord', 'msgs/s', 'MB/s', 'p50', 'p99', 'max'];
const RIGHT = [false, false, true, true, true, true, true, true, true, true, true, true];
const LOST_COLUMN = 4;

type Paint = (text: string) => string;
interface Palette {
  bold: Paint;
  red: Paint;
  green: Paint;
  yellow: Paint;
}

const ansi = (code: number): Paint => (text) => `\u001b[${code}m${text}\u001b[0m`;
const COLOURS: Palette = { bold: ansi(1), red: ansi(31), green: ansi(32), yellow: ansi(33) };
const PLAIN: Palette = { bold: (t) => t, red: (t) => t, green: (t) => t, yellow: (t) => t };

/** 'mixed' merges one-way and round-trip samples (totals over both kinds): not one figure worth showing. */
const hasLatency = (f: FlowFigures) => f.latencyKind !== 'none' && f.latencyKind !== 'mixed' && f.latency.count > 0;

function latencyCells(f: FlowFigures): string[] {
  if (!hasLatency(f)) return [DASH, DASH, DASH];
  const l: LatencySummary = f.latency;
  return [formatLatencyUs(l.p50), formatLatencyUs(l.p99), formatLatencyUs(l.max)];
}

function lostCell(f: FlowFigures): string {
  if (f.lost > 0 && f.expected > 0) return `${formatCount(f.lost)} (${formatPercent(f.lost / f.expected)})`;
  return formatCount(f.lost);
}

/**
 * Figures that do not apply to what a group does read "-" rather than a misleading 0 (a push
 * group receives nothing, so "received 0" would look like total loss). A non-zero value is
 * always shown.
 */
function flowCells(f: FlowFigures, direction: GroupResult['direction'] | 'total'): string[] {
  const sendsOnly = direction === 'sends';
  const receivesOnly = direction === 'receives';
  const unless = (notApplicable: boolean, v: number, text: string) => (notApplicable && v === 0 ? DASH : text);
  return [
    unless(receivesOnly, f.sent, formatCount(f.sent)),
    unless(sendsOnly, f.received, formatCount(f.received)),
    unless(sendsOnly, f.lost, lostCell(f)),
    unless(sendsOnly, f.duplicates, formatCount(f.duplicates)),
    unless(sendsOnly, f.reordered, formatCount(f.reordered)),
    formatRate(f.throughput.msgsPerSec),
    formatMegabytes(f.throughput.bytesPerSec),
    ...latencyCells(f),
  ];
}

/** result.json keeps the scenario as given (typed unknown); read a string field safely. */
function scenarioText(scenario: unknown, field: string): string | undefined {
  if (typeof scenario !== 'object' || scenario === null) return undefined;
  const v = (scenario as Record<string, unknown>)[field];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function transportOf(r: RunResult): string {
  const named = scenarioText(r.scenario, 'transport');
  if (named) return named;
  // Fall back to the scheme of a bound address, e.g. "tcp://127.0.0.1:5555".
  const first = Object.values(r.endpoints).flat()[0];
  const scheme = first?.split('://')[0];
  return scheme && scheme !== first ? scheme : '?';
}

function titleLine(r: RunResult, p: Palette): string {
  const name = scenarioText(r.scenario, 'name') ?? '(unnamed scenario)';
  const warmup = r.timing.warmupMs > 0 ? ` after ${formatDurationMs(r.timing.warmupMs)} warm-up` : '';
  const status = r.complete ? p.green('complete') : p.red('incomplete');
  const measured = r.timing.measuredMs > 0 ? `measured ${formatDurationMs(r.timing.measuredMs)}${warmup}` : 'nothing measured';
  return `${p.bold(name)} · ${transportOf(r)} · ${measured} · ${status}`;
}

const KIND_TEXT: Record<FlowFigures['latencyKind'], string> = {
  'one-way': 'one-way',
  'round-trip': 'round trip',
  mixed: 'mixed',
  none: '',
};

/** Which groups' latency is one-way and which is a round trip: the columns do not say. */
function latencyNote(groups: readonly GroupResult[]): string | undefined {
  const byKind = new Map<string, string[]>();
  for (const g of groups) {
    if (!hasLatency(g)) continue;
    const kind = KIND_TEXT[g.latencyKind];
    byKind.set(kind, [...(byKind.get(kind) ?? []), g.name]);
  }
  if (byKind.size === 0) return undefined;
  const parts = [...byKind].map(([kind, names]) => `${kind} (${names.join(', ')})`);
  return `latency: ${parts.join('; ')}`;
}

function notes(groups: readonly GroupResult[]): string[] {
  const lines: string[] = [];
  for (const g of groups) {
    if (g.lost > 0) {
      const { head, midstream, tail } = g.loss;
      lines.push(`loss in ${g.name}: head ${formatCount(head)}, midstream ${formatCount(midstream)}, tail ${formatCount(tail)}`);
    }
    if (g.misrouted > 0) lines.push(`misrouted replies in ${g.name}: ${formatCount(g.misrouted)}`);
    if (g.blocked.ms > 0) {
      lines.push(`blocked in ${g.name}: sends waited ${formatLatencyUs(g.blocked.ms * 1000)} on full queues (${formatPercent(g.blocked.share)} of the measured time)`);
    }
    if (g.notSent > 0) lines.push(`not sent by ${g.name}: ${formatCount(g.notSent)} given up after the send timeout`);
    if (g.requests && (g.requests.stalled > 0 || g.requests.retries > 0 || g.requests.abandoned > 0)) {
      const q = g.requests;
      lines.push(
        `requests of ${g.name}: ${formatCount(q.stalled)} stalled` +
          (q.stalled > 0 ? ` (the longest for ${formatLatencyUs(q.stalledMs * 1000)})` : '') +
          `, ${formatCount(q.retries)} retries, ${formatCount(q.recovered)} recovered` +
          (q.recovered > 0 ? ` (within ${formatLatencyUs(q.recoveryMs * 1000)})` : '') +
          `, ${formatCount(q.abandoned)} abandoned`,
      );
    }
    if (g.drained.messages > 0) {
      lines.push(`drained by ${g.name}: ${formatCount(g.drained.messages)} arrived after the senders stopped, the last ${formatLatencyUs(g.drained.ms * 1000)} after`);
    }
  }
  return lines;
}

/** The run's problems, then each group's errors not already among them. */
function problemLines(r: RunResult): string[] {
  const seen = new Set(r.problems);
  const lines = [...r.problems];
  for (const g of r.groups) {
    for (const e of g.errors) {
      const line = `${g.name}: ${e}`;
      if (seen.has(e) || seen.has(line)) continue;
      seen.add(line);
      lines.push(line);
    }
  }
  return lines;
}

export function formatSummary(r: RunResult, opts: SummaryOptions = {}): string {
  const p = opts.color ? COLOURS : PLAIN;
  const rows: string[][] = [HEADER];
  for (const g of r.groups) rows.push([g.name, `${g.type}×${g.count}`, ...flowCells(g, g.direction)]);
  const totalRow = ['total', '', ...flowCells(r.totals, 'total')];
  rows.push(totalRow);

  const padded = padCells(rows, RIGHT);
  const lossy = [...r.groups.map((g) => g.lost > 0), r.totals.lost > 0];
  const lines = padded.map((cells, i) => {
    // Colour after padding, so escape codes never count towards a column's width.
    const painted = cells.map((cell, col) => (col === LOST_COLUMN && i > 0 && lossy[i - 1] ? p.red(cell) : cell));
    const line = painted.join('  ').trimEnd();
    return i === 0 ? p.bold(line) : line;
  });
  const width = padded[0]!.join('  ').trimEnd().length;
  const rule = '-'.repeat(width);

  const groupLines = lines.slice(1, -1);
  const out = [titleLine(r, p), lines[0]!, rule, ...groupLines, ...(groupLines.length > 0 ? [rule] : []), lines[lines.length - 1]!];
  const note = latencyNote(r.groups);
  if (note) out.push(note);
  out.push(...notes(r.groups));
  const faults = (r.timeline ?? []).flatMap((e) =>
    e.kind === 'fault' ? [`${e.action} ${e.target}${e.what ? ` (${e.what})` : ''} at ${formatLatencyUs(e.tMs * 1000)}${e.error ? ` FAILED: ${e.error}` : ''}`] : [],
  );
  if (faults.length > 0) out.push(`faults: ${faults.join(', ')}`);

  const problems = problemLines(r);
  if (problems.length > 0) {
    out.push(p.red('problems:'));
    for (const line of problems) out.push(`  - ${line}`);
  }
  return out.join('\n');
}
