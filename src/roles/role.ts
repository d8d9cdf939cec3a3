import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { sleep, sleepUnless, type Clock } from '../core/clock.js';
import { messageOf } from '../core/errors.js';
import { present } from '../core/present.js';
import type { BoundAddress, LastSeq, Notice, RequestFigures, RoleReport } from '../protocol/control.js';
import { DecodedHeader, FLAG_PROBE, FLAG_WARMUP, HEADER_BYTES, decodeHeader, encodeHeaderFields, type Header } from '../protocol/header.js';
import type { RolePlan, SocketPlan } from '../scenario/plan.js';
import { createRecordingHistogram, encodeHistogram, recordNs, releaseHistogram, type Histogram } from '../stats/histogram.js';
import { createDelaySampler, isPausedAt } from '../pacing/delay.js';
import { mulberry32 } from '../core/prng.js';
import { SequenceTracker } from '../stats/sequence-tracker.js';
import { createSocket, effectiveOptions, lastEndpoint, type ZmqSocket } from '../transport/zmq-sockets.js';
import type { SocketOptionName } from '../scenario/schema.js';
import { EXTERNAL_LIMITS } from '../scenario/external-schema.js';
import { contentChecker, describeFrame } from '../protocol/content-check.js';
import { sequenceReader } from '../protocol/feed-sequence.js';
import { ForeignTraffic } from '../stats/foreign-traffic.js';
import { PrefixCounts } from '../stats/prefix-counts.js';

/** What a role may use of the worker that hosts it. */
export interface RoleHost {
  clock: Clock;
  notify(notice: Notice): void;
  /** true when the run starts with a warm-up, so the first messages are flagged */
  warmup: boolean;
  /** latencies of the current sampling interval, shared by the roles of one worker */
  intervalHistogram: Histogram;
  /** latencies from the actual send time (not the intended one) of the current interval, shared like intervalHistogram */
  intervalFromSendHistogram: Histogram;
  /** send lags of the current sampling interval (senders), shared like intervalHistogram */
  intervalSendLagHistogram: Histogram;
  /** a socket monitor event, for the timeline */
  socketEvent(roleId: number, event: string, address: string): void;
}

/** Socket monitor events worth a place on the timeline. */
const TIMELINE_EVENTS = ['connect', 'disconnect', 'accept', 'handshake', 'connect:retry', 'bind:error', 'accept:error', 'handshake:error:protocol', 'handshake:error:auth', 'handshake:error:other'] as const;

/**
 * A failed security handshake. With a wrong CURVE server key libzmq retries for ever (every
 * 100-200 ms), and both sides see it at once (measured, tcp and ipc): the server
 * handshake:error:protocol (ERR_ZMTP_CRYPTOGRAPHIC), the client handshake:error:other (EPIPE).
 */
const HANDSHAKE_ERRORS = ['handshake:error:protocol', 'handshake:error:auth', 'handshake:error:other'] as const;

/** A pause of sending or receiving: loops wait on it while it is closed. */
export class Gate {
  private opened: Promise<void> = Promise.resolve();
  private release: (() => void) | null = null;

  get isClosed(): boolean {
    return this.release !== null;
  }

  close(): void {
    if (this.release) return;
    this.opened = new Promise((resolve) => (this.release = resolve));
  }

  open(): void {
    this.release?.();
    this.release = null;
  }

