import type { Counters, LastSeq, Reply, WorkerSampleReply } from '../protocol/control.js';
import { expectedPerGroup, type TopologyPlan } from '../scenario/plan.js';
import { isSender } from '../scenario/schema.js';
import { encodeHistogram, mergeEncoded } from '../stats/histogram.js';
import type { GroupSample, KernelSample, Sample, WorkerSample } from '../collect/sample.js';
import { TimeSeriesRecorder } from '../collect/timeseries.js';
import type { TimelineEntry, TimeSeries } from '../core/types.js';
import { LiveFigureTracker, type LiveFigures } from '../collect/live-figures.js';
import type { Group } from '../scenario/schema.js';
import type { KernelQueueSampler } from '../transport/kernel-queues.js';

/** What the live progress line shows, once per interval. */
export interface Progress {
  /** ms since the start of measurement (negative during warm-up) */
  elapsedMs: number;
  sentPerSec: number;
  receivedPerSec: number;
  /** gaps seen so far at the receivers where messages end */
  lostKnown: number;
  inFlight: number;
}

export interface SamplerOptions {
  plan: TopologyPlan;
  intervalMs: number;
  maxPoints: number;
  /** how long sampling should last (warm-up, measurement, drain): sets how many samples a time-series point covers */
  plannedMs: number;
  sampleAll: () => Promise<Reply[]>;
  kernel: KernelQueueSampler | null;
  onProgress?: (p: Progress) => void;
  /** the figures so far, after every sample of the measured phase (for abortOnFail thresholds) */
  live?: { groups: readonly Group[]; onSample: (f: LiveFigures) => void };
  /** every sample as recorded, and every socket event as it is first seen (live listeners) */
  onSample?: (sample: Sample) => void;
  onTimeline?: (entry: TimelineEntry) => void;
}

const ZERO: Counters = { sent: 0, received: 0, lostKnown: 0, notSent: 0, blockedMs: 0 };

/**
 * Asks every worker for its counters once per interval, turns them into per-group deltas,
 * estimates what is in flight (sent to a group but neither received nor known lost), adds
 * the kernel's tcp queues, and feeds the time series. Runs from start to finish of a run.
 */
export class RunSampler {
  private readonly recorder: TimeSeriesRecorder;
  private readonly previous = new Map<number, Counters>();
  private timer: NodeJS.Timeout | undefined;
  private pending: Promise<void> = Promise.resolve();
  private measureStartMs = 0;
  private measureStartNs = 0n;
  private readonly t0 = performance.now();
  private readonly socketEvents: TimelineEntry[] = [];
  /** per slot, the streams its senders had sent at the last sample: all that is known of a killed process */
  readonly latestStreamsSent = new Map<number, LastSeq[]>();

  private readonly live: LiveFigureTracker | undefined;

  constructor(private readonly options: SamplerOptions) {
    this.recorder = new TimeSeriesRecorder({
      intervalMs: options.intervalMs,
      maxPoints: options.maxPoints,
      plannedSamples: Math.ceil(options.plannedMs / options.intervalMs),
    });
    this.live = options.live ? new LiveFigureTracker(options.live.groups) : undefined;
  }

  /** Sampling starts with sending; `measureStartMs` is when measurement will begin (after warm-up). */
  start(measureStartInMs: number): void {
    this.measureStartMs = this.now() + measureStartInMs;
    this.measureStartNs = process.hrtime.bigint() + BigInt(Math.round(measureStartInMs * 1e6));
    this.timer = setInterval(() => {
      // One sample at a time: a slow reply delays the next one instead of piling up.
      this.pending = this.pending.then(() => this.sampleOnce()).catch(() => undefined);
    }, this.options.intervalMs);
  }

  /** The actual start of measurement, once known. */
  measuringFrom(): void {
    this.measureStartMs = this.now();
    this.measureStartNs = process.hrtime.bigint();
  }

  /** A slot's worker was replaced by a new process: its counters start again from 0. */
  restarted(slot: number): void {
    this.previous.delete(slot);
  }

  /** ms since the start of measurement */
  sinceMeasureStart(): number {
    return this.now() - this.measureStartMs;
  }

  /** Socket monitor events seen so far, on the measurement's timeline. */
  timeline(): TimelineEntry[] {
    return this.socketEvents;
  }

  async stop(): Promise<TimeSeries> {
    clearInterval(this.timer);
    await this.pending;
    await this.sampleOnce().catch(() => undefined);
    return this.recorder.finish();
  }

  private now(): number {
    return performance.now() - this.t0;
  }

