import type { GroupResult, RunResult, TimeSeries, TimelineEntry } from '../../core/types.js';
import { hasLatency } from '../../results/facts.js';
import type { Marker, PercentileChart, Series, TimeChart } from './chart-spec.js';
import { percentileCurve } from './percentile-curve.js';

/**
 * One run's charts, decided here (pure) and drawn by the browser code: the latency percentile
 * distribution, and over time throughput, loss, in-flight backlog, kernel queues, latency and
 * the harness's own health. Ids start with `prefix`, so several runs share one page.
 */

/** Connection events beyond this many are listed in the table but not marked on the charts. */
export const MAX_SOCKET_MARKERS = 200;

/** What the charts are made of: a finished run's result, or the live page's run so far. */
export type ChartSource = Pick<RunResult, 'groups' | 'totals' | 'timeseries' | 'timeline'>;

export function runCharts(r: ChartSource, prefix: string): { percentiles: PercentileChart | null; time: TimeChart[] } {
  return { percentiles: percentileChart(r, prefix), time: r.timeseries ? timeCharts(r, r.timeseries, prefix) : [] };
}

function percentileChart(r: ChartSource, prefix: string): PercentileChart | null {
  const curves: PercentileChart['curves'] = [];
  r.groups.forEach((g, i) => {
    if (hasLatency(g)) curves.push({ label: `${g.name} (${g.latencyKind})`, colour: i, points: percentileCurve(g.histogram) });
  });
  // The overall curve only where it is one kind of latency and adds something to a single group's.
  if (hasLatency(r.totals) && curves.length > 1) {
    curves.push({
      label: `all (${r.totals.latencyKind})`,
      colour: r.groups.length,
      dashed: true,
      points: percentileCurve(r.totals.histogram),
    });
  }
  if (curves.length === 0) return null;
  return {
    kind: 'percentile',
    id: `${prefix}-percentiles`,
    title: 'Latency by percentile',
    y: { title: 'latency (log scale)', unit: 'us', log: true },
    curves,
  };
}

/** Which count of a group its throughput line shows, as result.json's `direction` defines it. */
function throughputCount(g: GroupResult, s: TimeSeries): number[] | undefined {
  const series = s.groups[g.name];
  if (!series) return undefined;
  return g.direction === 'sends' ? series.sent : series.received;
}

