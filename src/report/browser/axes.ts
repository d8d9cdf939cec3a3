/**
 * Axis formatting and scale options shared by every chart kind: numbers are written with the
 * same formatters as the console report, so a figure reads the same in both.
 */
import type { ScaleOptions, Scale } from 'chart.js';
import type { Axis, AxisUnit } from '../html/chart-spec.js';
import { formatBytes, formatCount, formatLatencyUs, formatPercent, formatRate } from '../../core/format.js';
import type { Theme } from './theme.js';

/** A value written in its axis unit, for tooltips: "1.25ms", "12.3k", "12.5%". */
export function formatValue(unit: AxisUnit, v: number): string {
  switch (unit) {
    case 'us':
      return formatLatencyUs(v);
    case 'rate':
      return formatRate(v);
    case 'count':
      return formatCount(v);
    case 'bytes':
      return formatBytes(v);
    case 'ms':
      return formatLatencyUs(v * 1000);
    case 'fraction':
      return formatPercent(v);
    case 'ratio':
      return `${v.toFixed(2)}×`;
  }
}

/** A tick label: as formatValue, but a bare "0" rather than "0.00us" at the origin. */
function tickLabel(unit: AxisUnit, v: number): string {
  return v === 0 ? '0' : formatValue(unit, v);
}

/** What to plot for a value: a log axis cannot show 0 or negatives, so those become gaps. */
export function plotValue(v: number | null, log: boolean): number | null {
  if (v === null || !Number.isFinite(v)) return null;
  return log && v <= 0 ? null : v;
}

/** Seconds on a time axis, without float noise (0.30000000000000004) or locale separators. */
export function formatSeconds(s: number): string {
  return String(Number(s.toFixed(3)));
}

/** True when v is (within float noise) an integer power of ten. */
export function isPowerOfTen(v: number): boolean {
  if (!(v > 0)) return false;
  const p = 10 ** Math.round(Math.log10(v));
  return Math.abs(v - p) <= p * 1e-9;
}

/**
 * Which log-axis ticks get a label: 1-2-5 per decade over a short range, powers of ten only
 * over a long one, so labels never crowd a 260px chart.
 */
function logTickLabelled(v: number, min: number, max: number): boolean {
  if (!(v > 0)) return false;
  const decades = min > 0 ? Math.log10(max / min) : Infinity;
  const mantissa = Math.round((v / 10 ** Math.floor(Math.log10(v) + 1e-9)) * 1000) / 1000;
  if (decades > 3) return mantissa === 1;
  return mantissa === 1 || mantissa === 2 || mantissa === 5;
}

/** Colours and title common to every axis. */
export function axisLook(theme: Theme, title: string | null): Pick<ScaleOptions<'linear'>, 'grid' | 'border' | 'title' | 'ticks'> {
  return {
    grid: { color: theme.grid },
    border: { color: theme.grid },
    title: { display: title !== null, text: title ?? '', color: theme.fg },
    ticks: { color: theme.muted },
  };
}

/** The value (y) axis of any chart, linear or log by the spec, ticks in its unit. */
export function valueAxis(axis: Axis, theme: Theme): ScaleOptions<'linear'> | ScaleOptions<'logarithmic'> {
  const look = axisLook(theme, axis.title);
  if (axis.log) {
    return {
      ...look,
      type: 'logarithmic',
      ticks: {
        ...look.ticks,
        // We thin the labels ourselves (1-2-5); Chart.js's auto-skip would drop the wrong ones.
        autoSkip: false,
        callback(this: Scale, value: number | string) {
          const v = Number(value);
          return logTickLabelled(v, this.min, this.max) ? tickLabel(axis.unit, v) : '';
        },
      },
    };
  }
  return {
    ...look,
    type: 'linear',
    // Rates and latencies are read against zero; a floating origin exaggerates small changes.
    beginAtZero: true,
    ticks: {
      ...look.ticks,
      callback: (value: number | string) => tickLabel(axis.unit, Number(value)),
    },
    ...(axis.unit === 'bytes' ? { afterBuildTicks: binaryTicks } : {}),
  };
}

/** Bytes read best on binary steps (256 KiB, 1 MiB), not Chart.js's decimal ones (488 KiB). */
function binaryTicks(axis: Scale): void {
  const span = axis.max - axis.min;
  if (!(span > 0)) return;
  const wanted = span / 6;
  let step = 1;
  while (step * 2 <= wanted) step *= 2;
  if (step < wanted) step *= 2;
  const ticks = [];
  for (let k = Math.ceil(axis.min / step); k * step <= axis.max; k++) ticks.push({ value: k * step });
  axis.ticks = ticks;
}
