import { stringify } from 'yaml';
import type { FlowFigures, GroupResult, RunResult, TimelineEntry } from '../../core/types.js';
import { formatDurationMs } from '../../core/units.js';
import { DASH, formatBytes, formatCount, formatLatencyUs, formatMegabytes, formatPercent, formatRate } from '../../core/format.js';
import { groupNotes, KIND_TEXT, networkFaultNote, problemLines } from '../result-notes.js';
import { endpointTransportsText, hasLatency, scenarioName, scenarioText, transportOf, verdictOf } from '../../results/facts.js';
import type { ChartSpec } from './chart-spec.js';
import { html, table, trusted, type Cell, type SafeHtml } from './html.js';
import { chartBox } from './chart-box.js';
import { runCharts } from './run-charts.js';
import { placements, scenarioDescription, topologyInput } from './scenario-view.js';
import { topologySvg } from './topology-svg.js';
import { engineOf, showsEngines } from '../../results/engines.js';
import { acrossHosts, clockExplanation, clockNotes, withinMs } from '../host-notes.js';
import { hostsSection } from './hosts-section.js';
import { searchSection } from './search-section.js';

/**
 * One run as a section of the page: verdict and key figures first, then topology and
 * environment, the latency distribution, the time series, the per-group tables and the
 * timeline. Returns its markup and the charts the browser code draws into it.
 */

/** Timeline rows beyond this many are counted, not listed (a reconnect loop can log thousands). */
const MAX_TIMELINE_ROWS = 500;

export interface RunSection {
  markup: SafeHtml;
  charts: ChartSpec[];
}

/** A headline figure; data-figure/data-value carry the exact number for tests and scripts. */
export function keyFigure(name: string, label: string, value: number | null, text: string, detail?: string): SafeHtml {
  return html`<div class="figure" data-figure="${name}" data-value="${value === null ? '' : String(value)}"><dt>${label}</dt><dd>${text}</dd>${detail ? html`<small>${detail}</small>` : ''}</div>`;
}

export function lossText(f: FlowFigures): string {
  if (f.lost === 0) return '0';
  return f.expected > 0 ? `${formatCount(f.lost)} (${formatPercent(f.lost / f.expected)})` : formatCount(f.lost);
}

/** " ± 0.062 ms (clocks)": one-way latency measured across hosts, as good as the clock offsets. */
const clocksText = (ms: number): string => ` ${withinMs(ms)} (clocks)`;

function latencyFigures(r: RunResult): SafeHtml[] {
  const f = r.totals;
  const shown = hasLatency(f);
  // the totals merge every group's latency: a group measured across hosts makes them as uncertain as it is
  const across = acrossHosts(r.groups);
  const clocks = shown && across.length > 0 ? clocksText(Math.max(...across.map((g) => g.ms))) : '';
  const kind = (shown ? KIND_TEXT[f.latencyKind] : f.latencyKind === 'mixed' ? 'mixed kinds: see the groups' : 'not measured') + clocks;
  return [
    keyFigure('p50', 'latency p50', shown ? f.latency.p50 : null, shown ? formatLatencyUs(f.latency.p50) : DASH, kind),
    keyFigure('p99', 'latency p99', shown ? f.latency.p99 : null, shown ? formatLatencyUs(f.latency.p99) : DASH, kind),
  ];
}