  wait(): Promise<void> {
    return this.opened;
  }
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

const OBSERVER_END_WAIT_MS = 2000;

/** Messages handled between two yields to the event loop, so control messages get through. */
const YIELD_EVERY = 512;

/** libzmq's "No such endpoint" for an ipc path in a folder that is not there: say which folder. */
function missingFolder(address: string): string {
  if (!address.startsWith('ipc://')) return '';
  const folder = dirname(address.slice('ipc://'.length));
  return existsSync(folder) ? '' : ` (folder ${folder} does not exist)`;
}

/** A failure whose message already names the socket (group[instance]) and the address: shown as it is. */
export class SocketFailure extends Error {}

/** What a request was, for its reply: sequence number, times, and whether it was sent while measuring. */
export interface SentRequest {
  seq: number;
  intendedNs: bigint;
  sentNs: bigint;
  measuring: boolean;
}

/**
 * The life of one socket role, driven by the coordinator's commands in this order:
 * bind → connect → barrier → start → (measure) → stopSending → streamsEnded → finish.
 * Subclasses (one per socket type) add their loops in `start` and their readiness in `ready`.
 * Counters are plain numbers and one histogram record per message (the hot path).
 */
export abstract class SocketRole {
  protected main: ZmqSocket;
  protected forwardSocket: ZmqSocket | null;
  /** pause/resume faults */
  protected readonly sendingGate = new Gate();
  protected readonly receivingGate = new Gate();
  /** killed by a fault: sockets closed, application state gone; counters are the harness's and stay */
  protected crashed = false;
  /** latency from the intended send time (coordinated omission corrected) */
  protected readonly histogram = createRecordingHistogram();
  /** latency from the actual send time: what the message itself experienced once sent */
  protected readonly histogramFromSend = createRecordingHistogram();
  protected readonly tracker: SequenceTracker | null;
  /** messages without our header (a service we did not start): sizes, gaps between arrivals, checks, a feed's own sequence */
  private readonly foreign: ForeignTraffic;
  private readonly checkContent: ((frame: Buffer) => boolean) | null;
  private readonly readSequence: ((frame: Buffer) => number | undefined) | null;
  /** a sub with prefixes: messages per prefix (B8) */
  protected readonly prefixCounts: PrefixCounts | null;
  protected measuring: boolean;
  protected closing = false;
  protected sent = 0;
  protected sentMeasured = 0;
  protected sentBytesMeasured = 0;
  protected received = 0;
  protected receivedMeasured = 0;
  protected receivedBytesMeasured = 0;
  protected misrouted = 0;
  /** sends given up after the send timeout (whenBlocked: give-up) */
  protected notSent = 0;
  /** time spent in sends that found the queue full (whole run, and measured phase only) */
  protected blockedNs = 0;
  protected blockedNsMeasured = 0;
  protected lastSeqsKnown: LastSeq[] = [];
  /** start of measurement on the monotonic clock: delay phases and pauses count from here */
  protected measureStartNs: bigint;
  private stopNs = 0n;
  private receivedAtStop = 0;
  private lastArrivalNs = 0n;
  /** the first data message's arrival (time to first message, B2); null until one came */
  private firstArrivalNs: bigint | null = null;
  /** connected by `dial` (start: connect-first): `connect` only starts the loops */
  private dialled = false;
  private readonly delayFor: (elapsedMs: number) => number;
  /** receivers: a processing time is configured */
  protected readonly hasDelay: boolean;
  private readonly loops: Promise<void>[] = [];
  private readonly errors: string[] = [];
  private readonly handshakes = new Map<ZmqSocket, number>();
  private optionsAsSet: Record<string, unknown> = {};
  /** the addresses of every endpoint, as given at connect: a reopened socket connects to them again */
  protected connectedTo: Record<string, string[]> = {};
  private readonly observersEnded: Promise<void>[] = [];
  /** begun: the start barrier is behind (or there is none); CURVE handshake failures are no longer reported */
  private begun = false;
  private readonly handshakeFailuresReported = new Set<ZmqSocket>();

  constructor(
    readonly plan: RolePlan,
    protected readonly host: RoleHost,
  ) {
    this.main = this.open(plan.socket);
    this.forwardSocket = plan.forward ? this.open(plan.forward) : null;
    this.tracker = plan.tracking === 'none' ? null : new SequenceTracker(plan.tracking);
    this.foreign = new ForeignTraffic(EXTERNAL_LIMITS.mismatchExamples, plan.sequence !== null);
    this.checkContent = plan.check === null ? null : contentChecker(plan.check);
    this.readSequence = plan.sequence === null ? null : sequenceReader(plan.sequence);
    this.prefixCounts = plan.socket.type === 'sub' && plan.subscribe.some((p) => p !== '') ? new PrefixCounts(plan.subscribe) : null;
    this.measuring = !host.warmup;
    this.measureStartNs = host.clock.nowNs();
    // Seeded per role, so random delays are the same on every run of a scenario.
    this.delayFor = createDelaySampler(plan.delay, mulberry32(plan.roleId + 1));
    this.hasDelay = plan.delay.phases.some((p) => p.spec.kind !== 'fixed' || p.spec.ms > 0);
  }

