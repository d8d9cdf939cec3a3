/**
 * HdrHistogram's percentile plot: x = 1/(1-p) on a log axis so the tail gets room, labelled
 * back as percentiles (0%, 90%, 99%, 99.9%…).
 */
import type { ChartConfiguration } from 'chart.js';
import type { PercentileChart } from '../html/chart-spec.js';
import { axisLook, formatValue, isPowerOfTen, plotValue, valueAxis } from './axes.js';
import { baseOptions, legendOptions, type XY } from './common.js';
import { paletteColour, type Theme } from './theme.js';

const X_TITLE = 'percentile';

/** A power of ten 10^k as its percentile: 1 → "0%", 10 → "90%", 1000 → "99.9%". */
function powerOfTenLabel(x: number): string {
  const k = Math.round(Math.log10(x));
  if (k <= 0) return '0%';
  if (k === 1) return '90%';
  return `99${k > 2 ? '.' + '9'.repeat(k - 2) : ''}%`;
}

/**
 * Any x as "p99.9": up to 4 decimals, zeros trimmed; more decimals only when rounding would
 * otherwise claim 100 for a point that is not the maximum.
 */
export function percentileName(x: number): string {
  const p = 100 * (1 - 1 / x);
  let digits = 4;
  let text = p.toFixed(digits);
  while (Number(text) >= 100 && p < 100 && digits < 12) text = p.toFixed(++digits);
  return `p${text.includes('.') ? text.replace(/\.?0+$/, '') : text}`;
}

export function percentileChartConfig(spec: PercentileChart, theme: Theme): ChartConfiguration<'line', XY[]> {
  const log = spec.y.log === true;
  const datasets = spec.curves.map((c) => {
    const colour = paletteColour(theme, c.colour);
    return {
      label: c.label,
      // x < 1 cannot be on the axis (and would mean p < 0): dropped rather than clamped.
      data: c.points.filter(([x]) => Number.isFinite(x) && x >= 1).map(([x, v]): XY => ({ x, y: plotValue(v, log) })),
      borderColor: colour,
      backgroundColor: colour,
      borderWidth: 1.5,
      borderDash: c.dashed ? [5, 3] : [],
      pointRadius: 0,
      pointHoverRadius: 3,
      spanGaps: false,
    };
  });
  return {
    type: 'line',
    data: { datasets },
    options: {
      ...baseOptions(theme),
      parsing: false,
      normalized: true,
      // Curves have points at different x: show the one nearest the pointer.
      interaction: { mode: 'nearest', axis: 'xy', intersect: false },
      scales: {
        x: {
          ...axisLook(theme, X_TITLE),
          type: 'logarithmic',
          min: 1,
          // Only powers of ten are percentiles worth a label (and a grid line).
          afterBuildTicks: (axis) => {
            axis.ticks = axis.ticks.filter((t) => isPowerOfTen(t.value));
          },
          ticks: {
            color: theme.muted,
            autoSkip: false,
            maxRotation: 0,
            callback: (value) => powerOfTenLabel(Number(value)),
          },
        },
        y: valueAxis(spec.y, theme),
      },
      plugins: {
        legend: legendOptions(theme, true),
        tooltip: {
          callbacks: {
            // "p99.9: 1.25ms" under the curve's name.
            title: (items) => items[0]?.dataset.label ?? '',
            label: (item) => `${percentileName(item.parsed.x ?? 1)}: ${formatValue(spec.y.unit, item.parsed.y ?? 0)}`,
          },
        },
      },
    },
  };
}
