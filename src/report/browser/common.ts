/** Options every chart shares: fixed-size box, no animation, legend below. */
import { Chart, type LegendItem } from 'chart.js';
import type { Theme } from './theme.js';

/** One drawn point of a line; y null is a gap. */
export interface XY {
  x: number;
  y: number | null;
}

/**
 * Chart-wide settings. The box's height comes from the page's CSS, hence no aspect ratio;
 * no animation because a report is read, not watched (and 50 charts animate slowly).
 */
export function baseOptions(theme: Theme) {
  return {
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    // Chart.js formats unlabelled numbers with the browser's locale; pin it like format.ts does.
    locale: 'en-US',
    font: { family: theme.fontFamily },
  } as const;
}

/** The legend below the plot; line charts show a line sample so dashed series read as dashed. */
export function legendOptions(theme: Theme, lineSamples: boolean) {
  return {
    position: 'bottom',
    labels: {
      color: theme.fg,
      usePointStyle: lineSamples,
      pointStyle: 'line',
      pointStyleWidth: 24,
      boxWidth: 12,
      boxHeight: 12,
      ...(lineSamples ? { generateLabels: lineLegendItems } : {}),
    },
  } as const;
}

/**
 * Chart.js takes a point-style legend sample from the point options, which have no dash:
 * copy each line's dash and width onto its sample.
 */
function lineLegendItems(chart: Chart): LegendItem[] {
  const items = Chart.defaults.plugins.legend.labels.generateLabels(chart);
  for (const item of items) {
    const ds = item.datasetIndex === undefined ? undefined : chart.data.datasets[item.datasetIndex];
    if (ds && 'borderDash' in ds) {
      item.lineDash = ds.borderDash as number[];
      item.lineWidth = 1.5;
    }
  }
  return items;
}

/** How many data points a chart drew: the non-null values over all datasets (for data-drawn). */
export function countDrawn(datasets: ReadonlyArray<{ data: ReadonlyArray<unknown> }>): number {
  let n = 0;
  for (const ds of datasets) {
    for (const d of ds.data) {
      const v = typeof d === 'object' && d !== null ? (d as { y?: unknown }).y : d;
      if (typeof v === 'number' && Number.isFinite(v)) n++;
    }
  }
  return n;
}