function timeCharts(r: ChartSource, s: TimeSeries, prefix: string): TimeChart[] {
  const t = s.t.map((ms) => ms / 1000);
  // A point's span is the gap to the one before (the last may be short); the first is a full interval.
  const spanS = s.t.map((ms, i) => (i === 0 ? s.intervalMs : ms - s.t[i - 1]!) / 1000);
  const perSecond = (counts: number[]) => counts.map((c, i) => (spanS[i]! > 0 ? round3(c / spanS[i]!) : null));
  const base = {
    kind: 'time' as const,
    t,
    warmupEndS: s.warmup.some(Boolean) || (t[0] ?? 0) < 0 ? 0 : null,
    markers: timelineMarkers(r.timeline ?? []),
  };
  const chart = (id: string, title: string, y: TimeChart['y'], series: Series[]): TimeChart => ({
    ...base,
    id: `${prefix}-${id}`,
    title,
    y,
    series,
  });
  const groupSeries = (pick: (g: GroupResult, i: number) => Series[]) => r.groups.flatMap(pick);
  const series = (g: GroupResult) => s.groups[g.name];

  const charts: TimeChart[] = [];
  charts.push(
    chart(
      'throughput',
      'Throughput',
      { title: 'messages per second', unit: 'rate' },
      groupSeries((g, i) => {
        const counts = throughputCount(g, s);
        return counts
          ? [{ label: `${g.name} (${g.direction === 'sends' ? 'sent' : 'received'})`, values: perSecond(counts), colour: i }]
          : [];
      }),
    ),
  );

  const receivers = r.groups.filter((g) => g.direction !== 'sends');
  charts.push(
    chart(
      'loss',
      'Loss (when the receiver saw the gap) and messages given up',
      { title: 'messages per interval', unit: 'count' },
      groupSeries((g, i) => {
        const gs = series(g);
        if (!gs) return [];
        const out: Series[] = [];
        if (receivers.includes(g)) out.push({ label: `${g.name} lost`, values: gs.lost, colour: i });
        if (gs.notSent.some((v) => v > 0)) out.push({ label: `${g.name} not sent`, values: gs.notSent, colour: i, dashed: true });
        return out;
      }),
    ),
  );

  const inFlight = (keep: (g: GroupResult, values: number[]) => boolean) =>
    groupSeries((g, i) => {
      const gs = series(g);
      return gs && keep(g, gs.inFlight) ? [{ label: g.name, values: gs.inFlight, colour: i }] : [];
    });
  const backlog = inFlight((_, values) => values.some((v) => v > 0));
  // Nothing in flight at any sample (a short run that kept up): the receivers' lines at zero say
  // so, where a chart with no line would look broken.
  charts.push(
    chart(
      'in-flight',
      'In flight (sent, not yet received)',
      { title: 'messages', unit: 'count' },
      backlog.length > 0 ? backlog : inFlight((g) => receivers.includes(g)),
    ),
  );

  const kernel = Object.entries(s.kernel);
  if (kernel.length > 0) {
    charts.push(
      chart(
        'kernel',
        'Kernel socket queues (tcp)',
        { title: 'bytes queued', unit: 'bytes' },
        kernel.flatMap(([endpoint, k], i) => [
          { label: `${endpoint} send queue (binder)`, values: k.bindSendQueue, colour: i * 2 },
          { label: `${endpoint} receive queue (binder)`, values: k.bindRecvQueue, colour: i * 2, dashed: true },
          { label: `${endpoint} send queue (connecters)`, values: k.connectSendQueue, colour: i * 2 + 1 },
          { label: `${endpoint} receive queue (connecters)`, values: k.connectRecvQueue, colour: i * 2 + 1, dashed: true },
        ]),
      ),
    );
  }

  const latencyGroups = r.groups.map((g, i) => ({ g, i })).filter(({ g }) => hasLatency(g) && series(g));
  // Senders that fell behind their schedule at some point (results before send lag have no series).
  const lagGroups = r.groups.map((g, i) => ({ g, i })).filter(({ g }) => series(g)?.sendLagP99?.some((v) => v > 0));
  if (latencyGroups.length > 0 || lagGroups.length > 0) {
    // 0 means "nothing measured in this interval", which a log axis cannot show anyway: a gap.
    const gaps = (values: number[]) => values.map((v) => (v > 0 ? v : null));
    charts.push(
      chart(
        'latency',
        lagGroups.length > 0 ? 'Latency p50 and p99, send lag p99' : 'Latency p50 and p99',
        { title: 'latency (log scale)', unit: 'us', log: true },
        [
          ...latencyGroups.flatMap(({ g, i }) => [
            { label: `${g.name} p99`, values: gaps(series(g)!.latency.p99), colour: i },
            { label: `${g.name} p50`, values: gaps(series(g)!.latency.p50), colour: i, dashed: true },
          ]),
          ...lagGroups.map(({ g, i }) => ({
            label: `${g.name} send lag p99`,
            values: gaps(series(g)!.sendLagP99),
            colour: i,
            dashed: true,
          })),
        ],
      ),
    );
  }

  const workers = Object.entries(s.workers);
  if (workers.length > 0) {
    charts.push(
      chart(
        'event-loop',
        'Harness: event-loop delay p99 per worker',
        { title: 'delay', unit: 'ms' },
        workers.map(([id, w], i) => ({ label: `worker ${id}`, values: w.eventLoopDelayP99Ms, colour: i })),
      ),
      chart(
        'heap',
        'Harness: heap used per worker',
        { title: 'heap used', unit: 'bytes' },
        workers.map(([id, w], i) => ({ label: workerLabel(id, w.host), values: w.heapUsedBytes, colour: i })),
      ),
    );
  }
  return charts;
}

/** A worker's name in a chart's legend, with its host when the run had hosts. */
function workerLabel(id: string, host: string | undefined): string {
  return host === undefined ? `worker ${id}` : `worker ${id} on ${host}`;
}

/** Faults always; connection events up to MAX_SOCKET_MARKERS (a reconnect loop can log thousands). */
export function timelineMarkers(timeline: readonly TimelineEntry[]): Marker[] {
  const markers: Marker[] = [];
  let sockets = 0;
  for (const e of timeline) {
    if (e.kind === 'fault')
      markers.push({ tS: e.tMs / 1000, kind: 'fault', label: `${e.action} ${e.target}${e.error ? ' (failed)' : ''}` });
    else if (sockets++ < MAX_SOCKET_MARKERS)
      markers.push({ tS: e.tMs / 1000, kind: 'socket', label: `${e.group}[${e.instance}]${e.host ? ` on ${e.host}` : ''} ${e.event}` });
  }
  return markers;
}

function round3(v: number): number {
  return Math.round(v * 1000) / 1000;
}