  private open(socketPlan: SocketPlan): ZmqSocket {
    const socket = createSocket(socketPlan);
    this.handshakes.set(socket, 0);
    if (socketPlan.handshakes > 0 || socketPlan.monitor) {
      // Keep the observer itself: `socket.events` throws ENOTSOCK once the socket is closed.
      const observer = socket.events;
      observer.on('handshake', () => this.handshakes.set(socket, (this.handshakes.get(socket) ?? 0) + 1));
      if (socketPlan.monitor) {
        for (const type of TIMELINE_EVENTS) {
          observer.on(type, (e: { address?: string }) => this.host.socketEvent(this.plan.roleId, type, e.address ?? ''));
        }
      }
      const curve = socketPlan.curve;
      if (curve) {
        // The coordinator fails the run on the first one instead of waiting out the barrier.
        for (const type of HANDSHAKE_ERRORS) {
          observer.on(type, (e: { address?: string }) => {
            if (this.begun || this.handshakeFailuresReported.has(socket)) return;
            this.handshakeFailuresReported.add(socket);
            this.host.notify({ kind: 'handshake-failed', roleId: this.plan.roleId, side: curve.as, event: type, address: e.address ?? '' });
          });
        }
      }
      this.observersEnded.push(new Promise<void>((resolve) => observer.on('end', () => resolve())));
    }
    return socket;
  }

  async bind(addresses: Record<string, string>): Promise<BoundAddress[]> {
    const bound: BoundAddress[] = [];
    for (const [socket, plan] of this.sockets()) {
      for (const endpoint of plan.bind) {
        const address = addresses[endpoint]!;
        try {
          await socket.bind(address);
        } catch (e) {
          // libzmq says only "Address already in use" or "No such endpoint": say which socket and where
          const which = socket === this.main ? '' : ` (its forward ${plan.type})`;
          throw new SocketFailure(`${this.plan.group}[${this.plan.instance}]${which} could not bind endpoint ${endpoint} to ${address}: ${messageOf(e)}${missingFolder(address)}`);
        }
        bound.push({ roleId: this.plan.roleId, endpoint, address: lastEndpoint(socket) });
      }
    }
    return bound;
  }

  connect(addresses: Record<string, string[]>): void {
    this.connectedTo = addresses;
    if (this.dialled) this.dialled = false;
    else this.connectSockets(addresses);
    this.optionsAsSet = this.describeOptions(); // read now: a closed socket has no options to read
    this.afterConnect();
  }

  /**
   * start: connect-first: connect before any socket binds, and start nothing else. No loop may
   * run yet: a send or receive on a socket while it binds throws EBUSY in zeromq.js. The
   * `connect` that follows the binds then only starts the loops.
   */
  dial(addresses: Record<string, string[]>): void {
    this.connectSockets(addresses);
    this.dialled = true;
  }

  private connectSockets(addresses: Record<string, string[]>): void {
    this.beforeConnect();
    for (const [socket, plan] of this.sockets()) {
      for (const endpoint of plan.connect) for (const address of addresses[endpoint] ?? []) socket.connect(address);
    }
  }

  /** Hook for sub (subscribe first) and for receivers (start reading to see probes). */
  protected beforeConnect(): void {}
  protected afterConnect(): void {}

  /** What this role still waits for at the start barrier; empty when ready. */
  barrierWaitingFor(): string[] {
    const waiting: string[] = [];
    for (const [socket, plan] of this.sockets()) {
      const seen = this.handshakes.get(socket) ?? 0;
      if (seen < plan.handshakes) waiting.push(`${plan.type} socket: ${seen} of ${plan.handshakes} connections made`);
    }
    return [...waiting, ...this.extraBarrierWaits()];
  }

  protected extraBarrierWaits(): string[] {
    return [];
  }

  /** Begin the role's main loops (senders send; receivers are already reading). */
  begin(): void {
    this.begun = true;
    if (!this.host.warmup) this.measureStartNs = this.host.clock.nowNs();
    this.start();
  }