function header(r: RunResult, label: string): SafeHtml {
  const v = verdictOf(r);
  const t = r.totals;
  const problems = problemLines(r);
  const description = scenarioDescription(r);
  // a mixed run names each endpoint's transport
  const transports = endpointTransportsText(r);
  return html`<header class="run-head">
<h2><span class="verdict ${v.status}" data-verdict="${v.status}" title="exit code ${String(v.exitCode)}">${v.label}</span> ${label}</h2>
<p class="meta">${scenarioName(r)} · ${transportOf(r)}${transports === undefined ? '' : ` (${transports})`} · measured ${formatDurationMs(r.timing.measuredMs)}${r.timing.warmupMs > 0 ? ` after ${formatDurationMs(r.timing.warmupMs)} warm-up` : ''} · started ${r.timing.startedAt}</p>
${description && html`<p class="description">${description}</p>`}
<dl class="figures">
${keyFigure('throughput', 'throughput', t.throughput.msgsPerSec, `${formatRate(t.throughput.msgsPerSec)} msgs/s`, `${formatMegabytes(t.throughput.bytesPerSec)} MB/s`)}
${latencyFigures(r)}
${keyFigure('lost', 'lost', t.lost, lossText(t), `of ${formatCount(t.expected)} expected`)}
${keyFigure('received', 'received', t.received, formatCount(t.received), `${formatCount(t.sent)} sent`)}
</dl>
${problems.length > 0 && html`<div class="problems"><strong>Problems</strong><ul>${problems.map((p) => html`<li>${p}</li>`)}</ul></div>`}
</header>`;
}

function environment(r: RunResult): SafeHtml {
  const e = r.environment;
  const rows: Array<[string, string]> = [
    ['machine', `${e.hostname} · ${e.cpuModel} × ${e.cores} cores · ${formatBytes(e.totalMemoryBytes)}`],
    ['system', `${e.os} ${e.arch}`],
    ['Node.js', e.node],
    ['zeromq.js / libzmq', `${e.zeromqJs} / ${e.libzmq}`],
    // only when a group ran native: the libzmq file it loaded may differ from zeromq.js's
    ...(e.nativeEngine ? [['native engine', `libzmq ${e.nativeEngine.libzmq} · ${e.nativeEngine.library}`] as [string, string]] : []),
    ['zmq-bench', r.tool.version],
    ['started', r.timing.startedAt],
    [
      'phases',
      `warm-up ${formatDurationMs(r.timing.warmupMs)} · measured ${formatDurationMs(r.timing.measuredMs)} · drained ${formatDurationMs(r.timing.drainedMs)} · total ${formatDurationMs(r.timing.totalMs)}`,
    ],
  ];
  return html`<dl class="env">${rows.map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}</dl>`;
}

const notApplicable = (g: GroupResult, v: number, text: string) => (g.direction === 'sends' && v === 0 ? DASH : text);
const bad = (v: number, text: string): Cell => (v > 0 ? { text, className: 'bad' } : text);

