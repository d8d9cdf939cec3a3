import { readFile } from 'node:fs/promises';
import { messageOf } from '../core/errors.js';
import { html, trusted } from '../report/html/html.js';
import { htmlPage } from '../report/html/page-shell.js';
import { scriptSafe } from '../report/html/report-document.js';

/**
 * The live page: the report's frame and styles with empty places for the figures, the charts and
 * the timeline, which its script (live/browser, bundled into dist/browser/live.js) fills from the
 * server's event stream. Self-contained like the report: nothing is fetched but the stream.
 */

let bundle: string | undefined;

/** dist/browser/live.js (Chart.js, the report's chart code and the page's own), built by `npm run build`. */
export async function liveBundle(): Promise<string> {
  // dist/src/live/live-page.js → dist/browser/live.js
  const url = new URL('../../browser/live.js', import.meta.url);
  try {
    bundle ??= await readFile(url, 'utf8');
  } catch (e) {
    throw new Error(`the live page's code is missing (${messageOf(e)}): run npm run build`);
  }
  return bundle;
}

const LIVE_STYLES = `
.verdict.connecting, .verdict.waiting { background: var(--muted); }
.verdict.live { background: var(--series-0); }
.verdict.lost { background: var(--warn); }
.verdict.failed { background: var(--bad); }
`;

export function livePageHtml(o: { toolVersion: string; bundle: string }): string {
  return htmlPage({
    title: 'zmq-bench live',
    toolVersion: o.toolVersion,
    extraStyles: LIVE_STYLES,
    body: html`<header class="page-head">
<h1>zmq-bench live: <span data-live-label>waiting for a run</span></h1>
<p class="muted"><span class="verdict connecting" data-live-state="connecting">connecting</span> <span data-live-run></span> · phase <strong data-live-phase>-</strong> · <span data-live-elapsed></span></p>
<div class="problems" data-live-problems hidden></div>
</header>
<main>
<section data-live-section>
<dl class="figures" data-live-figures></dl>
<section class="card" data-live-percentile-card hidden><h3>Latency distribution</h3><p class="muted">HdrHistogram style: the x axis stretches the tail. Measured phase so far.</p><div data-live-percentiles></div></section>
<section class="card"><h3>Over time</h3><p class="muted"><span data-live-point></span> Shaded: warm-up. Red lines: faults; dotted lines: connection events.</p><div class="chart-grid" data-live-charts></div></section>
<details class="timeline" open><summary>Timeline: <span data-live-timeline-count>0</span> events (faults and connections)</summary>
<div class="table-wrap"><table><thead><tr><th class="num">time since measurement start</th><th>kind</th><th>what</th><th>detail</th></tr></thead><tbody data-live-timeline></tbody></table></div></details>
<section class="card" data-live-finished hidden><h3>Runs finished</h3><ul></ul></section>
</section>
</main>
<footer class="muted">zmq-bench ${o.toolVersion} live page: updated with every sample; becomes the report when the run command ends.</footer>
<script>${trusted(scriptSafe(o.bundle))}</script>`,
  });
}
