import type { RunResult, TimeSeries, TimeSeriesGroup } from '../core/types.js';
import { html, type SafeHtml } from '../report/html/html.js';
import { htmlPage } from '../report/html/page-shell.js';
import { countsLine, formatValue } from './catalogue-table.js';
import { parsePath } from '../scenario/expect/result-paths.js';
import type { AssertionOutcome, CatalogueEntry, Verdict } from './verdict.js';

/**
 * catalogue.html, the report of a `zmq-bench verify` run: one card per claim with its
 * assertions (what each says, the figure measured, what was wanted), the verdict, a link to
 * the claim's own report.html and its key chart: the figure the first assertion reads, per
 * interval over the run. The charts are inline SVG drawn here, so the page needs no script,
 * fetches nothing and works offline. Pure: claims in, one self-contained page out; every
 * string from a scenario or a result goes through html`` and is escaped.
 */

export interface CatalogueClaim {
  entry: CatalogueEntry;
  /** the claim's run; null when its scenario produced no result */
  result: RunResult | null;
  /** the claim's report.html, relative to catalogue.html (a '/'-separated path); absent when none was written */
  report?: string;
  /** the scenario's name and the transport it ran on */
  scenario: string;
  transport: string;
}

/** A claim left out because it does not apply to the transport asked for. */
export interface SkippedClaim {
  behaviour: string;
  claim: string;
  scenario: string;
  /** the transports it applies to */
  transports: readonly string[];
  /** why it cannot run on this machine (an engine that cannot load); absent: not claimed for the transport asked for */
  why?: string;
}

export interface CatalogueHtmlOptions {
  generatedAt: Date;
  toolVersion: string;
  /** `verify --transport`; absent when each claim ran on its scenario's own */
  transport?: string;
  skipped?: readonly SkippedClaim[];
}

// ---------------------------------------------------------------------------------------------
// The key chart: which series of result.timeseries the first assertion is about

type SeriesName =
  | 'sent'
  | 'received'
  | 'lost'
  | 'notSent'
  | 'blockedMs'
  | 'inFlight'
  | 'latencyP50'
  | 'latencyP99'
  | 'latencyMax'
  | 'sendLagP99';

const SERIES_LABEL: Record<SeriesName, string> = {
  sent: 'sent per interval',
  received: 'received per interval',
  lost: 'lost per interval',
  notSent: 'not sent per interval',
  blockedMs: 'ms blocked per interval',
  inFlight: 'in flight (end of interval)',
  latencyP50: 'latency p50, µs',
  latencyP99: 'latency p99, µs',
  latencyMax: 'latency max, µs',
  sendLagP99: 'send lag p99, µs',
};

function seriesOf(g: TimeSeriesGroup, s: SeriesName): readonly number[] | undefined {
  switch (s) {
    case 'latencyP50':
      return g.latency?.p50;
    case 'latencyP99':
      return g.latency?.p99;
    case 'latencyMax':
      return g.latency?.max;
    default:
      return g[s];
  }
}

/** Counters add up over groups (for totals.*); gauges and percentiles take the largest. */
const ADDS: ReadonlySet<SeriesName> = new Set(['sent', 'received', 'lost', 'notSent', 'blockedMs', 'inFlight']);

/** The series for a field below groups.<name>. or totals.: e.g. loss.head → lost, blocked.ms → blockedMs. */
export function seriesForField(field: readonly string[], direction?: string): SeriesName | undefined {
  const [first, second] = field;
  switch (first) {
    case 'lost':
    case 'loss':
      return 'lost';
    case 'sent':
      return 'sent';
    case 'received':
    case 'expected':
    case 'duplicates':
    case 'reordered':
    case 'misrouted':
    case 'drained':
    case 'prefixes':
    case 'content':
      return 'received';
    case 'notSent':
      return 'notSent';
    case 'blocked':
      return 'blockedMs';
    case 'requests':
      return second === 'stalled' || second === 'stalledMs' ? 'inFlight' : 'received';
    case 'throughput':
      return direction === 'sends' ? 'sent' : 'received';
    case 'latency':
    case 'latencyFromSend':
      return second === 'p50' || second === 'mean' || second === 'min' ? 'latencyP50' : second === 'max' ? 'latencyMax' : 'latencyP99';
    case 'sendLag':
      return 'sendLagP99';
    default:
      return undefined;
  }
}

