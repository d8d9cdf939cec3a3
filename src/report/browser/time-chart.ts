/** A metric over time: one line per series, warm-up shaded, faults and socket events marked. */
import type { ChartConfiguration } from 'chart.js';
import type { AnnotationOptions } from 'chartjs-plugin-annotation';
import type { TimeChart } from '../html/chart-spec.js';
import { axisLook, formatSeconds, formatValue, plotValue, valueAxis } from './axes.js';
import { baseOptions, legendOptions, type XY } from './common.js';
import { FAULT_FONT, FAULT_PADDING, faultLabelOffset, type FaultLabel, type ReservedLabel } from './fault-labels.js';
import { socketMarkers } from './socket-markers.js';
import { paletteColour, type Theme } from './theme.js';

const X_TITLE = 'time since measurement start (s)';

export function timeChartConfig(spec: TimeChart, theme: Theme): ChartConfiguration<'line', XY[]> {
  const log = spec.y.log === true;
  const datasets = spec.series.map((s) => {
    const colour = paletteColour(theme, s.colour);
    return {
      label: s.label,
      data: spec.t.map((x, i): XY => ({ x, y: plotValue(s.values[i] ?? null, log) })),
      borderColor: colour,
      backgroundColor: colour,
      borderWidth: 1.5,
      borderDash: s.dashed ? [5, 3] : [],
      pointRadius: 0,
      pointHoverRadius: 3,
      spanGaps: false,
    };
  });
  const lastT = spec.t[spec.t.length - 1];
  const socketTimes = spec.markers.filter((m) => m.kind === 'socket').map((m) => m.tS);
  return {
    type: 'line',
    data: { datasets },
    plugins: [socketMarkers(socketTimes, theme.socket)],
    options: {
      ...baseOptions(theme),
      // Data is given as sorted {x, y} points: skip Chart.js's parsing and sorting checks.
      parsing: false,
      normalized: true,
      // Hovering anywhere shows every series at that time.
      interaction: { mode: 'index', intersect: false },
      scales: {
        x: {
          ...axisLook(theme, X_TITLE),
          type: 'linear',
          // The axis spans the measurement, not a rounded-out tick range.
          bounds: 'data',
          ticks: {
            color: theme.muted,
            includeBounds: false,
            callback: (value) => formatSeconds(Number(value)),
          },
          // With bounds: 'data' Chart.js counts its ticks from the first point (0.156, 2.156…):
          // keep its spacing but put the ticks on round multiples of it.
          afterBuildTicks: (axis) => {
            const [a, b] = axis.ticks;
            if (!a || !b) return;
            const step = b.value - a.value;
            const ticks = [];
            for (let k = Math.ceil(axis.min / step); k * step <= axis.max + step * 1e-9; k++)
              ticks.push({ value: Number((k * step).toPrecision(12)) });
            axis.ticks = ticks;
          },
        },
        y: valueAxis(spec.y, theme),
      },
      plugins: {
        legend: legendOptions(theme, true),
        tooltip: {
          filter: (item) => typeof item.parsed.y === 'number',
          callbacks: {
            title: (items) => (items[0] ? `t = ${formatSeconds(items[0].parsed.x ?? 0)} s` : ''),
            label: (item) => `${item.dataset.label ?? ''}: ${formatValue(spec.y.unit, item.parsed.y ?? 0)}`,
          },
        },
        annotation: { annotations: annotations(spec, theme, lastT) },
      },
    },
  };
}

/** The warm-up band and the fault lines, drawn by chartjs-plugin-annotation. */
function annotations(spec: TimeChart, theme: Theme, lastT: number | undefined): AnnotationOptions[] {
  const out: AnnotationOptions[] = [];
  const firstT = spec.t[0];
  let warmup: ReservedLabel | null = null;
  if (spec.warmupEndS !== null && firstT !== undefined && firstT < spec.warmupEndS) {
    // Clamped so a warm-up longer than the data does not stretch the axis.
    warmup = { fromS: firstT, toS: lastT === undefined ? spec.warmupEndS : Math.min(spec.warmupEndS, lastT), text: 'warm-up' };
    out.push({
      type: 'box',
      xMin: warmup.fromS,
      xMax: warmup.toS,
      backgroundColor: theme.warmup,
      borderWidth: 0,
      drawTime: 'beforeDatasetsDraw',
      label: {
        display: true,
        content: warmup.text,
        position: { x: 'center', y: 'start' },
        color: theme.muted,
        font: { size: 10 },
      },
    });
  }
  const faults: FaultLabel[] = spec.markers.filter((m) => m.kind === 'fault').map((m) => ({ tS: m.tS, text: m.label }));
  faults.forEach((f, index) => {
    out.push({
      type: 'line',
      scaleID: 'x',
      value: f.tS,
      borderColor: theme.fault,
      borderWidth: 1.5,
      label: {
        display: true,
        content: f.text,
        position: 'start',
        color: theme.fault,
        // A halo rather than a box: readable over lines without hiding the spike it explains.
        backgroundColor: 'transparent',
        textStrokeColor: theme.bg,
        textStrokeWidth: 3,
        font: FAULT_FONT,
        padding: FAULT_PADDING,
        xAdjust: ({ chart }) => faultLabelOffset(chart, faults, warmup, theme.fontFamily, index).dx,
        yAdjust: ({ chart }) => faultLabelOffset(chart, faults, warmup, theme.fontFamily, index).dy,
      },
    });
  });
  return out;
}
