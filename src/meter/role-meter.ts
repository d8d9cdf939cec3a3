import type { Clock } from '../core/clock.js';
import { present } from '../core/present.js';
import type { LastSeq, RoleReport } from '../protocol/control.js';
import { DecodedHeader, FLAG_WARMUP, type Header } from '../protocol/header.js';
import type { RolePlan, Tracking } from '../scenario/plan.js';
import type { StreamKey } from '../scenario/routes.js';
import { isSender, isSubscriber } from '../scenario/schema.js';
import { createRecordingHistogram, encodeHistogram, recordNs, releaseHistogram, type Histogram } from '../stats/histogram.js';
import { PrefixCounts } from '../stats/prefix-counts.js';
import { SubscriptionCounts } from '../stats/subscription-counts.js';
import { SequenceTracker } from '../stats/sequence-tracker.js';
import { ForeignInspection, type ForeignSpec } from './foreign-inspection.js';

/**
 * What one role measures, apart from its sockets: messages and bytes sent and received (all,
 * and inside the measured window), latency from the intended and from the actual send time,
 * sequence gaps, send lag and time blocked, drain after the senders stop, foreign traffic and
 * prefix counts, and the figures of the role's report. It sees frames and headers, never a
 * socket; the role calls it once per message (the hot path: plain numbers, one histogram
 * record per figure).
 */

/** What the meter needs to know of the role it measures. */
export interface MeterSpec extends ForeignSpec {
  /** the source id of this role's own messages (replies from a foreign service are tracked under it) */
  sourceId: number;
  tracking: Tracking;
  /** the streams this role should receive: tail loss is counted against them */
  streams: StreamKey[];
  /** a sub socket with prefixes: messages per prefix (B8); null: not counted */
  prefixes: readonly string[] | null;
  /** a dish: messages per group joined, whole names (reported as its prefixes); absent or null: not counted */
  groups?: readonly string[] | null;
  /** a sender: keeps a histogram of send lag */
  sender: boolean;
  /** misuses the REQ/REP order on purpose (B1): reports its refused sends */
  misuse: boolean;
  /** subscribers: xpub welcome messages, counted apart from data (empty: none can come) */
  welcomes: readonly string[];
  /** an xpub socket: counts the subscription messages it reads */
  subscriptions: boolean;
}

/** The meter's part of a role: what it knows of the plan. */
export function meterSpecOf(plan: RolePlan): MeterSpec {
  return {
    sourceId: plan.sourceId,
    tracking: plan.tracking,
    streams: plan.streams,
    check: plan.check,
    sequence: plan.sequence,
    prefixes: isSubscriber(plan.socket.type) && plan.subscribe.some((p) => p !== '') ? plan.subscribe : null,
    groups: plan.socket.type === 'dish' ? plan.join : null,
    sender: isSender(plan.socket.type, plan.side) && !plan.proxy,
    misuse: plan.misuse !== null,
    welcomes: plan.welcomes,
    subscriptions: plan.socket.type === 'xpub' && !plan.proxy,
  };
}

/** The histograms of the current sampling interval, shared by the roles of one worker. */
export interface IntervalHistograms {
  latency: Histogram;
  /** latency from the actual send time */
  fromSend: Histogram;
  /** send lag (senders) */
  sendLag: Histogram;
}

export interface MeterEnv {
  clock: Clock;
  /** the run starts with a warm-up: nothing counts as measured until measure() */
  warmup: boolean;
  interval: IntervalHistograms;
}

/** Cumulative counters read at every sampling interval for the time series. */
export interface RoleCounters {
  sent: number;
  received: number;
  /** gaps seen so far (tail loss is only known at the end) */
  lostKnown: number;
  notSent: number;
  blockedMs: number;
}

/** What a request was, for its reply: sequence number, times, and whether it was sent while measuring. */
export interface SentRequest {
  seq: number;
  intendedNs: bigint;
  sentNs: bigint;
  measuring: boolean;
}