  private async sampleOnce(): Promise<void> {
    // The kernel's tables after the workers' replies, not beside them: a worker answers between
    // two round trips (worker.ts, \`sample\`), and the table read (a walk of the whole tcp hash)
    // then falls in the same gap instead of on a round trip.
    const replies = await this.options.sampleAll();
    const kernel = (await this.options.kernel?.sample()) ?? {};
    const tMs = this.now() - this.measureStartMs;
    const samples = replies.filter((r): r is WorkerSampleReply => r.kind === 'sample');
    this.noteSocketEvents(samples);
    const { groups, workers, totals } = this.groupSamples(samples);
    const sample: Sample = { tMs, warmup: tMs <= 0, groups, workers, kernel: kernel as Record<string, KernelSample> };
    this.recorder.add(sample);
    this.options.onSample?.(sample);
    if (this.live && tMs > 0) {
      this.live.add(groups);
      this.options.live?.onSample(this.live.figures(tMs));
    }
    const perSec = 1000 / this.options.intervalMs;
    this.options.onProgress?.({
      elapsedMs: tMs,
      sentPerSec: totals.sent * perSec,
      receivedPerSec: totals.received * perSec,
      lostKnown: totals.lostKnown,
      inFlight: totals.inFlight,
    });
  }

  /** Each worker's latest streams and its socket events since the last sample, for the timeline. */
  private noteSocketEvents(samples: readonly WorkerSampleReply[]): void {
    for (const s of samples) {
      if (s.streamsSent.length > 0) this.latestStreamsSent.set(s.slot, s.streamsSent);
      for (const e of s.socketEvents) {
        const role = this.options.plan.roles[e.roleId];
        const entry: TimelineEntry = {
          tMs: Math.round(Number(BigInt(e.tNs) - this.measureStartNs) / 1e3) / 1e3,
          kind: 'socket',
          group: role?.group ?? '?',
          instance: role?.instance ?? -1,
          ...(role?.host ? { host: role.host } : {}),
          event: e.event,
          address: e.address,
        };
        this.socketEvents.push(entry);
        this.options.onTimeline?.(entry);
      }
    }
  }

  /** The interval's figures per group and per worker, and the totals the progress line shows. */
  private groupSamples(samples: readonly WorkerSampleReply[]): {
    groups: Record<string, GroupSample>;
    workers: Record<string, WorkerSample>;
    totals: { sent: number; received: number; lostKnown: number; inFlight: number };
  } {
    const sentSoFar = new Map<string, number>();
    for (const s of samples) for (const l of s.streamsSent) sentSoFar.set(`${l.sourceId}:${l.stream}`, l.lastSeq + 1);
    // From the plan at each sample: a restarted process adds streams to it.
    const expectedSoFar = expectedPerGroup(this.options.plan, (k) => sentSoFar.get(`${k.sourceId}:${k.stream}`) ?? 0);
    const byGroup = new Map<string, WorkerSampleReply[]>();
    for (const s of samples) byGroup.set(s.group, [...(byGroup.get(s.group) ?? []), s]);

    const groups: Record<string, GroupSample> = {};
    const workers: Record<string, WorkerSample> = {};
    const totals = { sent: 0, received: 0, lostKnown: 0, inFlight: 0 };
    for (const [group, list] of byGroup) {
      const { delta, cumulative } = this.countersOf(list, workers);
      const expected = expectedSoFar.get(group) ?? 0;
      const inFlight = expected > 0 ? Math.max(0, expected - cumulative.received - cumulative.lostKnown) : 0;
      groups[group] = {
        sent: delta.sent,
        received: delta.received,
        lost: delta.lostKnown,
        notSent: delta.notSent,
        blockedMs: delta.blockedMs,
        inFlight,
        histogram: mergedHistogram(list.map((s) => s.histogram)),
        histogramFromSend: mergedHistogram(list.map((s) => s.histogramFromSend ?? '')),
        sendLagHistogram: mergedHistogram(list.map((s) => s.sendLagHistogram ?? '')),
      };
      if (this.originates(group)) totals.sent += delta.sent;
      if (this.options.plan.terminal[group]) {
        totals.received += delta.received;
        totals.lostKnown += cumulative.lostKnown;
        totals.inFlight += inFlight;
      }
    }
    return { groups, workers, totals };
  }

  /** A group's counters over its workers: this interval's change and the running totals; each worker's own health on the side. */
  private countersOf(list: readonly WorkerSampleReply[], workers: Record<string, WorkerSample>): { delta: Counters; cumulative: Counters } {
    const delta = { ...ZERO };
    const cumulative = { ...ZERO };
    for (const s of list) {
      const before = this.previous.get(s.slot) ?? ZERO;
      for (const k of Object.keys(delta) as Array<keyof Counters>) {
        delta[k] += s.counters[k] - before[k];
        cumulative[k] += s.counters[k];
      }
      this.previous.set(s.slot, s.counters);
      workers[String(s.slot)] = {
        eventLoopDelayP99Ms: s.eventLoopDelayP99Ms,
        eventLoopDelayMaxMs: s.eventLoopDelayMaxMs,
        heapUsedBytes: s.heapUsedBytes,
        heapTotalBytes: s.heapTotalBytes,
      };
    }
    return { delta, cumulative };
  }

  private originates(group: string): boolean {
    const role = this.options.plan.roles.find((r) => r.group === group);
    return role !== undefined && isSender(role.socket.type, role.side);
  }
}

/** The workers' encoded histograms of one interval as one ('' when none recorded anything). */
function mergedHistogram(encoded: readonly string[]): string {
  const recorded = encoded.filter((h) => h !== '');
  return recorded.length <= 1 ? (recorded[0] ?? '') : encodeHistogram(mergeEncoded(recorded));
}
