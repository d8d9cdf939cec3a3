/** A figure against another (a rate search's steps): points joined in order of x, failed ones crossed, labelled vertical lines. */
import type { ChartConfiguration } from 'chart.js';
import type { AnnotationOptions } from 'chartjs-plugin-annotation';
import type { XYChart } from '../html/chart-spec.js';
import { formatValue, plotValue, valueAxis } from './axes.js';
import { baseOptions, legendOptions, type XY } from './common.js';
import { paletteColour, type Theme } from './theme.js';

export function xyChartConfig(spec: XYChart, theme: Theme): ChartConfiguration<'line', XY[]> {
  const xLog = spec.x.log === true;
  const yLog = spec.y.log === true;
  const datasets = spec.series.map((s) => {
    const colour = paletteColour(theme, s.colour);
    const points = s.points
      .map(([x, y], i) => ({ x, y: plotValue(y, yLog), crossed: s.crossed?.[i] === true }))
      .filter((p) => Number.isFinite(p.x) && (!xLog || p.x > 0))
      .sort((a, b) => a.x - b.x);
    return {
      label: s.label,
      data: points.map((p): XY => ({ x: p.x, y: p.y })),
      borderColor: colour,
      backgroundColor: colour,
      borderWidth: 1.5,
      borderDash: s.dashed ? [5, 3] : [],
      // a dashed series is a reference line (offered = achieved): no points of its own
      pointRadius: s.dashed ? 0 : points.map((p) => (p.crossed ? 5 : 3)),
      pointStyle: points.map((p) => (p.crossed ? 'crossRot' : 'circle')),
      pointHoverRadius: 5,
      spanGaps: true,
    };
  });
  return {
    type: 'line',
    data: { datasets },
    options: {
      ...baseOptions(theme),
      parsing: false,
      interaction: { mode: 'nearest', axis: 'x', intersect: false },
      scales: {
        x: valueAxis(spec.x, theme),
        y: valueAxis(spec.y, theme),
      },
      plugins: {
        legend: legendOptions(theme, true),
        tooltip: {
          filter: (item) => typeof item.parsed.y === 'number',
          callbacks: {
            title: (items) => (items[0] ? `${formatValue(spec.x.unit, items[0].parsed.x ?? 0)} offered` : ''),
            label: (item) => `${item.dataset.label ?? ''}: ${formatValue(spec.y.unit, item.parsed.y ?? 0)}`,
          },
        },
        annotation: { annotations: spec.markers.map((m): AnnotationOptions => marker(m, theme)) },
      },
    },
  };
}

function marker(m: XYChart['markers'][number], theme: Theme): AnnotationOptions {
  return {
    type: 'line',
    scaleID: 'x',
    value: m.x,
    borderColor: theme.muted,
    borderWidth: 1,
    borderDash: [2, 3],
    label: {
      display: true,
      content: m.label,
      position: 'start',
      color: theme.fg,
      backgroundColor: 'transparent',
      textStrokeColor: theme.bg,
      textStrokeWidth: 3,
      font: { size: 11 },
    },
  };
}