/** The measured part of a role's report. */
export type MeterReport = Omit<RoleReport, 'roleId' | 'group' | 'requests' | 'lastSeqs' | 'effectiveOptions' | 'errors'>;

const NEVER_NS = BigInt(Number.MAX_SAFE_INTEGER) * 1000n;

export class RoleMeter {
  private measuringNow: boolean;
  /** start of measurement on the monotonic clock: delay phases and pauses count from here */
  private startNs: bigint;
  /** when the senders were told to stop (every role): what arrives later was drained */
  private stopNs = 0n;
  /** when this sender was told to stop: the end of its measured phase */
  private endNs = NEVER_NS;
  private sent = 0;
  private sentMeasured = 0;
  private sentBytesMeasured = 0;
  private received = 0;
  private receivedMeasured = 0;
  private receivedBytesMeasured = 0;
  private misrouted = 0;
  /** sends given up after the send timeout (whenBlocked: give-up) */
  private notSent = 0;
  /** time spent in sends that found the queue full (whole run, and measured phase only) */
  private blockedNs = 0;
  private blockedNsMeasured = 0;
  private receivedAtStop = 0;
  private lastArrivalNs = 0n;
  /** the first data message's arrival (time to first message, B2); null until one came */
  private firstArrivalNs: bigint | null = null;
  private lastSeqsKnown: LastSeq[] = [];
  /** latency from the intended send time (coordinated omission corrected) */
  private readonly histogram = createRecordingHistogram();
  /** latency from the actual send time: what the message itself experienced once sent */
  private readonly histogramFromSend = createRecordingHistogram();
  /** send lag: when each send actually started minus its intended time (senders) */
  private readonly sendLagHistogram: Histogram | null;
  private readonly tracker: SequenceTracker | null;
  private readonly foreign: ForeignInspection;
  private readonly prefixCounts: PrefixCounts | null;
  /** out-of-order sends made on purpose (B1), by the error code they got; null: no misuse */
  private readonly refused: Record<string, number> | null;
  /** xpub welcome messages received (subscribers only) */
  private welcomes = 0;
  /** an xpub's subscription messages; null: not an xpub */
  private readonly subscriptions: SubscriptionCounts | null;

  constructor(
    private readonly spec: MeterSpec,
    private readonly env: MeterEnv,
  ) {
    this.measuringNow = !env.warmup;
    this.startNs = env.clock.nowNs();
    this.sendLagHistogram = spec.sender ? createRecordingHistogram() : null;
    this.tracker = spec.tracking === 'none' ? null : new SequenceTracker(spec.tracking);
    this.foreign = new ForeignInspection(spec);
    this.prefixCounts = spec.prefixes ? new PrefixCounts(spec.prefixes) : spec.groups ? new PrefixCounts(spec.groups, true) : null;
    this.refused = spec.misuse ? {} : null;
    this.subscriptions = spec.subscriptions ? new SubscriptionCounts() : null;
  }

  /** false during a warm-up */
  get measuring(): boolean {
    return this.measuringNow;
  }

  get measureStartNs(): bigint {
    return this.startNs;
  }

  get sentSoFar(): number {
    return this.sent;
  }

  get receivedSoFar(): number {
    return this.received;
  }

  /** ms since the start of measurement (negative during warm-up). */
  elapsedMs(): number {
    return Number(this.env.clock.nowNs() - this.startNs) / 1e6;
  }

  /** The roles begin (after the start barrier): without a warm-up, measurement starts now. */
  begin(): void {
    if (!this.env.warmup) this.startNs = this.env.clock.nowNs();
  }

  /** The warm-up is over. */
  measure(): void {
    this.measuringNow = true;
    this.startNs = this.env.clock.nowNs();
  }

  /** The senders are being stopped: what arrives from now on was drained from queues. */
  sendersStopping(): void {
    this.stopNs = this.env.clock.nowNs();
    this.receivedAtStop = this.received;
  }

  /** This sender was told to stop: time blocked after this does not count. */
  sendingStopped(): void {
    this.endNs = this.env.clock.nowNs();
  }