function groupTables(r: RunResult): SafeHtml {
  const where = placements(r);
  // the engine column only when some group ran on another engine than zeromq.js
  const engines = showsEngines(r.groups);
  const numeric = [false, false, false, true, true, true, true, true, true, true, false, true, true, true, true, true, true, true];
  if (engines) numeric.splice(3, 0, false);
  const flows = table(
    [
      'group',
      'type',
      'placement',
      ...(engines ? ['engine'] : []),
      'sent',
      'received',
      'lost',
      'dup',
      'reord',
      'msgs/s',
      'MB/s',
      'latency',
      'p50',
      'p90',
      'p99',
      'p99 from send',
      'p99.9',
      'max',
      'send lag p99',
    ],
    r.groups.map((g) => {
      const l = hasLatency(g)
        ? [g.latency.p50, g.latency.p90, g.latency.p99, g.latency.p999, g.latency.max].map(formatLatencyUs)
        : [DASH, DASH, DASH, DASH, DASH];
      // from the actual send time; absent from results written before it was measured
      const fromSend = g.latencyFromSend as GroupResult['latencyFromSend'] | undefined;
      l.splice(3, 0, hasLatency(g) && fromSend && fromSend.count > 0 ? formatLatencyUs(fromSend.p99) : DASH);
      const clocks = hasLatency(g) && g.clockUncertaintyMs !== undefined ? clockExplanation(g.clockUncertaintyMs) : undefined;
      return [
        g.name,
        `${g.type} ×${g.count}`,
        where.get(g.name) ?? 'thread',
        ...(engines ? [engineOf(g)] : []),
        g.direction === 'receives' && g.sent === 0 ? DASH : formatCount(g.sent),
        notApplicable(g, g.received, formatCount(g.received)),
        bad(g.lost, notApplicable(g, g.lost, lossText(g))),
        notApplicable(g, g.duplicates, formatCount(g.duplicates)),
        notApplicable(g, g.reordered, formatCount(g.reordered)),
        formatRate(g.throughput.msgsPerSec),
        formatMegabytes(g.throughput.bytesPerSec),
        clocks
          ? // wraps before "±" and before "(clocks)" where the table is tight
            {
              text: html`${KIND_TEXT[g.latencyKind]} <span>${withinMs(g.clockUncertaintyMs!)}</span> (clocks)`,
              className: 'clocks',
              title: clocks,
            }
          : hasLatency(g)
            ? KIND_TEXT[g.latencyKind]
            : DASH,
        ...l.map((text): Cell => (clocks ? { text, title: clocks } : text)),
        g.sendLag && g.sendLag.summary.count > 0 ? formatLatencyUs(g.sendLag.summary.p99) : DASH,
      ];
    }),
    numeric,
  );
  const receivers = r.groups.filter((g) => g.direction !== 'sends' || g.blocked.ms > 0 || g.notSent > 0);
  const loss = table(
    [
      'group',
      'expected',
      'lost',
      'head (before the first)',
      'mid-stream (gaps)',
      'tail (never arrived)',
      'drained after stop',
      'sends blocked',
      'not sent',
      'misrouted',
    ],
    receivers.map((g) => [
      g.name,
      formatCount(g.expected),
      bad(g.lost, formatCount(g.lost)),
      bad(g.loss.head, formatCount(g.loss.head)),
      bad(g.loss.midstream, formatCount(g.loss.midstream)),
      bad(g.loss.tail, formatCount(g.loss.tail)),
      g.drained.messages > 0 ? `${formatCount(g.drained.messages)} in ${formatLatencyUs(g.drained.ms * 1000)}` : '0',
      g.blocked.ms > 0 ? `${formatLatencyUs(g.blocked.ms * 1000)} (${formatPercent(g.blocked.share)})` : '0',
      bad(g.notSent, formatCount(g.notSent)),
      bad(g.misrouted, formatCount(g.misrouted)),
    ]),
    [false, true, true, true, true, true, true, true, true, true],
  );
  const requesters = r.groups.filter((g) => g.requests);
  const requests =
    requesters.length > 0 &&
    table(
      ['group', 'stalled', 'longest stall', 'retries', 'recovered', 'longest recovery', 'abandoned'],
      requesters.map((g) => {
        const q = g.requests!;
        return [
          g.name,
          bad(q.stalled, formatCount(q.stalled)),
          formatLatencyUs(q.stalledMs * 1000),
          formatCount(q.retries),
          formatCount(q.recovered),
          formatLatencyUs(q.recoveryMs * 1000),
          bad(q.abandoned, formatCount(q.abandoned)),
        ];
      }),
      [false, true, true, true, true, true, true],
    );
  const options = table(
    ['group', 'socket options as the sockets report them'],
    r.groups.map((g) => [
      g.name,
      {
        text:
          Object.entries(g.options)
            .map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
            .join(' · ') || DASH,
        className: 'wrap',
      },
    ]),
  );
  const notes = [...clockNotes(r.groups), ...groupNotes(r.groups, scenarioText(r.scenario, 'start'))];
  return html`<h4>Messages and latency</h4>${flows}
<h4>Where messages were lost or waited</h4>${loss}
${notes.length > 0 && html`<ul class="notes">${notes.map((n) => html`<li>${n}</li>`)}</ul>`}
${requests && html`<h4>Requests</h4>${requests}`}
<h4>Socket options</h4>${options}`;
}