  protected abstract start(): void;

  measure(): void {
    this.measuring = true;
    this.measureStartNs = this.host.clock.nowNs();
  }

  /** The senders are being stopped: what arrives from now on was drained from queues. */
  sendersStopping(): void {
    this.stopNs = this.host.clock.nowNs();
    this.receivedAtStop = this.received;
  }

  /** Resolves when no request of this role waits for its reply; null when none does (see worker.ts, `sample`). */
  roundTripInFlight(): Promise<void> | null {
    return null;
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

  /** Senders: how many messages each of their streams has sent so far. */
  streamsSent(): LastSeq[] {
    return this.ownLastSeqs();
  }

  /** Senders stop after their current message and tell the last sequence numbers they sent. */
  async stopSending(_graceMs: number): Promise<LastSeq[]> {
    return [];
  }

  /** Out-of-band end of every stream, so receivers can count tail loss exactly. */
  streamsEnded(lastSeqs: LastSeq[]): void {
    this.lastSeqsKnown = lastSeqs;
  }

  receivedSoFar(): number {
    return this.received;
  }

  /**
   * A crash (thread placement): every socket closes at once with linger 0, dropping what sat
   * in its queues and any request half served. A thread cannot be terminated safely with
   * zeromq operations pending (trap 7), so this is the abrupt stop that stands in for a kill.
   */
  async crash(): Promise<void> {
    this.closing = true;
    this.crashed = true;
    this.sendingGate.open();
    this.receivingGate.open();
    for (const [socket] of this.sockets()) closeSocket(socket);
    await Promise.all(this.loops);
  }

  /** A restart after a crash: new sockets at the same addresses, no start barrier. */
  async revive(bind: Record<string, string>, connect: Record<string, string[]>): Promise<void> {
    this.main = this.open(this.plan.socket);
    this.forwardSocket = this.plan.forward ? this.open(this.plan.forward) : null;
    this.closing = false;
    this.crashed = false;
    await this.bind(bind);
    this.connect(connect);
    this.start();
  }

  /** Pause or resume a direction (fault events). */
  setPaused(what: 'sending' | 'receiving' | 'both', paused: boolean): void {
    for (const gate of what === 'both' ? [this.sendingGate, this.receivingGate] : [what === 'sending' ? this.sendingGate : this.receivingGate]) {
      if (paused) gate.close();
      else gate.open();
    }
  }

  /** A sender stops early (fault event); receivers ignore it. */
  stopEarly(): void {}

  /** Close every socket (ending pending receives), wait for the loops, then report. */
  async finish(): Promise<RoleReport> {
    this.closing = true;
    for (const [socket] of this.sockets()) closeSocket(socket);
    await Promise.all(this.loops);
    // An observer still waiting when its thread ends aborts the process (trap 7). Closing
    // it ourselves fails with ENOTSOCK and leaves later runs in this process unable to
    // connect (measured), so wait for the 'end' it emits once its socket is closed.
    await sleepUnless(OBSERVER_END_WAIT_MS, Promise.all(this.observersEnded));
    // Nothing records any more (the loops are done): encode, then free (WASM is not garbage-collected).
    const histogram = encodeHistogram(this.histogram);
    const histogramFromSend = encodeHistogram(this.histogramFromSend);
    releaseHistogram(this.histogram);
    releaseHistogram(this.histogramFromSend);
    const lastSeqOf = new Map(this.lastSeqsKnown.map((l) => [`${l.sourceId}:${l.stream}`, l.lastSeq]));
    return {
      roleId: this.plan.roleId,
      group: this.plan.group,
      sent: this.sent,
      sentMeasured: this.sentMeasured,
      sentBytesMeasured: this.sentBytesMeasured,
      received: this.received,
      receivedMeasured: this.receivedMeasured,
      receivedBytesMeasured: this.receivedBytesMeasured,
      misrouted: this.misrouted,
      notSent: this.notSent,
      blockedMsMeasured: this.blockedNsMeasured / 1e6,
      drainedMessages: this.stopNs > 0n ? this.received - this.receivedAtStop : 0,
      drainedMs: this.stopNs > 0n && this.received > this.receivedAtStop ? Number(this.lastArrivalNs - this.stopNs) / 1e6 : 0,
      ...present('firstArrivalNs', this.firstArrivalNs === null ? null : String(this.firstArrivalNs)),
      requests: this.requestFigures(),
      tallies: this.tracker ? this.tracker.finish((s, st) => lastSeqOf.get(`${s}:${st}`), this.plan.streams) : [],
      histogram,
      histogramFromSend,
      lastSeqs: this.ownLastSeqs(),
      effectiveOptions: this.optionsAsSet,
      errors: this.errors,
      ...present('content', this.foreign.report()),
      ...present('prefixes', this.prefixCounts?.report() ?? null),
      ...present('refusedSends', this.plan.misuse === null ? null : { ...this.refused }),
    };
  }

  protected ownLastSeqs(): LastSeq[] {
    return [];
  }

  /** REQ clients report what happened to their requests. */
  protected requestFigures(): RequestFigures | undefined {
    return undefined;
  }

  private describeOptions(): Record<string, unknown> {
    const names = (plan: SocketPlan) => Object.keys(plan.options) as SocketOptionName[];
    const out: Record<string, unknown> = { [this.plan.socket.type]: effectiveOptions(this.main, names(this.plan.socket)) };
    if (this.forwardSocket && this.plan.forward) out[`forward ${this.plan.forward.type}`] = effectiveOptions(this.forwardSocket, names(this.plan.forward));
    return out;
  }

  protected *sockets(): Generator<[ZmqSocket, SocketPlan]> {
    yield [this.main, this.plan.socket];
    if (this.forwardSocket && this.plan.forward) yield [this.forwardSocket, this.plan.forward];
  }

  /** Runs a loop; an error while not closing fails the role (and so the run). */
  protected spawn(name: string, loop: () => Promise<void>): void {
    this.loops.push(
      loop().catch((e: unknown) => {
        if (this.closing) return; // ENOTSOCK/EAGAIN from sockets we closed ourselves (trap 6)
        const message = `${this.plan.group}[${this.plan.instance}] ${name}: ${messageOf(e)}`;
        this.errors.push(message);
        this.host.notify({ kind: 'role-error', roleId: this.plan.roleId, message });
      }),
    );
  }

  /** Reads frames until the role closes; the data frame is the last one (envelopes first). */
  protected receiveLoop(socket: ZmqSocket, onMessage: (frames: Buffer[], header: Header | undefined) => Promise<void> | void): void {
    this.spawn('receive', async () => {
      let n = 0;
      while (!this.closing) {
        if (this.plan.pauses.length > 0) await this.pauseIfDue();
        if (this.receivingGate.isClosed) await this.receivingGate.wait();
        const frames = await socket.receive();
        const handled = onMessage(frames, decodeHeader(frames[frames.length - 1]!));
        if (handled !== undefined) await handled; // a synchronous handler costs no extra tick
        if (++n % YIELD_EVERY === 0) await yieldToLoop();
      }
    });
  }

  /**
   * Counts a data message, its sequence number and (outside warm-up) its latency twice: from
   * the intended send time (coordinated omission corrected) and from the actual send time.
   * The two differ by the send lag: when the sender fell behind its schedule.
   */
  protected recordArrival(header: Header, bytes: number): void {
    const now = this.host.clock.nowNs();
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
      recordNs(this.host.intervalHistogram, latencyNs);
      recordNs(this.histogramFromSend, fromSendNs);
      recordNs(this.host.intervalFromSendHistogram, fromSendNs);
    }
  }

