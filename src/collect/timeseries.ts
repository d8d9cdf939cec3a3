import type { TimeSeries, TimeSeriesGroup, TimeSeriesKernel, TimeSeriesWorker } from '../core/types.js';
import { createLatencyHistogram, decodeHistogram, type Histogram } from '../stats/histogram.js';
import { ColumnTable } from './columns.js';
import type { KernelSample, Sample, WorkerSample } from './sample.js';
import {
  absorb,
  GROUP_MERGES,
  groupValues,
  higher,
  KERNEL_MERGES,
  NO_KERNEL,
  NO_WORKER,
  percentilesOf,
  pointOf,
  toMicros,
  upperBound,
  WORKER_MERGES,
  type GroupField,
  type GroupPoint,
  type Point,
} from './series-point.js';

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

/** The most points a series holds; a run that keeps to its planned length never merges any. */
export const DEFAULT_MAX_POINTS = 2000;

/** The histograms a pending point accumulates, one decoded histogram per group and kind. */
type HistKey = 'latency' | 'sendLag';

export class TimeSeriesRecorder {
  private readonly baseIntervalMs: number;
  private readonly maxPoints: number;
  private samplesPerPoint: number;
  /** stored (sealed) points, in preallocated columns: memory does not grow with the run */
  private stored = 0;
  private readonly t: Float64Array;
  private readonly warmup: Uint8Array;
  // Names in order of first appearance, which is the column order in the output.
  private readonly groups: ColumnTable<GroupField>;
  private readonly workers: ColumnTable<keyof WorkerSample>;
  private readonly kernel: ColumnTable<keyof KernelSample>;
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
    this.t = new Float64Array(opts.maxPoints);
    this.warmup = new Uint8Array(opts.maxPoints);
    this.groups = new ColumnTable(GROUP_MERGES, opts.maxPoints);
    this.workers = new ColumnTable(WORKER_MERGES, opts.maxPoints);
    this.kernel = new ColumnTable(KERNEL_MERGES, opts.maxPoints);
  }

  /** Samples must come in time order, one per interval. */
  add(sample: Sample): void {
    // Columns for every name at once, so that names keep the order they first appeared in.
    for (const name of Object.keys(sample.groups)) this.groups.columns(name);
    for (const name of Object.keys(sample.workers)) this.workers.columns(name);
    for (const name of Object.keys(sample.kernel)) this.kernel.columns(name);

    const point = pointOf(sample);
    if (this.pending === undefined) {
      this.pending = point;
      this.pendingSamples = 1;
    } else {
      absorb(this.pending, point);
      this.pendingSamples++;
    }
    this.accumulate(sample);
    if (this.pendingSamples === this.samplesPerPoint) this.sealPending();
  }

  /** The series so far. Does not end recording: add() may go on and finish() be called again. */
  finish(): TimeSeries {
    const n = this.stored;
    const pending = this.pending === undefined ? undefined : this.summarizePending(false);

    const groups: Record<string, TimeSeriesGroup> = {};
    for (const name of this.groups.names()) {
      const c = this.groups.slice(name, n);
      if (pending !== undefined) appendTo(c, groupValues(pending.groups.get(name)));
      groups[name] = {
        sent: c.sent,
        received: c.received,
        lost: c.lost,
        notSent: c.notSent,
        blockedMs: c.blockedMs.map(round3),
        inFlight: c.inFlight,
        latency: { p50: c.p50, p99: c.p99, max: c.max },
        sendLagP99: c.sendLagP99,
      };
    }

    const workers: Record<string, TimeSeriesWorker> = {};
    for (const name of this.workers.names()) {
      const c = this.workers.slice(name, n);
      if (pending !== undefined) appendTo(c, pending.workers.get(name) ?? NO_WORKER);
      workers[name] = {
        eventLoopDelayP99Ms: c.eventLoopDelayP99Ms.map(round3),
        eventLoopDelayMaxMs: c.eventLoopDelayMaxMs.map(round3),
        heapUsedBytes: c.heapUsedBytes.map(Math.round),
        heapTotalBytes: c.heapTotalBytes.map(Math.round),
      };
    }

    const kernel: Record<string, TimeSeriesKernel> = {};
    for (const name of this.kernel.names()) {
      const c = this.kernel.slice(name, n);
      if (pending !== undefined) appendTo(c, pending.kernel.get(name) ?? NO_KERNEL);
      kernel[name] = c;
    }

    const t = Array.from(this.t.subarray(0, n));
    const warmup = Array.from(this.warmup.subarray(0, n), (w) => w === 1);
    if (pending !== undefined) {
      t.push(pending.t);
      warmup.push(pending.warmup);
    }
    return {
      intervalMs: round3(this.baseIntervalMs * this.samplesPerPoint),
      points: t.length,
      ...(this.percentilesUpperBound ? { percentilesUpperBound: true as const } : {}),
      t: t.map(round3),
      warmup,
      groups,
      workers,
      kernel,
    };
  }

  /** Writes a sealed point into the columns; every stored name gets a value (0 when absent). */
  private store(p: Point): void {
    const i = this.stored++;
    this.t[i] = p.t;
    this.warmup[i] = p.warmup ? 1 : 0;
    for (const name of this.groups.names()) this.groups.write(i, name, groupValues(p.groups.get(name)));
    for (const name of this.workers.names()) this.workers.write(i, name, p.workers.get(name) ?? NO_WORKER);
    for (const name of this.kernel.names()) this.kernel.write(i, name, p.kernel.get(name) ?? NO_KERNEL);
    if (this.stored >= this.maxPoints) this.compact();
  }

  /** A stored point as a point that can go on filling (the odd one left by a compaction). */
  private storedPoint(i: number): Point {
    const groups = new Map<string, GroupPoint>();
    for (const name of this.groups.names()) {
      const v = this.groups.read(i, name);
      const measured = v.p50 > 0 || v.p99 > 0 || v.max > 0;
      groups.set(name, {
        sent: v.sent,
        received: v.received,
        lost: v.lost,
        notSent: v.notSent,
        blockedMs: v.blockedMs,
        inFlight: v.inFlight,
        latency: measured ? { p50: v.p50, p99: v.p99, max: v.max } : null,
        sendLagP99: v.sendLagP99 > 0 ? v.sendLagP99 : null,
      });
    }
    const workers = new Map<string, WorkerSample>();
    for (const name of this.workers.names()) workers.set(name, this.workers.read(i, name));
    const kernel = new Map<string, KernelSample>();
    for (const name of this.kernel.names()) kernel.set(name, this.kernel.read(i, name));
    return { t: this.t[i]!, warmup: this.warmup[i] === 1, groups, workers, kernel };
  }

  /**
   * The run outlasted its plan: halves the stored points by merging adjacent pairs. Only called
   * right after a point was stored, with nothing pending. Sealed points keep no histograms, so
   * a merged point's p50 and p99 are the higher of the two (an upper bound); counts and max
   * stay exact.
   */
  private compact(): void {
    const n = this.stored;
    // Odd maxPoints: the last point has only half a merged point's samples; it goes on filling,
    // its own percentiles carried and combined with what comes (as a merge would).
    const odd = n % 2 === 1 ? this.storedPoint(n - 1) : undefined;
    const half = n >> 1;
    for (let j = 0; j < half; j++) {
      this.t[j] = this.t[2 * j + 1]!;
      this.warmup[j] = this.warmup[2 * j]! & this.warmup[2 * j + 1]!;
    }
    this.t.fill(0, half);
    this.warmup.fill(0, half);
    this.groups.halve(n);
    this.workers.halve(n);
    this.kernel.halve(n);
    this.stored = half;
    this.samplesPerPoint *= 2;
    this.percentilesUpperBound = true;
    if (odd !== undefined) {
      this.pending = odd;
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

  private sealPending(): void {
    const p = this.summarizePending(true);
    this.pending = undefined;
    this.pendingSamples = 0;
    this.store(p);
  }
}

/** Adds the pending point's values at the end of stored columns. */
function appendTo<F extends string>(columns: Record<F, number[]>, values: Readonly<Record<F, number>>): void {
  for (const f of Object.keys(columns) as F[]) columns[f].push(values[f]);
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
