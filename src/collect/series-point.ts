import type { Histogram } from '../stats/histogram.js';
import { mergeInto, type Merge } from './columns.js';
import type { GroupSample, KernelSample, Sample, WorkerSample } from './sample.js';

/**
 * One point of the time series while it fills: built from a sample, merged with the samples that
 * follow, and the rules by which its figures merge (counters add up, gauges take the later value,
 * percentiles the higher). The recorder in timeseries.ts decides when a point is sealed.
 */

/** p50, p99 and max in µs of one point's latencies; send lag keeps p99 only. */
export interface PointLatency {
  p50: number;
  p99: number;
  max: number;
}

/**
 * One group's figures in the point being filled: the samples' counters and, once sealed, its
 * percentiles. Stored points keep numbers only, in columns: a histogram per point and group
 * would cost up to ~60 KB each once a point covers seconds of a wide latency spread.
 */
export type GroupPoint = Omit<GroupSample, 'histogram' | 'histogramFromSend' | 'sendLagHistogram'> & {
  /** null: nothing measured in this point */
  latency: PointLatency | null;
  sendLagP99: number | null;
};

export interface Point {
  t: number;
  warmup: boolean;
  groups: Map<string, GroupPoint>;
  workers: Map<string, WorkerSample>;
  kernel: Map<string, KernelSample>;
}

/** A stored point's figures per group: latency and send lag are 0 where nothing was measured. */
export const GROUP_MERGES = {
  sent: 'sum',
  received: 'sum',
  lost: 'sum',
  notSent: 'sum',
  blockedMs: 'sum',
  inFlight: 'later',
  // Merged only when a run outlasts its plan: the higher is an upper bound (see compact()).
  p50: 'max',
  p99: 'max',
  max: 'max',
  sendLagP99: 'max',
} as const satisfies Record<string, Merge>;
export const WORKER_MERGES = {
  eventLoopDelayP99Ms: 'max',
  eventLoopDelayMaxMs: 'max',
  heapUsedBytes: 'later',
  heapTotalBytes: 'later',
} as const satisfies Record<keyof WorkerSample, Merge>;
export const KERNEL_MERGES = {
  bindSendQueue: 'later',
  bindRecvQueue: 'later',
  connectSendQueue: 'later',
  connectRecvQueue: 'later',
} as const satisfies Record<keyof KernelSample, Merge>;
export type GroupField = keyof typeof GROUP_MERGES;

/** The figures of a worker or endpoint absent from a sample: zeros. */
export const NO_KERNEL: KernelSample = { bindSendQueue: 0, bindRecvQueue: 0, connectSendQueue: 0, connectRecvQueue: 0 };
export const NO_WORKER: WorkerSample = { eventLoopDelayP99Ms: 0, eventLoopDelayMaxMs: 0, heapUsedBytes: 0, heapTotalBytes: 0 };

/** A group's figures as its columns hold them (0 for a group absent from the point). */
export function groupValues(g: GroupPoint | undefined): Record<GroupField, number> {
  return {
    sent: g?.sent ?? 0,
    received: g?.received ?? 0,
    lost: g?.lost ?? 0,
    notSent: g?.notSent ?? 0,
    blockedMs: g?.blockedMs ?? 0,
    inFlight: g?.inFlight ?? 0,
    p50: g?.latency?.p50 ?? 0,
    p99: g?.latency?.p99 ?? 0,
    max: g?.latency?.max ?? 0,
    sendLagP99: g?.sendLagP99 ?? 0,
  };
}

/** p50, p99 and max (= p100, the bucket top) as summarizeLatency defines them, without its slow mean. */
export function percentilesOf(h: Histogram): PointLatency {
  return {
    p50: toMicros(h.getValueAtPercentile(50)),
    p99: toMicros(h.getValueAtPercentile(99)),
    max: toMicros(h.getValueAtPercentile(100)),
  };
}

/** Two parts' percentiles → a bound on their union's: the higher of each (max stays exact). */
export function upperBound(a: PointLatency | null, b: PointLatency | null): PointLatency | null {
  if (a === null) return b;
  if (b === null) return a;
  return { p50: Math.max(a.p50, b.p50), p99: Math.max(a.p99, b.p99), max: Math.max(a.max, b.max) };
}

/** The higher of two figures, either of which may be unmeasured (null). */
export function higher(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.max(a, b);
}

/** A sample as a point of its own (copies: the recorder owns and mutates its points). */
export function pointOf(s: Sample): Point {
  const groups = new Map<string, GroupPoint>();
  for (const [name, g] of Object.entries(s.groups)) {
    groups.set(name, {
      sent: g.sent,
      received: g.received,
      lost: g.lost,
      notSent: g.notSent,
      blockedMs: g.blockedMs,
      inFlight: g.inFlight,
      // filled in when the point is sealed (from the accumulators)
      latency: null,
      sendLagP99: null,
    });
  }
  const workers = new Map<string, WorkerSample>();
  for (const [name, w] of Object.entries(s.workers)) workers.set(name, { ...w });
  const kernel = new Map<string, KernelSample>();
  for (const [name, k] of Object.entries(s.kernel)) kernel.set(name, { ...k });
  return { t: s.tMs, warmup: s.warmup, groups, workers, kernel };
}

/**
 * Merges `later` (the next span in time) into `into`: counters add up, percentiles take the
 * higher (an upper bound), gauges take the later value, event-loop delays the worst. Whatever is missing
 * from one side counts as zeros there, so a gauge missing from `later` ends at 0.
 */
export function absorb(into: Point, later: Point): void {
  into.t = later.t;
  into.warmup = into.warmup && later.warmup;

  for (const [name, g] of into.groups) if (!later.groups.has(name)) g.inFlight = 0;
  for (const [name, l] of later.groups) {
    const g = into.groups.get(name);
    if (g === undefined) {
      into.groups.set(name, { ...l });
      continue;
    }
    g.sent += l.sent;
    g.received += l.received;
    g.lost += l.lost;
    g.notSent += l.notSent;
    g.blockedMs += l.blockedMs;
    g.inFlight = l.inFlight;
    // Sealed points only (a fresh sample's are null): see compact().
    g.latency = upperBound(g.latency, l.latency);
    g.sendLagP99 = higher(g.sendLagP99, l.sendLagP99);
  }

  // Workers and endpoints by the columns' rules; one missing from the later sample merges as
  // zeros (its gauges drop to 0, its worst delays stay).
  for (const [name, w] of into.workers) mergeInto(WORKER_MERGES, w, later.workers.get(name) ?? NO_WORKER);
  for (const [name, l] of later.workers) if (!into.workers.has(name)) into.workers.set(name, { ...l });
  for (const [name, k] of into.kernel) mergeInto(KERNEL_MERGES, k, later.kernel.get(name) ?? NO_KERNEL);
  for (const [name, l] of later.kernel) if (!into.kernel.has(name)) into.kernel.set(name, { ...l });
}

/** ns → µs with 3 decimals, as summarizeLatency does. */
export function toMicros(ns: number): number {
  return Math.round(ns) / 1000;
}
