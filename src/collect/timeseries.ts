import type {
  TimeSeries,
  TimeSeriesGroup,
  TimeSeriesKernel,
  TimeSeriesWorker,
} from '../core/types.js';
import {
  createLatencyHistogram,
  decodeHistogram,
  encodeHistogram,
  mergeEncoded,
  type Histogram,
} from '../stats/histogram.js';

/**
 * Per-interval samples → a bounded, uniformly spaced time series for result.json. Pure: no timers,
 * no I/O; the coordinator calls add() once per interval and finish() at the end.
 *
 * Bounded: when the stored points reach maxPoints, adjacent pairs merge and every later point
 * covers twice as many samples, so a run of any length keeps fewer than maxPoints points (plus
 * at most one partial last point) and every point but that last one covers the same time.
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

/** 1 h at 100 ms ends at 1,125 points of 3.2 s: ~0.3 MB of JSON with 3 groups (see the unit test). */
export const DEFAULT_MAX_POINTS = 2000;

/**
 * Stored points still holding two histogram parts (right after a compaction) merged per add().
 * Spreads the merging instead of stalling the coordinator for a second or more at each doubling;
 * the next compaction is at least maxPoints adds away, so one or two per add is always enough.
 */
const SETTLE_PER_ADD = 2;

/** A stored point of one group: the sample's figures, with histogram parts in place of one histogram. */
type GroupPoint = Omit<GroupSample, 'histogram' | 'histogramFromSend' | 'sendLagHistogram'> & {
  /** encoded latency histograms whose sum is this point's: at most one once settled */
  hist: string[];
  /** the same for send lag */
  lagHist: string[];
};