export interface KeySeries {
  /** the group drawn, or null for the sum over all groups (totals.*) */
  group: string | null;
  name: SeriesName;
  label: string;
  values: number[];
}

export interface KeyChart {
  /** what the chart shows, e.g. "subscriber: lost per interval" */
  title: string;
  /** ms since measurement started, the end of each point */
  t: number[];
  intervalMs: number;
  series: KeySeries[];
  /** kills, restarts and other faults: ms since measurement started */
  faults: Array<{ tMs: number; what: string }>;
  /** the end of the measured phase (senders stop; what follows is the drain), ms since it started */
  measuredMs: number;
}

/**
 * What the first assertion's path reads, as series of the run's time series: the matching
 * series of its group (or of all groups for totals.*); else, and for other paths, received
 * and lost of the group named (or of the first receiving group). Undefined when the result
 * has no time series.
 */
export function keyChart(entry: CatalogueEntry, result: RunResult | null): KeyChart | undefined {
  const ts = result?.timeseries;
  if (!result || !ts || ts.points === 0 || ts.t.length === 0) return undefined;
  const groupNames = Object.keys(ts.groups);
  if (groupNames.length === 0) return undefined;
  const first: AssertionOutcome | undefined = entry.assertions[0];
  const segments = first ? parsePath(first.path) : [];
  const path = typeof segments === 'string' ? [] : segments;

  let group: string | null | undefined;
  let name: SeriesName | undefined;
  if (path[0] === 'groups' && path[1] !== undefined && ts.groups[path[1]]) {
    group = path[1];
    name = seriesForField(path.slice(2), result.groups.find((g) => g.name === group)?.direction);
  } else if (path[0] === 'totals') {
    group = null;
    name = seriesForField(path.slice(1));
  }
  const faults = (result.timeline ?? []).flatMap((e) => (e.kind === 'fault' ? [{ tMs: e.tMs, what: `${e.action} ${e.target}` }] : []));
  const base = { t: ts.t.slice(0, ts.points), intervalMs: ts.intervalMs, faults, measuredMs: result.timing.measuredMs };
  if (group !== undefined && name !== undefined) {
    const values = combined(ts, group, name);
    if (values) {
      const label = SERIES_LABEL[name];
      return { ...base, title: `${group ?? 'all groups'}: ${label}`, series: [{ group, name, label, values }] };
    }
  }
  // fall back: received and lost of the group named, else of the first group that receives
  const receiver = result.groups.find((g) => g.direction !== 'sends' && ts.groups[g.name])?.name;
  const g = typeof group === 'string' ? group : (receiver ?? groupNames[0]!);
  const series = (['received', 'lost'] as const).flatMap((n) => {
    const values = combined(ts, g, n);
    return values ? [{ group: g, name: n, label: SERIES_LABEL[n], values }] : [];
  });
  return series.length === 0 ? undefined : { ...base, title: `${g}: received and lost per interval`, series };
}

function combined(ts: TimeSeries, group: string | null, name: SeriesName): number[] | undefined {
  const groups = group === null ? Object.values(ts.groups) : [ts.groups[group]].filter((g): g is TimeSeriesGroup => g !== undefined);
  const all = groups.map((g) => seriesOf(g, name)).filter((s): s is number[] => Array.isArray(s));
  if (all.length === 0) return undefined;
  return Array.from({ length: ts.points }, (_, i) => {
    const at = all.map((s) => (Number.isFinite(s[i]) ? s[i]! : 0));
    return ADDS.has(name) ? at.reduce((a, b) => a + b, 0) : Math.max(...at);
  });
}

// ---------------------------------------------------------------------------------------------
// Drawing

const W = 360;
const H = 130;
const PAD = { left: 44, right: 8, top: 8, bottom: 20 };

const num = (v: number) => (Math.round(v * 10) / 10).toString();

