import type { FlowFigures, GroupResult, ThresholdResult, TimelineEntry, TimeSeries } from '../core/types.js';
import { formatCount, formatLatencyUs, formatPercent, formatRate } from '../core/format.js';
import { aggregationText, compare, METRICS, type Aggregation, type Threshold } from '../scenario/thresholds.js';
import { decodeHistogram, mergeEncoded, type Histogram } from '../stats/histogram.js';

/**
 * Judges thresholds against a run's figures. The same code judges the final result and, for
 * abortOnFail, the figures so far during the run (runtime/live-figures.ts builds those).
 */

type GroupFigures = Pick<
  GroupResult,
  | 'name'
  | 'type'
  | 'count'
  | 'direction'
  | 'sent'
  | 'received'
  | 'lost'
  | 'expected'
  | 'duplicates'
  | 'reordered'
  | 'notSent'
  | 'blocked'
  | 'throughput'
  | 'latencyKind'
  | 'histogram'
  | 'histogramFromSend'
  | 'requests'
  | 'sendLag'
  | 'content'
>;

export interface ThresholdFigures {
  groups: readonly GroupFigures[];
  totals: Pick<
    FlowFigures,
    | 'sent'
    | 'received'
    | 'lost'
    | 'expected'
    | 'duplicates'
    | 'reordered'
    | 'throughput'
    | 'latencyKind'
    | 'histogram'
    | 'histogramFromSend'
  >;
  timeseries?: TimeSeries;
  measuredMs: number;
  /** the network faults' entries (detectedMs, recoveredMs); absent while a run is going */
  timeline?: readonly TimelineEntry[];
}

/** A group that originates data (result.json's direction): pub, xpub, push, radio and a pair's sender send; req and dealer make round trips. */
const isSenderGroup = (g: GroupFigures) => g.direction === 'sends' || g.direction === 'round-trips';
/** The groups where messages end, which result.json's totals add up (docs/results.md "Totals"). */
const isTerminal = (g: GroupFigures) => g.direction === 'receives' || g.direction === 'round-trips';
const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

export function evaluateThresholds(thresholds: readonly Threshold[], f: ThresholdFigures): ThresholdResult[] {
  return thresholds.map((t) => evaluateOne(t, f));
}

export function evaluateOne(t: Threshold, f: ThresholdFigures): ThresholdResult {
  const group = t.group === null ? null : f.groups.find((g) => g.name === t.group);
  const judged = group === undefined ? { actual: null, why: `no group "${t.group}" in the result` } : figure(t, f, group);
  return thresholdResult(t, judged.actual, judged.why);
}

/** The result of a threshold for a figure (null: nothing to judge, `why` says so); `of` tells where the figure comes from. */
export function thresholdResult(t: Threshold, actual: number | null, why?: string, of = ''): ThresholdResult {
  const unit = RESULT_UNIT[METRICS[t.metric].unit];
  const passed = actual !== null && compare(actual, t.operator, t.value);
  const name = `${t.key} ${aggregationText(t.aggregation)}`;
  const message =
    actual === null
      ? `${name}: ${why ?? 'nothing measured'}, so not ${t.operator} ${show(t.value, unit)}`
      : `${name} = ${of}${show(actual, unit)}, ${passed ? '' : 'not '}${t.operator} ${show(t.value, unit)}`;
  return { metric: t.key, expression: t.expression, actual, limit: t.value, unit, passed, abortOnFail: t.abortOnFail, message };
}

const RESULT_UNIT = { time: 'us', throughput: 'msgs/s', fraction: 'fraction', count: 'count' } as const;

function show(v: number, unit: ThresholdResult['unit']): string {
  switch (unit) {
    case 'us':
      return formatLatencyUs(v);
    case 'msgs/s':
      return `${formatRate(v)}/s`;
    case 'fraction':
      return formatPercent(v);
    case 'count':
      return formatCount(v);
  }
}

interface Judged {
  actual: number | null;
  why?: string;
}

