/** Grouped bars: one group per category, one bar per series. */
import type { ChartConfiguration } from 'chart.js';
import type { BarChart } from '../html/chart-spec.js';
import { axisLook, formatValue, plotValue, valueAxis } from './axes.js';
import { baseOptions, legendOptions } from './common.js';
import { paletteColour, type Theme } from './theme.js';

export function barChartConfig(spec: BarChart, theme: Theme): ChartConfiguration<'bar', Array<number | null>> {
  const log = spec.y.log === true;
  const datasets = spec.series.map((s) => {
    const colour = paletteColour(theme, s.colour);
    return {
      label: s.label,
      data: spec.categories.map((_, i) => plotValue(s.values[i] ?? null, log)),
      // A dashed series (the secondary figure of a group) is drawn as an outline.
      backgroundColor: s.dashed ? 'transparent' : colour,
      borderColor: colour,
      borderWidth: s.dashed ? 1.5 : 0,
    };
  });
  return {
    type: 'bar',
    data: { labels: spec.categories, datasets },
    options: {
      ...baseOptions(theme),
      interaction: { mode: 'index', intersect: false },
      scales: {
        x: { ...axisLook(theme, null), type: 'category', grid: { display: false } },
        y: valueAxis(spec.y, theme),
      },
      plugins: {
        legend: legendOptions(theme, false),
        tooltip: {
          filter: (item) => typeof item.parsed.y === 'number',
          callbacks: {
            label: (item) => `${item.dataset.label ?? ''}: ${formatValue(spec.y.unit, item.parsed.y ?? 0)}`,
          },
        },
      },
    },
  };
}
