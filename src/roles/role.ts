import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { sleep, sleepUnless } from '../core/clock.js';
import { messageOf } from '../core/errors.js';
import { errorCode, type EngineSocket } from '../engine/engine.js';
import type { BoundAddress, LastSeq, RequestFigures, RoleReport } from '../protocol/control.js';
import {
  FLAG_PROBE,
  FLAG_WARMUP,
  HEADER_BYTES,
  decodeHeader,
  encodeHeaderFields,
  encodeHeaderInto,
  type Header,
} from '../protocol/header.js';
import type { RolePlan, SocketPlan } from '../scenario/plan.js';
import { createDelaySampler, isPausedAt } from '../pacing/delay.js';
import { mulberry32 } from '../core/prng.js';
import { RoleMeter, meterSpecOf, type RoleCounters } from '../meter/role-meter.js';
import { effectiveOptions } from './effective-options.js';
import { Gate } from './gate.js';
import type { RoleHost } from './role-host.js';
import { SocketWatch } from './socket-watch.js';

export type { RoleHost } from './role-host.js';

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

/**
 * The life of one socket role, driven by the coordinator's commands in this order:
 * bind → connect → barrier → start → (measure) → stopSending → streamsEnded → finish.
 * Subclasses (one per socket type) add their loops in `start` and their readiness in `ready`.
 * Sockets come from the host's engine; what the role measures is its meter's.
 */
export abstract class SocketRole {
  protected main: EngineSocket;
  protected forwardSocket: EngineSocket | null;
  /** pause/resume faults */
  protected readonly sendingGate = new Gate();
  protected readonly receivingGate = new Gate();
  /** killed by a fault: sockets closed, application state gone; the meter is the harness's and stays */
  protected crashed = false;
  protected closing = false;
  protected readonly meter: RoleMeter;
  /** connected by `dial` (start: connect-first): `connect` only starts the loops */
  private dialled = false;
  private readonly delayFor: (elapsedMs: number) => number;
  /** receivers: a processing time is configured */
  protected readonly hasDelay: boolean;
  private readonly loops: Promise<void>[] = [];
  private readonly errors: string[] = [];
  private readonly watch: SocketWatch;
  private optionsAsSet: Record<string, unknown> = {};
  /** the addresses of every endpoint, as given at connect: a reopened socket connects to them again */
  protected connectedTo: Record<string, string[]> = {};

  constructor(
    readonly plan: RolePlan,
    protected readonly host: RoleHost,
  ) {
    this.watch = new SocketWatch(plan.roleId, host);
    this.main = this.watch.open(plan.socket);
    this.forwardSocket = plan.forward ? this.watch.open(plan.forward) : null;
    const interval = { latency: host.intervalHistogram, fromSend: host.intervalFromSendHistogram, sendLag: host.intervalSendLagHistogram };
    this.meter = new RoleMeter(meterSpecOf(plan), { clock: host.clock, warmup: host.warmup, interval });
    // Seeded per role, so random delays are the same on every run of a scenario.
    this.delayFor = createDelaySampler(plan.delay, mulberry32(plan.roleId + 1));
    this.hasDelay = plan.delay.phases.some((p) => p.spec.kind !== 'fixed' || p.spec.ms > 0);
  }

