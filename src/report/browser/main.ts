/**
 * The report page's script (bundled with Chart.js into dist/browser/report.js and inlined at the
 * end of report.html's <body>): draws every chart described by the page's embedded ReportData
 * into its [data-chart] box, and redraws them when the colour scheme changes.
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
import { CHART_ATTRIBUTE, REPORT_DATA_ID, type ChartSpec, type ReportData } from '../html/chart-spec.js';
import { barChartConfig } from './bar-chart.js';
import { countDrawn } from './common.js';
import { percentileChartConfig } from './percentile-chart.js';
import { readTheme, type Theme } from './theme.js';
import { timeChartConfig } from './time-chart.js';
import { xyChartConfig } from './xy-chart.js';

// Only what the four chart kinds use, so the bundle stays small.
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
interface Slot {
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
function draw(slot: Slot, theme: Theme): void {
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

function readData(): ReportData | null {
  const script = document.getElementById(REPORT_DATA_ID);
  // A page without data has no charts to draw; that is not an error.
  if (script === null) return null;
  try {
    return JSON.parse(script.textContent ?? '') as ReportData;
  } catch (e) {
    console.error(`zmq-bench report: chart data unreadable: ${e instanceof Error ? e.message : String(e)}`);
    return null;
  }
}

function start(): void {
  const data = readData();
  if (data === null || !Array.isArray(data.charts)) return;
  const slots: Slot[] = [];
  for (const spec of data.charts) {
    // Attribute selectors need the id escaped: ids may hold dots or colons.
    const box = document.querySelector<HTMLElement>(`[${CHART_ATTRIBUTE}="${CSS.escape(String(spec.id))}"]`);
    if (box === null) continue;
    const canvas = document.createElement('canvas');
    box.appendChild(canvas);
    slots.push({ box, canvas, spec, chart: null });
  }
  if (slots.length === 0) return;

  let theme = readTheme();
  for (const slot of slots) draw(slot, theme);

  // Colours live in the chart options, so a theme switch means drawing again with the new ones.
  matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => {
    theme = readTheme();
    for (const slot of slots) draw(slot, theme);
  });
}

start();