  /** A message without our header: counted (not tracked), then inspected. */
  protected recordForeign(frames: Buffer[]): void {
    this.received++;
    const now = this.host.clock.nowNs();
    this.lastArrivalNs = now;
    if (this.firstArrivalNs === null) this.firstArrivalNs = now;
    const bytes = framesBytes(frames);
    if (this.measuring && this.stopNs === 0n) {
      this.receivedMeasured++;
      this.receivedBytesMeasured += bytes;
    }
    this.inspectForeign(frames, bytes);
  }

  /**
   * A reply from a service that does not know our header: the asker times the round trip from
   * what it kept of the request, and tracks the request's sequence number itself.
   */
  protected recordForeignReply(frames: Buffer[], request: SentRequest): void {
    const bytes = framesBytes(frames);
    const header: Header = { flags: request.measuring ? 0 : FLAG_WARMUP, stream: 0, sourceId: this.plan.sourceId, seq: request.seq, intendedNs: request.intendedNs, sentNs: request.sentNs };
    this.recordArrival(header, bytes);
    this.inspectForeign(frames, bytes);
  }

  private inspectForeign(frames: Buffer[], bytes: number): void {
    if (this.measuring && this.stopNs === 0n) this.foreign.arrived(bytes, this.host.clock.nowNs());
    const last = frames[frames.length - 1]!;
    if (this.checkContent) this.foreign.checkedOne(this.checkContent(last), () => describeFrame(last));
    if (this.readSequence) this.foreign.sequenceNumber(this.readSequence(last));
  }