function figure(t: Threshold, f: ThresholdFigures, g: GroupFigures | null): Judged {
  const senders = f.groups.filter(isSenderGroup);
  switch (t.metric) {
    case 'latency':
    case 'latency_from_send': {
      if (g === null && f.totals.latencyKind === 'mixed') {
        return { actual: null, why: `the groups measure one-way and round-trip latency together: name one with ${t.metric}{group:NAME}` };
      }
      const encoded = t.metric === 'latency' ? (g ?? f.totals).histogram : (g ?? f.totals).histogramFromSend;
      return fromHistogram(t.aggregation, !encoded ? null : decodeHistogram(encoded));
    }
    case 'send_lag': {
      const parts = (g ? [g] : senders).map((x) => x.sendLag?.histogram ?? '').filter((h) => h !== '');
      return fromHistogram(t.aggregation, parts.length === 0 ? null : mergeEncoded(parts));
    }
    case 'throughput':
      if (t.aggregation.kind === 'avg') return { actual: (g ?? f.totals).throughput.msgsPerSec };
      return fromValues(t.aggregation, intervalRates(f, g));
    case 'loss_rate': {
      const x = g ?? f.totals;
      return { actual: x.expected > 0 ? x.lost / x.expected : 0 };
    }
    case 'blocked_rate': {
      if (g) return { actual: g.blocked.share };
      const socketMs = f.measuredMs * sum(senders.map((s) => s.count));
      return { actual: socketMs > 0 ? sum(senders.map((s) => s.blocked.ms)) / socketMs : 0 };
    }
    case 'lost':
    case 'sent':
    case 'received':
    case 'duplicates':
    case 'reordered':
      return { actual: (g ?? f.totals)[t.metric] };
    case 'not_sent':
      return { actual: g ? g.notSent : sum(senders.map((s) => s.notSent)) };
    case 'stalled':
      return { actual: sum((g ? [g] : f.groups).map((x) => x.requests?.stalled ?? 0)) };
    case 'mismatched':
      return { actual: sum((g ? [g] : f.groups).map((x) => x.content?.mismatched ?? 0)) };
    case 'feed_missing':
      return { actual: sum((g ? [g] : f.groups).map((x) => x.content?.sequence?.missing ?? 0)) };
    case 'detect_ms':
    case 'recovery_ms':
      return networkFaultFigure(t, f, g);
  }
}

/** detect_ms, recovery_ms: over the partitions and cuts (of the group, if named), in µs; one never noticed (or never recovered) fails. */
function networkFaultFigure(t: Threshold, f: ThresholdFigures, g: GroupFigures | null): Judged {
  if (f.timeline === undefined) return { actual: null, why: 'known only at the end of the run' };
  const faults = f.timeline.filter(
    (e): e is Extract<TimelineEntry, { kind: 'fault' }> =>
      e.kind === 'fault' &&
      (e.action === 'partition' || e.action === 'cut') &&
      e.error === undefined &&
      (g === null || e.target.split(' ↔ ').includes(g.name)),
  );
  if (faults.length === 0) return { actual: null, why: 'no partition or cut was carried out' };
  const values = faults.map((e) => (t.metric === 'detect_ms' ? e.detectedMs : e.recoveredMs));
  const missing = faults.find((_, i) => values[i] === null || values[i] === undefined);
  if (missing)
    return {
      actual: null,
      why: `the ${missing.action} of ${missing.target} at ${missing.tMs} ms was never ${t.metric === 'detect_ms' ? 'noticed' : 'followed by messages again'}`,
    };
  const us = values.map((v) => v! * 1000);
  if (t.aggregation.kind === 'avg') return { actual: us.reduce((a, b) => a + b, 0) / us.length };
  return fromValues(t.aggregation, us);
}

/** µs at a percentile, rounded to whole ns as result.json's latency summaries are. */
function fromHistogram(a: Aggregation, h: Histogram | null): Judged {
  if (h === null || h.totalCount === 0) return { actual: null, why: 'no samples' };
  const at = (p: number) => Math.round(h.getValueAtPercentile(p)) / 1000;
  switch (a.kind) {
    case 'p':
      return { actual: at(a.p) };
    case 'avg':
      return { actual: Math.round(h.mean) / 1000 };
    case 'min':
      return { actual: at(0) };
    case 'max':
      return { actual: at(100) };
    case 'med':
      return { actual: at(50) };
    default:
      return { actual: null, why: `${a.kind} does not apply` };
  }
}

/** min, max, med and p(N) (nearest rank) over per-interval values. */
function fromValues(a: Aggregation, values: readonly number[]): Judged {
  if (values.length === 0) return { actual: null, why: 'no complete sample interval in the measured phase' };
  const sorted = [...values].sort((x, y) => x - y);
  const rank = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
  switch (a.kind) {
    case 'p':
      return { actual: rank(a.p) };
    case 'min':
      return { actual: sorted[0]! };
    case 'max':
      return { actual: sorted.at(-1)! };
    case 'med':
      return { actual: rank(50) };
    default:
      return { actual: null, why: `${a.kind} does not apply` };
  }
}

/**
 * Messages per second in each full sample interval of the measured phase: what a group
 * counts (sent for senders, else received), or for the whole topology what its terminal
 * groups received. Warm-up, the drain and a short last point are left out.
 */
export function intervalRates(f: Pick<ThresholdFigures, 'groups' | 'timeseries' | 'measuredMs'>, g: GroupFigures | null): number[] {
  const s = f.timeseries;
  if (!s) return [];
  const counted = g ? [g] : f.groups.filter(isTerminal);
  const rates: number[] = [];
  s.t.forEach((end, i) => {
    const start = i === 0 ? end - s.intervalMs : s.t[i - 1]!;
    if (start < 0 || end > f.measuredMs + 1 || end - start < s.intervalMs * 0.999) return;
    const count = sum(counted.map((x) => (x.direction === 'sends' ? s.groups[x.name]?.sent[i] : s.groups[x.name]?.received[i]) ?? 0));
    rates.push((count * 1000) / (end - start));
  });
  return rates;
}
