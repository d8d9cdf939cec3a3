import { CHART_ATTRIBUTE, type ChartSpec } from './chart-spec.js';
import { html, type SafeHtml } from './html.js';

/** The titled, fixed-height box the browser code draws a chart into (matched by its id). */
export function chartBox(spec: ChartSpec, size: 'normal' | 'tall' = 'normal'): SafeHtml {
  return html`<figure class="chart"><figcaption>${spec.title}</figcaption><div class="chart-box ${size}" ${CHART_ATTRIBUTE}="${spec.id}" role="img" aria-label="${spec.title}"></div></figure>`;
}