  /** false during a warm-up */
  protected get measuring(): boolean {
    return this.meter.measuring;
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
          const which = this.socketName(socket, plan);
          throw new SocketFailure(
            `${this.plan.group}[${this.plan.instance}]${which} could not bind endpoint ${endpoint} to ${address}: ${messageOf(e)}${missingFolder(address)}`,
          );
        }
        bound.push({ roleId: this.plan.roleId, endpoint, address: socket.lastEndpoint });
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
   * run yet: a socket cannot bind while a send or receive is pending on it (EBUSY,
   * docs/zeromq-traps.md 8). The
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
      const seen = this.watch.handshakesOf(socket);
      if (seen < plan.handshakes) waiting.push(`${plan.type} socket: ${seen} of ${plan.handshakes} connections made`);
    }
    return [...waiting, ...this.extraBarrierWaits()];
  }

  protected extraBarrierWaits(): string[] {
    return [];
  }

  /** Begin the role's main loops (senders send; receivers are already reading). */
  begin(): void {
    this.watch.begun = true;
    this.meter.begin();
    this.start();
  }

  protected abstract start(): void;

  measure(): void {
    this.meter.measure();
  }

  /** The senders are being stopped: what arrives from now on was drained from queues. */
  sendersStopping(): void {
    this.meter.sendersStopping();
  }

  /** Resolves when no request of this role waits for its reply; null when none does (see worker.ts, `sample`). */
  roundTripInFlight(): Promise<void> | null {
    return null;
  }

  /** Resolves when `counters()` is up to date for a sample; null when it always is (a proxy asks libzmq first). */
  refreshCounters(): Promise<void> | null {
    return null;
  }

  counters(): RoleCounters {
    return this.meter.counters();
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
    this.meter.streamsEnded(lastSeqs);
  }

  receivedSoFar(): number {
    return this.meter.receivedSoFar;
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
    for (const [socket] of this.sockets()) socket.close();
    await Promise.all(this.loops);
  }

  /** A restart after a crash: new sockets at the same addresses, no start barrier. */
  async revive(bind: Record<string, string>, connect: Record<string, string[]>): Promise<void> {
    this.main = this.watch.open(this.plan.socket);
    this.forwardSocket = this.plan.forward ? this.watch.open(this.plan.forward) : null;
    this.closing = false;
    this.crashed = false;
    await this.bind(bind);
    this.connect(connect);
    this.start();
  }

  /** Pause or resume a direction (fault events). */
  setPaused(what: 'sending' | 'receiving' | 'both', paused: boolean): void {
    for (const gate of what === 'both'
      ? [this.sendingGate, this.receivingGate]
      : [what === 'sending' ? this.sendingGate : this.receivingGate]) {
      if (paused) gate.close();
      else gate.open();
    }
  }

  /** A sender stops early (fault event); receivers ignore it. */
  stopEarly(): void {}

  /** Close every socket (ending pending receives), wait for the loops, then report. */
  async finish(): Promise<RoleReport> {
    this.closing = true;
    for (const [socket] of this.sockets()) socket.close();
    await Promise.all(this.loops);
    // A monitor still waiting when its thread ends aborts the process (trap 7): wait until the
    // engine has released every socket (zeromq.js: its observer's own 'end', docs/zeromq-traps.md 1).
    await sleepUnless(OBSERVER_END_WAIT_MS, this.watch.allReleased());
    // Nothing records any more (the loops are done).
    return {
      roleId: this.plan.roleId,
      group: this.plan.group,
      ...this.meter.report(),
      requests: this.requestFigures(),
      lastSeqs: this.ownLastSeqs(),
      effectiveOptions: this.optionsAsSet,
      errors: this.errors,
    };
  }

  protected ownLastSeqs(): LastSeq[] {
    return [];
  }

  /** REQ clients report what happened to their requests. */
  protected requestFigures(): RequestFigures | undefined {
    return undefined;
  }

  /** How a bind failure names a socket of this role: '' for the main socket. */
  protected socketName(socket: EngineSocket, plan: SocketPlan): string {
    return socket === this.main ? '' : ` (its forward ${plan.type})`;
  }

  /** A socket of this role's plan, watched like the main socket (handshakes, monitor events, release). */
  protected openSocket(plan: SocketPlan): EngineSocket {
    return this.watch.open(plan);
  }

  protected describeOptions(): Record<string, unknown> {
    const out: Record<string, unknown> = { [this.plan.socket.type]: effectiveOptions(this.main, this.plan.socket) };
    if (this.forwardSocket && this.plan.forward)
      out[`forward ${this.plan.forward.type}`] = effectiveOptions(this.forwardSocket, this.plan.forward);
    return out;
  }

  protected *sockets(): Generator<[EngineSocket, SocketPlan]> {
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
  protected receiveLoop(socket: EngineSocket, onMessage: (frames: Buffer[], header: Header | undefined) => Promise<void> | void): void {
    this.spawn('receive', async () => {
      let n = 0;
      while (!this.closing) {
        if (this.plan.pauses.length > 0) await this.pauseIfDue();
        if (this.receivingGate.isClosed) await this.receivingGate.wait();
        const next = socket.receive();
        const frames = Array.isArray(next) ? next : await next; // an engine that had a message at once costs no tick
        const handled = onMessage(frames, decodeHeader(frames[frames.length - 1]!));
        if (handled !== undefined) await handled; // a synchronous handler costs no extra tick
        if (++n % YIELD_EVERY === 0) await yieldToLoop();
      }
    });
  }

  /**
   * A send that breaks the REQ/REP order (B1). It must not wait for a turn that never comes
   * (docs/zeromq-traps.md 7), so it goes without waiting and is counted by the error code it gets.
   */
  protected async misusedSend(): Promise<void> {
    let code = 'accepted';
    try {
      const sending = this.main.sendNow(Buffer.from('out of order'));
      if (sending) await sending;
    } catch (e) {
      if (this.closing) return;
      code = errorCode(e) ?? 'unknown';
    }
    this.meter.recordRefused(code);
  }

  /** ms since the start of measurement (negative during warm-up). */
  protected elapsedMs(): number {
    return this.meter.elapsedMs();
  }

  /** A receiver inside a pause window stops reading; its queues fill meanwhile. */
  private async pauseIfDue(): Promise<void> {
    for (
      let left = isPausedAt(this.plan.pauses, this.elapsedMs());
      left > 0 && !this.closing;
      left = isPausedAt(this.plan.pauses, this.elapsedMs())
    ) {
      await sleep(Math.min(left, 50)); // wake now and then so a finishing run is not held up
    }
  }

  /** Builds a data frame stamped with its intended and actual send time (read now unless given). */
  protected dataFrame(stream: number, seq: number, intendedNs: bigint, probe = false, sentNs: bigint = this.host.clock.nowNs()): Buffer {
    const flags = (this.meter.measuring ? 0 : FLAG_WARMUP) | (probe ? FLAG_PROBE : 0);
    return encodeHeaderFields(probe ? HEADER_BYTES : this.plan.sizeBytes, flags, stream, this.plan.sourceId, seq, intendedNs, sentNs);
  }

  /** A data frame made by dataFrame, stamped for another message (same size; the padding stays). */
  protected restamp(frame: Buffer, stream: number, seq: number, intendedNs: bigint, sentNs: bigint): Buffer {
    return encodeHeaderInto(frame, this.meter.measuring ? 0 : FLAG_WARMUP, stream, this.plan.sourceId, seq, intendedNs, sentNs);
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

export const isProbe = (h: Header): boolean => (h.flags & FLAG_PROBE) !== 0;