  /** out-of-order sends made on purpose (B1), by the error code they got */
  private readonly refused: Record<string, number> = {};

  /**
   * A send that breaks the REQ/REP order (B1). zeromq.js waits for writability, which never
   * comes, for as long as the send timeout allows (for ever by default; measured): with a
   * timeout of 0 for this one send it fails at once with EFSM.
   */
  protected async misusedSend(): Promise<void> {
    let code = 'accepted';
    const timeout = this.main.sendTimeout;
    this.main.sendTimeout = 0;
    try {
      await this.main.send(Buffer.from('out of order'));
    } catch (e) {
      if (this.closing) return;
      code = (e as NodeJS.ErrnoException).code ?? 'unknown';
    } finally {
      if (!this.main.closed) this.main.sendTimeout = timeout;
    }
    this.refused[code] = (this.refused[code] ?? 0) + 1;
  }

  /** ms since the start of measurement (negative during warm-up). */
  protected elapsedMs(): number {
    return Number(this.host.clock.nowNs() - this.measureStartNs) / 1e6;
  }

  /** A receiver inside a pause window stops reading; its queues fill meanwhile. */
  private async pauseIfDue(): Promise<void> {
    for (let left = isPausedAt(this.plan.pauses, this.elapsedMs()); left > 0 && !this.closing; left = isPausedAt(this.plan.pauses, this.elapsedMs())) {
      await sleep(Math.min(left, 50)); // wake now and then so a finishing run is not held up
    }
  }

  /** Builds a data frame stamped with its intended and actual send time (read now unless given). */
  protected dataFrame(stream: number, seq: number, intendedNs: bigint, probe = false, sentNs: bigint = this.host.clock.nowNs()): Buffer {
    const flags = (this.measuring ? 0 : FLAG_WARMUP) | (probe ? FLAG_PROBE : 0);
    return encodeHeaderFields(probe ? HEADER_BYTES : this.plan.sizeBytes, flags, stream, this.plan.sourceId, seq, intendedNs, sentNs);
  }

  protected countSent(bytes: number): void {
    this.sent++;
    if (this.measuring) {
      this.sentMeasured++;
      this.sentBytesMeasured += bytes;
    }
  }

  /** Simulated processing time of a consumer: timers for 1 ms and more, else yields. */
  protected async processingDelay(): Promise<void> {
    if (!this.hasDelay) return;
    const ms = this.delayFor(this.elapsedMs());
    if (ms <= 0) return;
    if (ms >= 1) {
      await sleep(ms);
      return;
    }
    const due = this.host.clock.nowNs() + BigInt(Math.round(ms * 1e6));
    while (this.host.clock.nowNs() < due) await yieldToLoop();
  }
}

export function closeSocket(socket: ZmqSocket): void {
  if (!socket.closed) socket.close();
}

export const isProbe = (h: Header): boolean => (h.flags & FLAG_PROBE) !== 0;

/** Bytes of a message body: one frame, or every frame of a multipart one. */
export function framesBytes(data: Buffer | readonly Buffer[]): number {
  if (!Array.isArray(data)) return (data as Buffer).length;
  let n = 0;
  for (const f of data) n += f.length;
  return n;
}