  /** Out-of-band end of every stream, so tail loss is counted exactly. */
  streamsEnded(lastSeqs: LastSeq[]): void {
    this.lastSeqsKnown = lastSeqs;
  }

  /** A message sent; `bytes` of its body (envelope frames not included). */
  recordSent(bytes: number): void {
    this.sent++;
    if (this.measuringNow) {
      this.sentMeasured++;
      this.sentBytesMeasured += bytes;
    }
  }

  /** A send started at `sentNs`, due at `intendedNs`: its lag, measured phase only. */
  recordSendLag(sentNs: bigint, intendedNs: bigint): void {
    if (!this.measuringNow || this.sendLagHistogram === null) return;
    // Number arithmetic: no BigInt made per message (exact below 2^53 ns of uptime).
    const lagNs = Number(sentNs) - Number(intendedNs);
    recordNs(this.sendLagHistogram, lagNs);
    recordNs(this.env.interval.sendLag, lagNs);
  }

  /**
   * A send that found the queue full waited from t0 to t1. Only the part inside the measured
   * phase counts towards `blocked` (a send blocked since the warm-up, or still waiting when the
   * senders are stopped, would stretch past it).
   */
  recordBlocked(t0: bigint, t1: bigint): void {
    this.blockedNs += Number(t1 - t0);
    const start = this.startNs > t0 ? this.startNs : t0;
    const end = this.endNs < t1 ? this.endNs : t1;
    if (this.measuringNow && end > start) this.blockedNsMeasured += Number(end - start);
  }

  /** A send given up after the send timeout. */
  recordNotSent(): void {
    this.notSent++;
  }

  /** An out-of-order send made on purpose (B1) and the error code it got ('accepted': none). */
  recordRefused(code: string): void {
    if (this.refused) this.refused[code] = (this.refused[code] ?? 0) + 1;
  }

  /**
   * Counts a data message, its sequence number and (outside warm-up) its latency twice: from
   * the intended send time (coordinated omission corrected) and from the actual send time.
   * The two differ by the send lag: when the sender fell behind its schedule.
   */
  recordArrival(header: Header, bytes: number): void {
    const now = this.env.clock.nowNs();
    this.lastArrivalNs = now;
    if (this.firstArrivalNs === null) this.firstArrivalNs = now;
    this.received++;
    this.tracker?.record(header.sourceId, header.stream, header.seq);
    if ((header.flags & FLAG_WARMUP) === 0) {
      // Throughput is the rate inside the measured window: what drains later is not counted.
      if (this.stopNs === 0n) {
        this.receivedMeasured++;
        this.receivedBytesMeasured += bytes;
      }
      let latencyNs: number;
      let fromSendNs: number;
      if (header instanceof DecodedHeader) {
        // Number arithmetic: no BigInt made per message (exactness: see DecodedHeader).
        const nowNs = Number(now);
        latencyNs = nowNs - header.intendedNsNumber;
        fromSendNs = nowNs - header.sentNsNumber;
      } else {
        latencyNs = Number(now - header.intendedNs);
        fromSendNs = Number(now - header.sentNs);
      }
      recordNs(this.histogram, latencyNs);
      recordNs(this.env.interval.latency, latencyNs);
      recordNs(this.histogramFromSend, fromSendNs);
      recordNs(this.env.interval.fromSend, fromSendNs);
    }
  }

  /** A message without our header: counted (not tracked), then inspected. */
  recordForeign(frames: readonly Buffer[]): void {
    this.received++;
    const now = this.env.clock.nowNs();
    this.lastArrivalNs = now;
    if (this.firstArrivalNs === null) this.firstArrivalNs = now;
    const bytes = framesBytes(frames);
    if (this.measuringNow && this.stopNs === 0n) {
      this.receivedMeasured++;
      this.receivedBytesMeasured += bytes;
    }
    this.inspectForeign(frames, bytes);
  }

