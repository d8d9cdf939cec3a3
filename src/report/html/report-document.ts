import type { ResultInput } from '../../results/read.js';
import { basename, dirname } from 'node:path';
import { scenarioName, transportOf, verdictOf } from '../../results/facts.js';
import { REPORT_DATA_ID, type ChartSpec, type ReportData } from './chart-spec.js';
import { comparisonSection, type Variant } from './comparison-section.js';
import { jsonForScript } from './escape.js';
import { html, trusted, type SafeHtml } from './html.js';
import { htmlPage } from './page-shell.js';
import { runSection } from './run-section.js';

/**
 * The whole report.html: one self-contained page (styles, data and the chart bundle inline,
 * nothing fetched), for one result or several compared. Pure: results and the bundle in, text out.
 */

/** A result to show, with where it came from and its name in the report. */
export type ReportInput = ResultInput;

export interface ReportOptions {
  /** dist/browser/report.js: the chart code, inlined */
  bundle: string;
  /** when the page was made, shown in the footer */
  generatedAt: Date;
  toolVersion: string;
}

/**
 * A short unique label per result: the scenario name, then its transport, then the folder it
 * came from, then a number, each added only while labels still collide.
 */
export function variantLabels(inputs: readonly ReportInput[]): string[] {
  const given = inputs.map((i) => i.label);
  if (given.every((l): l is string => l !== undefined) && new Set(given).size === given.length) return given;
  const steps: Array<(i: ReportInput, n: number) => string> = [
    (i) => scenarioName(i.result),
    (i) => `${scenarioName(i.result)} · ${transportOf(i.result)}`,
    (i) => `${scenarioName(i.result)} · ${transportOf(i.result)} · ${i.source ? basename(dirname(i.source)) : '?'}`,
    (i, n) => `${scenarioName(i.result)} · ${transportOf(i.result)} · #${n + 1}`,
  ];
  for (const step of steps) {
    const labels = inputs.map(step);
    if (new Set(labels).size === labels.length) return labels;
  }
  return inputs.map((i, n) => steps[3]!(i, n));
}

export function buildReportHtml(inputs: readonly ReportInput[], o: ReportOptions): string {
  if (inputs.length === 0) throw new Error('a report needs at least one result');
  const labels = variantLabels(inputs);
  const variants: Variant[] = inputs.map((i, n) => ({ label: labels[n]!, result: i.result }));
  const sections = variants.map((v, n) => runSection(v.result, n, v.label));
  const comparison = variants.length > 1 ? comparisonSection(variants) : null;
  const charts: ChartSpec[] = [...(comparison?.charts ?? []), ...sections.flatMap((s) => s.charts)];
  const data: ReportData = { charts };

  const verdicts = variants.map((v) => verdictOf(v.result));
  const worst =
    (['interrupted', 'invalid', 'failed'] as const).map((st) => verdicts.find((v) => v.status === st)).find((v) => v !== undefined) ??
    verdicts[0]!;
  const title = variants.length === 1 ? `zmq-bench: ${labels[0]}` : `zmq-bench: ${variants.length} results compared`;
  const nav: SafeHtml | false =
    variants.length > 1 &&
    html`<nav><a href="#comparison">comparison</a>${variants.map((v, n) => html` · <a href="#run${String(n)}"><span class="dot ${verdicts[n]!.status}"></span>${v.label}</a>`)}</nav>`;

  return htmlPage({
    title,
    toolVersion: o.toolVersion,
    body: html`<header class="page-head">
<h1>${title}</h1>
<p class="muted">Overall: <span class="verdict ${worst.status}" data-overall-verdict="${worst.status}">${worst.label}</span> · ${variants
      .map((v) => scenarioName(v.result))
      .filter((n, i, all) => all.indexOf(n) === i)
      .join(', ')}</p>
${nav}
</header>
<main>
${comparison?.markup ?? ''}
${sections.map((s) => s.markup)}
</main>
<footer class="muted">Made by zmq-bench ${o.toolVersion} on ${o.generatedAt.toISOString()} from ${String(variants.length)} result${variants.length > 1 ? 's' : ''}. One self-contained file: works offline.</footer>
<script type="application/json" id="${REPORT_DATA_ID}">${trusted(jsonForScript(data))}</script>
<script>${trusted(scriptSafe(o.bundle))}</script>`,
  });
}

/** An inline script ends at the first "</script"; a minified bundle could contain one in a string. */
export function scriptSafe(code: string): string {
  return code.replace(/<\/(script)/gi, '<\\/$1');
}