/** Each threshold with the figure it was judged on; failed ones first. */
function thresholds(r: RunResult): SafeHtml | false {
  const list = r.thresholds ?? [];
  if (list.length === 0) return false;
  const sorted = [...list.filter((t) => !t.passed), ...list.filter((t) => t.passed)];
  const passed = list.length - sorted.filter((t) => !t.passed).length;
  return html`<section class="card thresholds"><h3>Thresholds: ${String(passed)} of ${String(list.length)} passed</h3>
${r.abortedBy && html`<p class="problems">Stopped early: ${r.abortedBy}</p>`}
${table(
  ['', 'metric', 'threshold', 'judged'],
  sorted.map((t) => [
    { text: t.passed ? 'pass' : 'FAIL', className: t.passed ? 'good' : 'bad' },
    t.metric,
    t.expression + (t.abortOnFail ? ' (abortOnFail)' : ''),
    { text: t.message, className: 'wrap' },
  ]),
)}</section>`;
}

/** One timeline entry as the table's cells (time, kind, what, detail): the report's and the live page's. */
export function timelineRow(e: TimelineEntry): Array<{ text: string; bad?: true }> {
  const t = { text: formatLatencyUs(e.tMs * 1000) };
  if (e.kind === 'socket')
    return [t, { text: 'socket' }, { text: `${e.group}[${e.instance}]${e.host ? ` on ${e.host}` : ''} ${e.event}` }, { text: e.address }];
  return [
    t,
    { text: 'fault' },
    { text: `${e.action} ${e.target}${e.what ? ` (${e.what})` : ''}` },
    e.error
      ? { text: `failed: ${e.error}`, bad: true }
      : { text: `planned at ${formatLatencyUs(e.plannedMs * 1000)}${networkFaultNote(e)}` },
  ];
}

function timeline(r: RunResult): SafeHtml | false {
  const entries = r.timeline ?? [];
  if (entries.length === 0) return false;
  const shown = entries.slice(0, MAX_TIMELINE_ROWS);
  const rows = shown.map((e) => timelineRow(e).map((c): Cell => (c.bad ? { text: c.text, className: 'bad' } : c.text)));
  const more = entries.length - shown.length;
  return html`<details class="timeline"><summary>Timeline: ${formatCount(entries.length)} events (faults and connections)</summary>
${table(['time since measurement start', 'kind', 'what', 'detail'], rows, [true, false, false, false])}
${more > 0 && html`<p class="muted">${formatCount(more)} more not listed.</p>`}</details>`;
}

export function runSection(r: RunResult, index: number, label: string): RunSection {
  const prefix = `run${index}`;
  const { percentiles, time } = runCharts(r, prefix);
  const search = r.search ? searchSection(r.search, prefix) : null;
  const charts: ChartSpec[] = [...(search?.charts ?? []), ...(percentiles ? [percentiles] : []), ...time];
  const markup = html`<section class="run" id="${prefix}">
${header(r, label)}
${search?.markup}
${thresholds(r)}
<div class="topo-env">
<section class="card topology"><h3>Topology</h3><div class="topo-scroll">${trusted(topologySvg(topologyInput(r)))}</div></section>
<section class="card environment"><h3>Environment</h3>${environment(r)}</section>
</div>${hostsSection(r)}
${percentiles && html`<section class="card"><h3>Latency distribution</h3><p class="muted">HdrHistogram style: the x axis stretches the tail, so p99.9 gets as much room as p50. Measured phase only.</p>${chartBox(percentiles, 'tall')}</section>`}
${time.length > 0 && html`<section class="card"><h3>Over time</h3><p class="muted">Each point covers ${formatDurationMs(r.timeseries!.intervalMs)}.${r.timeseries!.percentilesUpperBound ? ' The run outlasted its plan, so points were merged: their p50 and p99 are upper bounds.' : ''} Shaded: warm-up. Red lines: faults; dotted lines: connection events.</p><div class="chart-grid">${time.map((c) => chartBox(c))}</div></section>`}
<section class="card"><h3>Groups</h3>${groupTables(r)}</section>
${timeline(r)}
<details class="scenario"><summary>Scenario as run (runs again as it is)</summary><pre>${stringify(r.scenario)}</pre></details>
</section>`;
  return { markup, charts };
}