  /**
   * A reply from a service that does not know our header: the round trip is timed from what
   * the asker kept of the request, whose sequence number is tracked in its place.
   */
  recordForeignReply(frames: readonly Buffer[], request: SentRequest): void {
    const bytes = framesBytes(frames);
    const header: Header = {
      flags: request.measuring ? 0 : FLAG_WARMUP,
      stream: 0,
      sourceId: this.spec.sourceId,
      seq: request.seq,
      intendedNs: request.intendedNs,
      sentNs: request.sentNs,
    };
    this.recordArrival(header, bytes);
    this.inspectForeign(frames, bytes);
  }

  /** A message counted as received and nothing more (an echo server's request without our header, an unreadable reply). */
  recordHeaderless(): void {
    this.received++;
  }

  /** A reply that is not the answer to this role's request. */
  recordMisrouted(): void {
    this.misrouted++;
  }

  /** An xpub welcome message: the publisher's greeting, not data (its own figure, not `received`). */
  recordWelcome(): void {
    this.welcomes++;
  }

  /** A subscription message an xpub socket read. */
  recordSubscription(frames: readonly Buffer[]): void {
    this.subscriptions?.record(frames);
  }

  /** A sub socket's message, by its first frame (the topic). */
  recordPrefix(firstFrame: Buffer): void {
    this.prefixCounts?.record(firstFrame);
  }

  private inspectForeign(frames: readonly Buffer[], bytes: number): void {
    this.foreign.inspect(frames, bytes, this.measuringNow && this.stopNs === 0n, this.env.clock);
  }

  counters(): RoleCounters {
    return {
      sent: this.sent,
      received: this.received,
      lostKnown: this.tracker?.knownMissing() ?? 0,
      notSent: this.notSent,
      blockedMs: this.blockedNs / 1e6,
    };
  }

  /**
   * The figures of the role's report. Call once, when nothing records any more: the histograms
   * are encoded, then freed (WASM memory is not garbage-collected).
   */
  report(): MeterReport {
    const histogram = encodeHistogram(this.histogram);
    const histogramFromSend = encodeHistogram(this.histogramFromSend);
    releaseHistogram(this.histogram);
    releaseHistogram(this.histogramFromSend);
    const lastSeqOf = new Map(this.lastSeqsKnown.map((l) => [`${l.sourceId}:${l.stream}`, l.lastSeq]));
    const drained = this.stopNs > 0n;
    const report: MeterReport = {
      sent: this.sent,
      sentMeasured: this.sentMeasured,
      sentBytesMeasured: this.sentBytesMeasured,
      received: this.received,
      receivedMeasured: this.receivedMeasured,
      receivedBytesMeasured: this.receivedBytesMeasured,
      misrouted: this.misrouted,
      notSent: this.notSent,
      blockedMsMeasured: this.blockedNsMeasured / 1e6,
      drainedMessages: drained ? this.received - this.receivedAtStop : 0,
      drainedMs: drained && this.received > this.receivedAtStop ? Number(this.lastArrivalNs - this.stopNs) / 1e6 : 0,
      ...present('firstArrivalNs', this.firstArrivalNs === null ? null : String(this.firstArrivalNs)),
      tallies: this.tracker ? this.tracker.finish((s, st) => lastSeqOf.get(`${s}:${st}`), this.spec.streams) : [],
      histogram,
      histogramFromSend,
      ...present('content', this.foreign.report()),
      ...present('prefixes', this.prefixCounts?.report() ?? null),
      ...present('refusedSends', this.refused === null ? null : { ...this.refused }),
      ...present('welcomes', this.spec.welcomes.length > 0 ? this.welcomes : null),
      ...present('subscriptions', this.subscriptions?.report() ?? null),
    };
    if (this.sendLagHistogram) {
      report.sendLagHistogram = encodeHistogram(this.sendLagHistogram);
      releaseHistogram(this.sendLagHistogram);
    }
    return report;
  }
}

/** Bytes of a message body: one frame, or every frame of a multipart one. */
export function framesBytes(data: Buffer | readonly Buffer[]): number {
  if (!Array.isArray(data)) return (data as Buffer).length;
  let n = 0;
  for (const f of data) n += f.length;
  return n;
}
