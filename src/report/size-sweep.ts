import { parseSizeBytes } from '../core/units.js';
import { alignColumns } from './console-summary.js';
import { DASH, formatBytes, formatLatencyUs, formatRate } from '../core/format.js';

/**
 * libzmq's perf graphs (generate_graphs.py): throughput and latency against message size, one
 * line per transport. From the variants of a matrix that varies the size: per scenario, the
 * sizes in order and one series per combination of the other values (tcp, tcp curve, ...).
 */

type Value = string | number | boolean;

export interface SweepItem {
  scenario: string;
  coordinates: Readonly<Record<string, Value>>;
  /** msgs/s; p50 and p99 in µs; null where not measured */
  throughput: number | null;
  p50: number | null;
  p99: number | null;
}

export interface SweepPoint {
  throughput: number | null;
  /** msgs/s × the message size */
  bytesPerSec: number | null;
  p50: number | null;
  p99: number | null;
}

export interface Sweep {
  scenario: string;
  /** message sizes in bytes, ascending */
  sizes: number[];
  /** label → one point per size (null where that combination did not run) */
  series: Array<{ label: string; points: Array<SweepPoint | null> }>;
}

const isSizeKey = (k: string) => k === 'size' || k.endsWith('.size');

function seriesLabel(coordinates: Readonly<Record<string, Value>>): string {
  const parts = Object.entries(coordinates)
    .filter(([k]) => !isSizeKey(k))
    .map(([k, v]) =>
      typeof v === 'boolean' ? (v ? k : '') : k === 'transport' || k === 'placement' || k === 'engine' ? String(v) : `${k} ${String(v)}`,
    )
    .filter((p) => p !== '');
  return parts.length > 0 ? parts.join(' ') : 'all';
}

/** One sweep per scenario whose variants vary the message size over two sizes or more. */
export function sizeSweeps(items: readonly SweepItem[]): Sweep[] {
  const byScenario = new Map<string, Array<SweepItem & { bytes: number }>>();
  for (const item of items) {
    const key = Object.keys(item.coordinates).find(isSizeKey);
    const value = key === undefined ? undefined : item.coordinates[key];
    const bytes = typeof value === 'number' || typeof value === 'string' ? parseSizeBytes(value) : undefined;
    if (bytes === undefined) continue;
    byScenario.set(item.scenario, [...(byScenario.get(item.scenario) ?? []), { ...item, bytes }]);
  }
  const sweeps: Sweep[] = [];
  for (const [scenario, list] of byScenario) {
    const sizes = [...new Set(list.map((i) => i.bytes))].sort((a, b) => a - b);
    if (sizes.length < 2) continue;
    const labels = [...new Set(list.map((i) => seriesLabel(i.coordinates)))];
    sweeps.push({
      scenario,
      sizes,
      series: labels.map((label) => ({
        label,
        points: sizes.map((bytes) => {
          const i = list.find((x) => x.bytes === bytes && seriesLabel(x.coordinates) === label);
          return i
            ? { throughput: i.throughput, bytesPerSec: i.throughput === null ? null : i.throughput * bytes, p50: i.p50, p99: i.p99 }
            : null;
        }),
      })),
    });
  }
  return sweeps;
}

/** What a sweep table shows per cell: msgs/s and bytes/s, or latency p50 / p99. */
export type SweepFigure = 'throughput' | 'latency';

/** The console's (and the README's) table of a sweep: one row per series, one column per size. */
export function sweepTable(s: Sweep, figure: SweepFigure, markdown = false): string {
  const cell = (p: SweepPoint | null) => {
    if (!p) return DASH;
    if (figure === 'throughput') return p.throughput === null ? DASH : `${formatRate(p.throughput)} (${formatBytes(p.bytesPerSec ?? 0)}/s)`;
    return p.p50 === null ? DASH : `${formatLatencyUs(p.p50)} / ${formatLatencyUs(p.p99 ?? 0)}`;
  };
  const title = figure === 'throughput' ? `${s.scenario}: msgs/s (bytes/s)` : `${s.scenario}: p50 / p99`;
  const header = [title, ...s.sizes.map((b) => formatBytes(b))];
  const rows = s.series.map((x) => [x.label, ...x.points.map(cell)]);
  if (!markdown)
    return alignColumns(
      [header, ...rows],
      header.map((_, i) => i > 0),
    ).join('\n');
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map((_, i) => (i > 0 ? '---:' : '---'))), ...rows.map(line)].join('\n');
}
