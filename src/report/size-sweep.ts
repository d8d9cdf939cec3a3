import { parseSizeBytes } from '../core/units.js';
import { alignColumns } from './console-summary.js';
import { DASH, formatBytes, formatLatencyUs, formatRate } from '../core/format.js';

/**
 * libzmq's perf graphs (generate_graphs.py): throughput and latency against message size, one
 * line per transport. From the variants of a matrix that varies the size: per scenario, the
 * sizes in order and one series per combination of the other values (tcp, tcp curve, ...).
 * Where the matrix varies the engine too, the tables give it a column of its own, so each
 * transport's native row (what libzmq does) sits beside its zeromq.js row (what a Node
 * application gets).
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

export interface SweepSeries {
  /** every value but the size: the graphs' legend (tcp curve, tcp curve native) */
  label: string;
  /** the same without the engine: a table's row (tcp curve) */
  row: string;
  /** the matrix's `engine`; null where the matrix does not vary it */
  engine: string | null;
  /** one point per size (null where that combination did not run) */
  points: Array<SweepPoint | null>;
}

export interface Sweep {
  scenario: string;
  /** message sizes in bytes, ascending */
  sizes: number[];
  /** grouped by row, then by engine, each in the order the variants first had them */
  series: SweepSeries[];
}

const isSizeKey = (k: string) => k === 'size' || k.endsWith('.size');
/** Keys whose value alone says what it is (tcp, process, native), so the label leaves the key out. */
const BARE_VALUE = new Set(['transport', 'placement', 'engine']);

function seriesLabel(coordinates: Readonly<Record<string, Value>>, without: (k: string) => boolean = () => false): string {
  const parts = Object.entries(coordinates)
    .filter(([k]) => !isSizeKey(k) && !without(k))
    .map(([k, v]) => (typeof v === 'boolean' ? (v ? k : '') : BARE_VALUE.has(k) ? String(v) : `${k} ${String(v)}`))
    .filter((p) => p !== '');
  return parts.length > 0 ? parts.join(' ') : 'all';
}

const engineOf = (c: Readonly<Record<string, Value>>): string | null => (c['engine'] === undefined ? null : String(c['engine']));
const rowOf = (c: Readonly<Record<string, Value>>): string => seriesLabel(c, (k) => k === 'engine');

/** The series of a sweep's variants: one per label, grouped by row, then by engine. */
function seriesOf(list: ReadonlyArray<SweepItem & { bytes: number }>, sizes: readonly number[]): SweepSeries[] {
  const rows = [...new Set(list.map((i) => rowOf(i.coordinates)))];
  const engines = [...new Set(list.map((i) => engineOf(i.coordinates)))];
  const ordered = [...new Map(list.map((i) => [seriesLabel(i.coordinates), i.coordinates])).entries()].sort(
    ([, a], [, b]) => rows.indexOf(rowOf(a)) - rows.indexOf(rowOf(b)) || engines.indexOf(engineOf(a)) - engines.indexOf(engineOf(b)),
  );
  return ordered.map(([label, coordinates]) => ({
    label,
    row: rowOf(coordinates),
    engine: engineOf(coordinates),
    points: sizes.map((bytes) => {
      const i = list.find((x) => x.bytes === bytes && seriesLabel(x.coordinates) === label);
      return i
        ? { throughput: i.throughput, bytesPerSec: i.throughput === null ? null : i.throughput * bytes, p50: i.p50, p99: i.p99 }
        : null;
    }),
  }));
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
    sweeps.push({ scenario, sizes, series: seriesOf(list, sizes) });
  }
  return sweeps;
}

/** What a sweep table shows per cell: msgs/s and bytes/s, or latency p50 / p99. */
export type SweepFigure = 'throughput' | 'latency';

/**
 * The console's (and the README's) table of a sweep: one row per series, one column per size;
 * where the matrix varies the engine, an engine column, and each row's engines one under another.
 */
export function sweepTable(s: Sweep, figure: SweepFigure, markdown = false): string {
  const cell = (p: SweepPoint | null) => {
    if (!p) return DASH;
    if (figure === 'throughput') return p.throughput === null ? DASH : `${formatRate(p.throughput)} (${formatBytes(p.bytesPerSec ?? 0)}/s)`;
    return p.p50 === null ? DASH : `${formatLatencyUs(p.p50)} / ${formatLatencyUs(p.p99 ?? 0)}`;
  };
  const title = figure === 'throughput' ? `${s.scenario}: msgs/s (bytes/s)` : `${s.scenario}: p50 / p99`;
  const byEngine = s.series.some((x) => x.engine !== null);
  const header = [title, ...(byEngine ? ['engine'] : []), ...s.sizes.map((b) => formatBytes(b))];
  const rows = s.series.map((x) => (byEngine ? [x.row, x.engine ?? DASH] : [x.label]).concat(x.points.map(cell)));
  const figureColumn = (i: number) => i > (byEngine ? 1 : 0);
  if (!markdown)
    return alignColumns(
      [header, ...rows],
      header.map((_, i) => figureColumn(i)),
    ).join('\n');
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map((_, i) => (figureColumn(i) ? '---:' : '---'))), ...rows.map(line)].join('\n');
}

/**
 * Per size, the range over the rows that ran on both engines of `of`'s figure divided by
 * `to`'s (zeromq.js's msgs/s over native's, say); null for a size where no row has both.
 */
export function engineRatios(
  s: Sweep,
  engines: { of: string; to: string },
  pick: (p: SweepPoint) => number | null,
): Array<{ bytes: number; min: number; max: number } | null> {
  const value = (row: string, engine: string, k: number) => {
    const p = s.series.find((x) => x.row === row && x.engine === engine)?.points[k];
    return p ? pick(p) : null;
  };
  const rows = [...new Set(s.series.map((x) => x.row))];
  return s.sizes.map((bytes, k) => {
    const ratios = rows.flatMap((row) => {
      const a = value(row, engines.of, k);
      const b = value(row, engines.to, k);
      return a !== null && b !== null && b > 0 ? [a / b] : [];
    });
    return ratios.length === 0 ? null : { bytes, min: Math.min(...ratios), max: Math.max(...ratios) };
  });
}

/** engineRatios as text: "5–9% at 64 B, 30% at 1.00 KiB", each end written by `format`; sizes without a ratio left out. */
export function ratioText(ratios: ReturnType<typeof engineRatios>, format: (ratio: number) => string): string {
  return ratios
    .filter((r) => r !== null)
    .map((r) => {
      const [low, high] = [format(r.min), format(r.max)];
      return `${low === high ? low : `${low.replace(/[^0-9.]+$/, '')}–${high}`} at ${formatBytes(r.bytes)}`;
    })
    .join(', ');
}