/** The histograms a group point holds, each merged the same way. */
type HistKey = 'hist' | 'lagHist';
const HIST_KEYS: readonly HistKey[] = ['hist', 'lagHist'];

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
  private samplesPerPoint = 1;
  private points: Point[] = [];
  /** the point being filled while samplesPerPoint > 1; its histograms live in `accumulators` */
  private pending: Point | undefined;
  private pendingSamples = 0;
  /**
   * One decoded histogram per group (and per kind: latency, send lag) for the pending point,
   * reset and reused: adding each sample as it comes costs one decode + add per interval, where
   * merging k strings at the point's end would stall for k of them. Stored points keep only
   * encoded strings.
   */
  private readonly accumulators: Record<HistKey, Map<string, Histogram>> = { hist: new Map(), lagHist: new Map() };
  /** points before this index hold at most one histogram part per group */
  private settledUpTo = 0;
  // Insertion order = order of first appearance, which is the column order in the output.
  private readonly groupNames = new Set<string>();
  private readonly workerNames = new Set<string>();
  private readonly kernelNames = new Set<string>();

  constructor(opts: { intervalMs: number; maxPoints: number }) {
    if (!(opts.intervalMs > 0) || !Number.isFinite(opts.intervalMs)) {
      throw new RangeError(`intervalMs must be a positive number, got ${opts.intervalMs}`);
    }
    if (!Number.isInteger(opts.maxPoints) || opts.maxPoints < 2) {
      throw new RangeError(`maxPoints must be an integer >= 2, got ${opts.maxPoints}`);
    }
    this.baseIntervalMs = opts.intervalMs;
    this.maxPoints = opts.maxPoints;
  }

  /** Samples must come in time order, one per interval. */
  add(sample: Sample): void {
    for (const name of Object.keys(sample.groups)) this.groupNames.add(name);
    for (const name of Object.keys(sample.workers)) this.workerNames.add(name);
    for (const name of Object.keys(sample.kernel)) this.kernelNames.add(name);

    const point = pointOf(sample);
    if (this.samplesPerPoint === 1) {
      // Not downsampled yet: the sample is the point, its histogram stays encoded as received.
      this.push(point);
    } else {
      if (this.pending === undefined) {
        this.pending = point;
        this.pendingSamples = 1;
      } else {
        absorb(this.pending, point);
        this.pendingSamples++;
      }
      this.foldPendingHistograms();
      if (this.pendingSamples === this.samplesPerPoint) this.push(this.sealPending());
    }
    this.settle(SETTLE_PER_ADD);
  }

  /** The series so far. Does not end recording: add() may go on and finish() be called again. */
  finish(): TimeSeries {
    this.settle(Infinity);
    const pending = this.pending;
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
        // Decoded one at a time and dropped at once: never more than one in memory here.
        const histogramOf = (key: HistKey): Histogram | undefined =>
          p === pending ? this.accumulators[key].get(name) : g !== undefined && g[key].length === 1 ? decodeHistogram(g[key][0]!) : undefined;
        s.sent.push(g?.sent ?? 0);
        s.received.push(g?.received ?? 0);
        s.lost.push(g?.lost ?? 0);
        s.notSent.push(g?.notSent ?? 0);
        s.blockedMs.push(round3(g?.blockedMs ?? 0));
        s.inFlight.push(g?.inFlight ?? 0);
        const h = histogramOf('hist');
        if (h === undefined || h.totalCount === 0) {
          s.latency.p50.push(0);
          s.latency.p99.push(0);
          s.latency.max.push(0);
        } else {
          // Same definitions as summarizeLatency (max = p100, the bucket top) without its
          // mean, which walks the whole histogram through a slow iterator (~5 ms each).
          s.latency.p50.push(toMicros(h.getValueAtPercentile(50)));
          s.latency.p99.push(toMicros(h.getValueAtPercentile(99)));
          s.latency.max.push(toMicros(h.getValueAtPercentile(100)));
        }
        const lag = histogramOf('lagHist');
        s.sendLagP99.push(lag === undefined || lag.totalCount === 0 ? 0 : toMicros(lag.getValueAtPercentile(99)));
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

  /** Halves the stored points by merging adjacent pairs; only called right after a push, with nothing pending. */
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
    this.settledUpTo = 0;
    if (old.length % 2 === 1) {
      // Odd maxPoints: the last point has only half a merged point's samples; it goes on filling.
      this.pending = old[old.length - 1]!;
      this.pendingSamples = this.samplesPerPoint / 2;
      this.foldPendingHistograms();
    }
  }

  /** Moves the pending point's encoded histogram parts into the decoded accumulators. */
  private foldPendingHistograms(): void {
    for (const [name, g] of this.pending!.groups) {
      for (const key of HIST_KEYS) {
        if (g[key].length === 0) continue;
        let acc = this.accumulators[key].get(name);
        if (acc === undefined) {
          acc = createLatencyHistogram();
          // As in mergeEncoded: only matters for a histogram from elsewhere with a wider range.
          acc.autoResize = true;
          this.accumulators[key].set(name, acc);
        }
        for (const s of g[key]) acc.add(decodeHistogram(s));
        g[key] = [];
      }
    }
  }

  private sealPending(): Point {
    const p = this.pending!;
    for (const [name, g] of p.groups) {
      for (const key of HIST_KEYS) {
        const acc = this.accumulators[key].get(name);
        if (acc !== undefined && acc.totalCount > 0) {
          g[key] = [encodeHistogram(acc)];
          acc.reset();
        }
      }
    }
    this.pending = undefined;
    this.pendingSamples = 0;
    return p;
  }

  /** Merges the histogram parts of up to `budget` stored points that still hold several. */
  private settle(budget: number): void {
    while (budget > 0 && this.settledUpTo < this.points.length) {
      const p = this.points[this.settledUpTo++]!;
      let merged = false;
      for (const g of p.groups.values()) {
        for (const key of HIST_KEYS) {
          if (g[key].length < 2) continue;
          const h = mergeEncoded(g[key]);
          g[key] = h.totalCount > 0 ? [encodeHistogram(h)] : [];
          merged = true;
        }
      }
      if (merged) budget--;
    }
  }
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
      hist: g.histogram.trim() === '' ? [] : [g.histogram],
      lagHist: g.sendLagHistogram === undefined || g.sendLagHistogram.trim() === '' ? [] : [g.sendLagHistogram],
    });
  }
  const workers = new Map<string, WorkerSample>();
  for (const [name, w] of Object.entries(s.workers)) workers.set(name, { ...w });
  const kernel = new Map<string, KernelSample>();
  for (const [name, k] of Object.entries(s.kernel)) kernel.set(name, { ...k });
  return { t: s.tMs, warmup: s.warmup, groups, workers, kernel };
}

/**
 * Merges `later` (the next span in time) into `into`: counters add up, histogram parts are
 * concatenated, gauges take the later value, event-loop delays the worst. Whatever is missing
 * from one side counts as zeros there, so a gauge missing from `later` ends at 0.
 */
function absorb(into: Point, later: Point): void {
  into.t = later.t;
  into.warmup = into.warmup && later.warmup;

  for (const [name, g] of into.groups) if (!later.groups.has(name)) g.inFlight = 0;
  for (const [name, l] of later.groups) {
    const g = into.groups.get(name);
    if (g === undefined) {
      into.groups.set(name, { ...l, hist: [...l.hist], lagHist: [...l.lagHist] });
      continue;
    }
    g.sent += l.sent;
    g.received += l.received;
    g.lost += l.lost;
    g.notSent += l.notSent;
    g.blockedMs += l.blockedMs;
    g.inFlight = l.inFlight;
    for (const s of l.hist) g.hist.push(s);
    for (const s of l.lagHist) g.lagHist.push(s);
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