/** A short axis label: 1.2k, 35, 0.5. */
function axisValue(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e6) return `${Number((v / 1e6).toPrecision(3))}M`;
  if (a >= 1e4) return `${Number((v / 1e3).toPrecision(3))}k`;
  return formatValue(Number(v.toPrecision(3)));
}

const seconds = (ms: number) => `${Number((ms / 1000).toPrecision(3))} s`;

/** The key chart as an inline SVG, or a note saying why there is none. */
export function keyChartSvg(chart: KeyChart | undefined): SafeHtml {
  if (!chart) return html`<p class="muted no-chart">no time series in this result</p>`;
  const t0 = Math.min(0, chart.t[0]! - chart.intervalMs);
  const t1 = Math.max(chart.t[chart.t.length - 1]!, t0 + 1);
  const peak = Math.max(0, ...chart.series.flatMap((s) => s.values));
  const top = peak > 0 ? peak : 1;
  const x = (t: number) => PAD.left + ((t - t0) / (t1 - t0)) * (W - PAD.left - PAD.right);
  const y = (v: number) => H - PAD.bottom - (v / top) * (H - PAD.top - PAD.bottom);
  const lines = chart.series.map((s, i) => {
    const points = s.values.map((v, k) => `${num(x(chart.t[k]!))},${num(y(v))}`).join(' ');
    // a line needs two points: a run that ended within an interval or two also gets a dot per point
    const dots =
      s.values.length < 3 &&
      s.values.map((v, k) => html`<circle class="key-dot s${String(i)}" cx="${num(x(chart.t[k]!))}" cy="${num(y(v))}" r="2.5"/>`);
    return html`<polyline class="key-line s${String(i)}" data-series="${s.name}" data-points="${String(s.values.length)}" points="${points}"><title>${s.label}</title></polyline>${dots}`;
  });
  const zeroX = x(0);
  const warmup =
    t0 < 0 &&
    html`<rect class="key-warmup" x="${num(PAD.left)}" y="${num(PAD.top)}" width="${num(Math.max(0, zeroX - PAD.left))}" height="${num(H - PAD.top - PAD.bottom)}"><title>warm-up</title></rect>`;
  const faults = chart.faults
    .filter((f) => f.tMs >= t0 && f.tMs <= t1)
    .map(
      (f) =>
        html`<line class="key-fault" x1="${num(x(f.tMs))}" x2="${num(x(f.tMs))}" y1="${num(PAD.top)}" y2="${num(H - PAD.bottom)}"><title>${f.what} at ${seconds(f.tMs)}</title></line>`,
    );
  const stop =
    chart.measuredMs > 0 &&
    chart.measuredMs < t1 &&
    html`<line class="key-stop" x1="${num(x(chart.measuredMs))}" x2="${num(x(chart.measuredMs))}" y1="${num(PAD.top)}" y2="${num(H - PAD.bottom)}"><title>end of the measured phase at ${seconds(chart.measuredMs)}: senders stop, receivers drain</title></line>`;
  const legend =
    chart.series.length > 1 &&
    html`<figcaption class="key-legend">${chart.series.map((s, i) => html`<span class="swatch s${String(i)}"></span>${s.label} `)}</figcaption>`;
  const label = `${chart.title}, ${String(chart.t.length)} points over ${seconds(t1 - t0)}; largest ${formatValue(peak)}`;
  return html`<figure class="key-chart">
<svg class="key" viewBox="0 0 ${String(W)} ${String(H)}" width="${String(W)}" height="${String(H)}" role="img" aria-label="${label}" data-key-chart="${chart.series.map((s) => s.name).join(',')}" data-peak="${String(peak)}">
<title>${label}</title>
${warmup}
<line class="key-axis" x1="${num(PAD.left)}" x2="${num(W - PAD.right)}" y1="${num(H - PAD.bottom)}" y2="${num(H - PAD.bottom)}"/>
<line class="key-grid" x1="${num(PAD.left)}" x2="${num(W - PAD.right)}" y1="${num(PAD.top)}" y2="${num(PAD.top)}"/>
<text class="key-tick" x="${num(PAD.left - 4)}" y="${num(PAD.top + 4)}" text-anchor="end">${axisValue(peak)}</text>
<text class="key-tick" x="${num(PAD.left - 4)}" y="${num(H - PAD.bottom)}" text-anchor="end">0</text>
<text class="key-tick" x="${num(PAD.left)}" y="${num(H - 5)}">${seconds(t0)}</text>
<text class="key-tick" x="${num(W - PAD.right)}" y="${num(H - 5)}" text-anchor="end">${seconds(t1)}</text>
${stop}
${faults}
${lines}
</svg>
<figcaption>${chart.title}</figcaption>
${legend}
</figure>`;
}

