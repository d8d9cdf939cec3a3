import type { FlowFigures, GroupResult, LatencySummary, RunResult } from '../core/types.js';
import { formatDurationMs } from '../core/units.js';
import { DASH, formatCount, formatLatencyUs, formatMegabytes, formatPercent, formatRate } from '../core/format.js';
import { fromSendNote, groupNotes, latencyNote, networkFaultNote, problemLines } from './result-notes.js';
import { endpointTransportsText, hasLatency, scenarioName, scenarioText, transportOf } from '../results/facts.js';
import { enginesNote } from '../results/engines.js';
import { clockNotes, hostNotes } from './host-notes.js';

/**
 * The table printed at the end of every run. Pure: a RunResult in, text out. Number
 * formatting lives in the small helpers below so it can be tested on its own.
 */

export interface SummaryOptions {
  /** ANSI colours; off by default so piped output and tests see plain text */
  color?: boolean;
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

const ansi =
  (code: number): Paint =>
  (text) =>
    `\u001b[${code}m${text}\u001b[0m`;
const COLOURS: Palette = { bold: ansi(1), red: ansi(31), green: ansi(32), yellow: ansi(33) };
const PLAIN: Palette = { bold: (t) => t, red: (t) => t, green: (t) => t, yellow: (t) => t };

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

/** A proxy tracks no loss and times nothing; its counts are libzmq's frames, where the engine could read them. */
function groupCells(g: GroupResult): string[] {
  const cells = flowCells(g, g.direction);
  if (!g.proxy) return cells;
  const counted = g.proxy.counted;
  return cells.map((cell, i) => (i >= 2 && i <= 4 ? DASH : !counted && i <= 6 ? DASH : cell));
}

function titleLine(r: RunResult, p: Palette): string {
  const name = scenarioName(r);
  const warmup = r.timing.warmupMs > 0 ? ` after ${formatDurationMs(r.timing.warmupMs)} warm-up` : '';
  const status = r.complete ? p.green('complete') : p.red('incomplete');
  const measured = r.timing.measuredMs > 0 ? `measured ${formatDurationMs(r.timing.measuredMs)}${warmup}` : 'nothing measured';
  return `${p.bold(name)} · ${transportOf(r)} · ${measured} · ${status}`;
}

export function formatSummary(r: RunResult, opts: SummaryOptions = {}): string {
  const p = opts.color ? COLOURS : PLAIN;
  const rows: string[][] = [HEADER];
  for (const g of r.groups) rows.push([g.name, `${g.type}×${g.count}`, ...groupCells(g)]);
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
  const transports = endpointTransportsText(r);
  if (transports) out.push(`transports: ${transports}`);
  const engines = enginesNote(r.groups);
  if (engines) out.push(engines);
  const note = latencyNote(r.groups);
  if (note) out.push(note);
  const fromSend = fromSendNote(r.groups);
  if (fromSend) out.push(fromSend);
  out.push(...hostNotes(r), ...clockNotes(r.groups));
  out.push(...groupNotes(r.groups, scenarioText(r.scenario, 'start')));
  const faults = (r.timeline ?? []).flatMap((e) =>
    e.kind === 'fault'
      ? [
          `${e.action} ${e.target}${e.what ? ` (${e.what})` : ''} at ${formatLatencyUs(e.tMs * 1000)}${networkFaultNote(e)}${e.error ? ` FAILED: ${e.error}` : ''}`,
        ]
      : [],
  );
  if (faults.length > 0) out.push(`faults: ${faults.join(', ')}`);

  for (const t of r.thresholds ?? []) out.push(`${t.passed ? p.green('✓') : p.red('✗')} ${t.message}`);
  if (r.abortedBy) out.push(p.red(`stopped early: ${r.abortedBy}`));
  const problems = problemLines(r);
  if (problems.length > 0) {
    out.push(p.red('problems:'));
    for (const line of problems) out.push(`  - ${line}`);
  }
  return out.join('\n');
}
