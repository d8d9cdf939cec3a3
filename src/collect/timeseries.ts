import type {
  TimeSeries,
  TimeSeriesGroup,
  TimeSeriesKernel,
  TimeSeriesWorker,
} from '../core/types.js';
import { createLatencyHistogram, decodeHistogram, type Histogram } from '../stats/histogram.js';

/**
 * Per-interval samples → a bounded, uniformly spaced time series for result.json. Pure: no timers,
 * no I/O; the coordinator calls add() once per interval and finish() at the end.
 *
 * Bounded in points and in memory: each point covers as many samples as the run's plan needs
 * to fit in maxPoints, and keeps numbers only (its histograms are summed while it fills, then
 * reduced to percentiles). Should the run outlast its plan, adjacent pairs merge and every
 * later point covers twice as many samples, so a run of any length keeps fewer than maxPoints
 * points (plus at most one partial last point) and every point but that last one covers the
 * same time.
 */

export type { TimeSeries } from '../core/types.js';

/** One group's figures for one interval: deltas, except the gauge inFlight. */
export interface GroupSample {
  sent: number;
  received: number;
  lost: number;
  notSent: number;
  blockedMs: number;
  /** gauge: value at the end of the interval */
  inFlight: number;
  /** encoded HDR histogram (ns) of this interval's latencies, '' if none */
  histogram: string;
  /** the same latencies from the actual send time (for thresholds judged during the run; not kept in the series); '' or absent if none */
  histogramFromSend?: string;
  /** senders: encoded HDR histogram (ns) of this interval's send lags; '' or absent if none */
  sendLagHistogram?: string;
}

/** Gauges: on merge, the worst delays and the later heap. */
export interface WorkerSample {
  eventLoopDelayP99Ms: number;
  eventLoopDelayMaxMs: number;
  heapUsedBytes: number;
}

/** Gauges in bytes: on merge, the later. */
export interface KernelSample {
  bindSendQueue: number;
  bindRecvQueue: number;
  connectSendQueue: number;
  connectRecvQueue: number;
}

export interface Sample {
  /** END of the interval, ms since measurement started (negative during warm-up) */
  tMs: number;
  warmup: boolean;
  groups: Record<string, GroupSample>;
  workers: Record<string, WorkerSample>;
  kernel: Record<string, KernelSample>;
}

/** The most points a series holds; a run that keeps to its planned length never merges any. */
export const DEFAULT_MAX_POINTS = 2000;

/** p50, p99 and max in µs of one point's latencies; send lag keeps p99 only. */
interface PointLatency {
  p50: number;
  p99: number;
  max: number;
}

/**
 * A stored point of one group: the sample's counters and, once sealed, its percentiles. Points
 * hold numbers only: a histogram per point and group would cost up to ~60 KB each once a point
 * covers seconds of a wide latency spread (the 1-hour soak grew the coordinator to 353 MiB).
 */
type GroupPoint = Omit<GroupSample, 'histogram' | 'histogramFromSend' | 'sendLagHistogram'> & {
  /** null: nothing measured in this point */
  latency: PointLatency | null;
  sendLagP99: number | null;
};

/** The histograms a pending point accumulates, one decoded histogram per group and kind. */
type HistKey = 'latency' | 'sendLag';

interface Point {
  t: number;
  warmup: boolean;
  groups: Map<string, GroupPoint>;
  workers: Map<string, WorkerSample>;
  kernel: Map<string, KernelSample>;
}

export class TimeSeriesRecorder {
  private readonly baseIntervalMs: number;
  private readonly maxPoints: number;
  private samplesPerPoint: number;
  private points: Point[] = [];
  /** the point being filled; its histograms live in `accumulators` */
  private pending: Point | undefined;
  private pendingSamples = 0;
  /**
   * One decoded histogram per group and kind for the pending point, reset and reused: each
   * sample costs one decode + add, and a sealed point keeps only its percentiles, so they are
   * exact for every point of a run that keeps to its plan.
   */
  private readonly accumulators: Record<HistKey, Map<string, Histogram>> = { latency: new Map(), sendLag: new Map() };
  /** set once points had to be merged after sealing: their p50 and p99 are then upper bounds */
  private percentilesUpperBound = false;
  // Insertion order = order of first appearance, which is the column order in the output.
  private readonly groupNames = new Set<string>();
  private readonly workerNames = new Set<string>();
  private readonly kernelNames = new Set<string>();