// ---------------------------------------------------------------------------------------------
// The page

const VERDICT_CLASS: Record<Verdict, string> = {
  holds: 'holds',
  'holds partly': 'partly',
  'does not hold': 'fails',
  'not measured': 'unmeasured',
};

const CATALOGUE_STYLES = `
.verdict.holds { background: var(--good); } .verdict.partly { background: var(--warn); }
.verdict.fails { background: var(--bad); } .verdict.unmeasured { background: var(--series-3); }
.verdict.skipped { background: var(--muted); }
.claim { display: grid; grid-template-columns: minmax(0, 1fr) auto; gap: 6px 18px; }
.claim h2 { grid-column: 1 / -1; }
.claim .id { font-variant-numeric: tabular-nums; }
.claim .text { font-weight: 400; }
.claim .meta { margin: 0 0 6px; }
.assertions { list-style: none; margin: 6px 0; padding: 0; }
.assertions li { margin: 4px 0; padding-left: 1.4em; text-indent: -1.4em; overflow-wrap: anywhere; }
.assertions .mark { display: inline-block; width: 1.4em; text-indent: 0; font-weight: 700; }
.assertions .holds .mark { color: var(--good); } .assertions .fails .mark { color: var(--bad); } .assertions .unread .mark { color: var(--series-3); }
.assertions code { font-size: 0.86rem; }
.tag { font-size: 0.75rem; border: 1px solid var(--border); border-radius: 4px; padding: 0 5px; color: var(--muted); white-space: nowrap; }
.tag.required { color: var(--fg); }
.key-chart { margin: 0; }
.key-chart figcaption { font-size: 0.8rem; color: var(--muted); max-width: 360px; }
svg.key { display: block; max-width: 100%; height: auto; background: var(--bg); border: 1px solid var(--border); border-radius: 6px; }
.key-axis { stroke: var(--muted); stroke-width: 1; }
.key-grid { stroke: var(--grid); stroke-width: 1; stroke-dasharray: 3 3; }
.key-tick { fill: var(--muted); font-size: 10px; }
.key-warmup { fill: var(--warmup); }
.key-stop { stroke: var(--muted); stroke-width: 1; stroke-dasharray: 1 3; }
.key-fault { stroke: var(--fault); stroke-width: 1.2; stroke-dasharray: 4 3; }
.key-line { fill: none; stroke-width: 1.6; stroke-linejoin: round; }
.key-line.s0 { stroke: var(--series-0); } .key-line.s1 { stroke: var(--series-1); }
.key-dot.s0 { fill: var(--series-0); } .key-dot.s1 { fill: var(--series-1); }
.swatch { display: inline-block; width: 10px; height: 3px; vertical-align: middle; margin-right: 4px; }
.swatch.s0 { background: var(--series-0); } .swatch.s1 { background: var(--series-1); }
.skipped-list { margin: 6px 0; padding-left: 20px; }
@media (max-width: 800px) { .claim { grid-template-columns: 1fr; } }
`;

