/**
 * Draws one ChartSpec into its box with Chart.js: what the report page (main.ts) and the live
 * page (live/browser) share, so both show the same charts. Registers the Chart.js parts the
 * four chart kinds use, so the bundles stay small.
 */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  LogarithmicScale,
  PointElement,
  Tooltip,
} from 'chart.js';
import annotationPlugin from 'chartjs-plugin-annotation';
import type { ChartSpec } from '../html/chart-spec.js';
import { barChartConfig } from './bar-chart.js';
import { countDrawn } from './common.js';
import { percentileChartConfig } from './percentile-chart.js';
import type { Theme } from './theme.js';
import { timeChartConfig } from './time-chart.js';
import { xyChartConfig } from './xy-chart.js';

Chart.register(
  LineController,
  BarController,
  LineElement,
  PointElement,
  BarElement,
  LinearScale,
  LogarithmicScale,
  CategoryScale,
  Legend,
  Tooltip,
  annotationPlugin,
);

/** A chart on the page: its box, its spec, and the Chart.js instance while one is drawn. */
export interface Slot {
  box: HTMLElement;
  canvas: HTMLCanvasElement;
  spec: ChartSpec;
  chart: { destroy(): void; data: { datasets: Array<{ data: unknown[] }> } } | null;
}

function createChart(canvas: HTMLCanvasElement, spec: ChartSpec, theme: Theme): NonNullable<Slot['chart']> {
  switch (spec.kind) {
    case 'time':
      return new Chart(canvas, timeChartConfig(spec, theme));
    case 'percentile':
      return new Chart(canvas, percentileChartConfig(spec, theme));
    case 'bar':
      return new Chart(canvas, barChartConfig(spec, theme));
    case 'xy':
      return new Chart(canvas, xyChartConfig(spec, theme));
    default:
      // The JSON comes from a file, not the compiler: say what was wrong rather than draw nothing.
      throw new Error(`unknown chart kind ${JSON.stringify((spec as { kind: unknown }).kind)}`);
  }
}

/** (Re)draws one chart; a failure is reported and leaves the other charts alone. */
export function draw(slot: Slot, theme: Theme): void {
  try {
    slot.chart?.destroy();
    slot.chart = null;
    slot.box.removeAttribute('data-drawn');
    slot.chart = createChart(slot.canvas, slot.spec, theme);
    // Lets tests (and curious readers) see that the chart really received its data.
    slot.box.setAttribute('data-drawn', String(countDrawn(slot.chart.data.datasets)));
  } catch (e) {
    console.error(`zmq-bench report: chart ${slot.spec.id} failed: ${e instanceof Error ? e.message : String(e)}`);
  }
}