  /**
   * `plannedSamples`: how many samples the run should take (warm-up, measurement and drain).
   * Each point then covers enough samples for the plan to fit in maxPoints, so points never
   * need merging after they are sealed. A run that outlasts its plan still stays under
   * maxPoints: neighbours merge in pairs, and their p50 and p99 become upper bounds (the higher
   * of the two; a quantile of the union lies between the parts' quantiles).
   */
  constructor(opts: { intervalMs: number; maxPoints: number; plannedSamples?: number }) {
    if (!(opts.intervalMs > 0) || !Number.isFinite(opts.intervalMs)) {
      throw new RangeError(`intervalMs must be a positive number, got ${opts.intervalMs}`);
    }
    if (!Number.isInteger(opts.maxPoints) || opts.maxPoints < 2) {
      throw new RangeError(`maxPoints must be an integer >= 2, got ${opts.maxPoints}`);
    }
    const planned = opts.plannedSamples ?? 0;
    if (!(planned >= 0) || !Number.isFinite(planned)) {
      throw new RangeError(`plannedSamples must be a number >= 0, got ${opts.plannedSamples}`);
    }
    this.baseIntervalMs = opts.intervalMs;
    this.maxPoints = opts.maxPoints;
    // The fewest samples per point that keep the plan under maxPoints (exactly maxPoints would merge).
    this.samplesPerPoint = Math.floor(planned / opts.maxPoints) + 1;
  }

  /** Samples must come in time order, one per interval. */
  add(sample: Sample): void {
    for (const name of Object.keys(sample.groups)) this.groupNames.add(name);
    for (const name of Object.keys(sample.workers)) this.workerNames.add(name);
    for (const name of Object.keys(sample.kernel)) this.kernelNames.add(name);

    const point = pointOf(sample);
    if (this.pending === undefined) {
      this.pending = point;
      this.pendingSamples = 1;
    } else {
      absorb(this.pending, point);
      this.pendingSamples++;
    }
    this.accumulate(sample);
    if (this.pendingSamples === this.samplesPerPoint) this.push(this.sealPending());
  }

  /** The series so far. Does not end recording: add() may go on and finish() be called again. */
  finish(): TimeSeries {
    const pending = this.pending === undefined ? undefined : this.summarizePending(false);
    const all = pending === undefined ? this.points : [...this.points, pending];
    const n = all.length;

    const groups: Record<string, TimeSeriesGroup> = {};
    for (const name of this.groupNames) {
      const s: TimeSeriesGroup = {
        sent: [], received: [], lost: [], notSent: [], blockedMs: [], inFlight: [],
        latency: { p50: [], p99: [], max: [] },
        sendLagP99: [],
      };
      for (const p of all) {
        const g = p.groups.get(name);
        s.sent.push(g?.sent ?? 0);
        s.received.push(g?.received ?? 0);
        s.lost.push(g?.lost ?? 0);
        s.notSent.push(g?.notSent ?? 0);
        s.blockedMs.push(round3(g?.blockedMs ?? 0));
        s.inFlight.push(g?.inFlight ?? 0);
        s.latency.p50.push(g?.latency?.p50 ?? 0);
        s.latency.p99.push(g?.latency?.p99 ?? 0);
        s.latency.max.push(g?.latency?.max ?? 0);
        s.sendLagP99.push(g?.sendLagP99 ?? 0);
      }
      groups[name] = s;
    }

    const workers: Record<string, TimeSeriesWorker> = {};
    for (const name of this.workerNames) {
      const s: TimeSeriesWorker = { eventLoopDelayP99Ms: [], eventLoopDelayMaxMs: [], heapUsedBytes: [] };
      for (const p of all) {
        const w = p.workers.get(name);
        s.eventLoopDelayP99Ms.push(round3(w?.eventLoopDelayP99Ms ?? 0));
        s.eventLoopDelayMaxMs.push(round3(w?.eventLoopDelayMaxMs ?? 0));
        s.heapUsedBytes.push(Math.round(w?.heapUsedBytes ?? 0));
      }
      workers[name] = s;
    }

    const kernel: Record<string, TimeSeriesKernel> = {};
    for (const name of this.kernelNames) {
      const s: TimeSeriesKernel = { bindSendQueue: [], bindRecvQueue: [], connectSendQueue: [], connectRecvQueue: [] };
      for (const p of all) {
        const k = p.kernel.get(name);
        s.bindSendQueue.push(k?.bindSendQueue ?? 0);
        s.bindRecvQueue.push(k?.bindRecvQueue ?? 0);
        s.connectSendQueue.push(k?.connectSendQueue ?? 0);
        s.connectRecvQueue.push(k?.connectRecvQueue ?? 0);
      }
      kernel[name] = s;
    }

    return {
      intervalMs: round3(this.baseIntervalMs * this.samplesPerPoint),
      points: n,
      ...(this.percentilesUpperBound ? { percentilesUpperBound: true as const } : {}),
      t: all.map((p) => round3(p.t)),
      warmup: all.map((p) => p.warmup),
      groups,
      workers,
      kernel,
    };
  }

  private push(point: Point): void {
    this.points.push(point);
    if (this.points.length >= this.maxPoints) this.compact();
  }