/** Each segment of a relative '/'-separated path URL-encoded, so a folder name cannot break out of href. */
function hrefOf(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

function assertionItem(a: AssertionOutcome): SafeHtml {
  const state = a.missing !== undefined ? 'unread' : a.holds ? 'holds' : 'fails';
  const mark = state === 'unread' ? '?' : state === 'holds' ? '✓' : '✗';
  const want = a.expected === '' ? '' : html`, want ${a.expected}`;
  return html`<li class="${state}" data-holds="${String(a.holds)}" data-required="${String(a.required)}"><span class="mark" aria-label="${state}">${mark}</span>${a.says}: <code>${a.path}</code> = <b data-actual="${a.actual === null ? '' : String(a.actual)}">${formatValue(a.actual)}</b>${want} <span class="tag${a.required ? ' required' : ''}">${a.required ? 'required' : 'not required'}</span>${a.missing !== undefined ? html` <span class="muted">(${a.missing})</span>` : ''}</li>`;
}

/** Two scenarios may state one claim (B14 with and without a barrier): the anchor names both. */
const anchorOf = (c: CatalogueClaim) => `${c.entry.behaviour}-${c.scenario}`;

function claimCard(c: CatalogueClaim): SafeHtml {
  const e = c.entry;
  const seeds = e.seeds.length > 0 ? `seed${e.seeds.length > 1 ? 's' : ''} ${e.seeds.join(', ')}` : 'no seed';
  const problems =
    e.problems.length > 0 &&
    html`<div class="problems"><strong>not measured:</strong><ul>${e.problems.map((p) => html`<li>${p}</li>`)}</ul></div>`;
  const report = c.report !== undefined ? html` · <a href="${hrefOf(c.report)}">report</a>` : '';
  return html`<section class="card claim" id="${anchorOf(c)}" data-claim="${e.behaviour}" data-scenario="${c.scenario}" data-verdict="${e.verdict}">
<h2><span class="id">${e.behaviour}</span> <span class="text">${e.claim}</span> <span class="verdict ${VERDICT_CLASS[e.verdict]}">${e.verdict}</span></h2>
<div>
<p class="meta">${seeds} · scenario ${c.scenario} on ${c.transport}${report}</p>
${problems}
<ul class="assertions">${e.assertions.map(assertionItem)}</ul>
</div>
${keyChartSvg(keyChart(e, c.result))}
</section>`;
}

const byId = <T extends { behaviour: string }>(items: readonly T[]): T[] => {
  const n = (b: string) => Number(b.slice(1)) || 0;
  return [...items].sort((a, b) => n(a.behaviour) - n(b.behaviour));
};

export function catalogueHtml(claims: readonly CatalogueClaim[], o: CatalogueHtmlOptions): string {
  const rows = byId(claims.map((c) => ({ ...c, behaviour: c.entry.behaviour })));
  const skipped = byId(o.skipped ?? []);
  const entries = rows.map((r) => r.entry);
  const title = `zmq-bench verify: ${String(rows.length)} claim${rows.length === 1 ? '' : 's'}${o.transport ? ` on ${o.transport}` : ''}`;
  const skippedSection =
    skipped.length > 0 &&
    html`<section class="card" id="skipped"><h3>Skipped${skipped.every((s) => s.why === undefined) ? `: not claimed for ${o.transport ?? 'this transport'}` : ''}</h3><ul class="skipped-list">${skipped.map(
      (s) =>
        html`<li data-skipped="${s.behaviour}"><span class="verdict skipped">skipped</span> <strong>${s.behaviour}</strong> ${s.claim} <span class="muted">(scenario ${s.scenario}; ${s.why ?? `applies to ${s.transports.join(', ')}`})</span></li>`,
    )}</ul></section>`;
  return htmlPage({
    title,
    toolVersion: o.toolVersion,
    extraStyles: CATALOGUE_STYLES,
    body: html`<header class="page-head">
<h1>${title}</h1>
<p class="muted" data-counts>${countsLine(entries)}${skipped.length > 0 ? `; ${String(skipped.length)} skipped` : ''}. ${o.transport ? `Every claim ran over ${o.transport}.` : "Each claim ran on its scenario's own transport."} The chart of each claim is the figure its first assertion reads, per interval of the run.</p>
<nav>${rows.map((r, i) => html`${i > 0 ? ' · ' : ''}<a href="#${anchorOf(r)}">${r.behaviour}${rows.some((o) => o !== r && o.behaviour === r.behaviour) ? ` (${r.scenario})` : ''}</a>`)}</nav>
</header>
<main>
${rows.map(claimCard)}
${skippedSection}
</main>
<footer class="muted">Made by zmq-bench ${o.toolVersion} on ${o.generatedAt.toISOString()}. One self-contained file: no script, works offline.</footer>`,
  });
}
