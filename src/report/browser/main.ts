/**
 * The report page's script (bundled with Chart.js into dist/browser/report.js and inlined at the
 * end of report.html's <body>): draws every chart described by the page's embedded ReportData
 * into its [data-chart] box, and redraws them when the colour scheme changes.
 */
import { CHART_ATTRIBUTE, REPORT_DATA_ID, type ReportData } from '../html/chart-spec.js';
import { draw, type Slot } from './draw.js';
import { readTheme } from './theme.js';

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