  /**
   * The run outlasted its plan: halves the stored points by merging adjacent pairs. Only called
   * right after a push, with nothing pending. Sealed points keep no histograms, so a merged
   * point's p50 and p99 are the higher of the two (an upper bound); counts and max stay exact.
   */
  private compact(): void {
    const old = this.points;
    const merged: Point[] = [];
    for (let i = 0; i + 1 < old.length; i += 2) {
      const a = old[i]!;
      absorb(a, old[i + 1]!);
      merged.push(a);
    }
    this.points = merged;
    this.samplesPerPoint *= 2;
    this.percentilesUpperBound = true;
    if (old.length % 2 === 1) {
      // Odd maxPoints: the last point has only half a merged point's samples; it goes on
      // filling, its own percentiles carried and combined with what comes (as a merge would).
      this.pending = old[old.length - 1]!;
      this.pendingSamples = this.samplesPerPoint / 2;
    }
  }

  /** Adds a sample's histograms to the pending point's accumulators. */
  private accumulate(sample: Sample): void {
    for (const [name, g] of Object.entries(sample.groups)) {
      this.addEncoded('latency', name, g.histogram);
      this.addEncoded('sendLag', name, g.sendLagHistogram);
    }
  }

  private addEncoded(key: HistKey, name: string, encoded: string | undefined): void {
    if (encoded === undefined || encoded.trim() === '') return;
    let acc = this.accumulators[key].get(name);
    if (acc === undefined) {
      acc = createLatencyHistogram();
      // As in mergeEncoded: only matters for a histogram from elsewhere with a wider range.
      acc.autoResize = true;
      this.accumulators[key].set(name, acc);
    }
    acc.add(decodeHistogram(encoded));
  }

  /**
   * The pending point with its percentiles, from the accumulators combined with any it carried
   * over a compaction. `seal`: the point is done, the accumulators start again.
   */
  private summarizePending(seal: boolean): Point {
    const p = this.pending!;
    const out: Point = { ...p, groups: new Map() };
    for (const [name, g] of p.groups) {
      const lat = this.accumulators.latency.get(name);
      const lag = this.accumulators.sendLag.get(name);
      const latency = lat !== undefined && lat.totalCount > 0 ? percentilesOf(lat) : null;
      const lagP99 = lag !== undefined && lag.totalCount > 0 ? toMicros(lag.getValueAtPercentile(99)) : null;
      out.groups.set(name, {
        ...g,
        latency: upperBound(g.latency, latency),
        sendLagP99: higher(g.sendLagP99, lagP99),
      });
      if (seal) {
        lat?.reset();
        lag?.reset();
      }
    }
    return out;
  }

  private sealPending(): Point {
    const p = this.summarizePending(true);
    this.pending = undefined;
    this.pendingSamples = 0;
    return p;
  }
}

/** p50, p99 and max (= p100, the bucket top) as summarizeLatency defines them, without its slow mean. */
function percentilesOf(h: Histogram): PointLatency {
  return {
    p50: toMicros(h.getValueAtPercentile(50)),
    p99: toMicros(h.getValueAtPercentile(99)),
    max: toMicros(h.getValueAtPercentile(100)),
  };
}

/** Two parts' percentiles → a bound on their union's: the higher of each (max stays exact). */
function upperBound(a: PointLatency | null, b: PointLatency | null): PointLatency | null {
  if (a === null) return b;
  if (b === null) return a;
  return { p50: Math.max(a.p50, b.p50), p99: Math.max(a.p99, b.p99), max: Math.max(a.max, b.max) };
}

function higher(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.max(a, b);
}

/** A sample as a point of its own (copies: the recorder owns and mutates its points). */
function pointOf(s: Sample): Point {
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
function absorb(into: Point, later: Point): void {
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

  for (const [name, w] of into.workers) if (!later.workers.has(name)) w.heapUsedBytes = 0;
  for (const [name, l] of later.workers) {
    const w = into.workers.get(name);
    if (w === undefined) {
      into.workers.set(name, { ...l });
      continue;
    }
    w.eventLoopDelayP99Ms = Math.max(w.eventLoopDelayP99Ms, l.eventLoopDelayP99Ms);
    w.eventLoopDelayMaxMs = Math.max(w.eventLoopDelayMaxMs, l.eventLoopDelayMaxMs);
    w.heapUsedBytes = l.heapUsedBytes;
  }

  for (const name of into.kernel.keys()) {
    if (!later.kernel.has(name)) {
      into.kernel.set(name, { bindSendQueue: 0, bindRecvQueue: 0, connectSendQueue: 0, connectRecvQueue: 0 });
    }
  }
  for (const [name, l] of later.kernel) into.kernel.set(name, { ...l });
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** ns → µs with 3 decimals, as summarizeLatency does. */
function toMicros(ns: number): number {
  return Math.round(ns) / 1000;
}
