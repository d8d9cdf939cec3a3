import { sleepUnless } from '../core/clock.js';
import type { ProxySideTraffic, ProxyTraffic } from '../core/types.js';
import type { EngineProxy, EngineSocket } from '../engine/engine.js';
import type { RoleReport } from '../protocol/control.js';
import type { RolePlan, SocketPlan } from '../scenario/plan.js';
import type { RoleCounters } from '../meter/role-meter.js';
import { effectiveOptions } from './effective-options.js';
import { SocketRole, type RoleHost } from './role.js';

/** How long a sample waits for libzmq's counters before it takes the last ones read. */
const SAMPLE_WAIT_MS = 50;

const NO_SIDE: ProxySideTraffic = { framesReceived: 0, bytesReceived: 0, framesSent: 0, bytesSent: 0 };
const NO_TRAFFIC: ProxyTraffic = { frontend: NO_SIDE, backend: NO_SIDE };

/**
 * A proxy group's member: libzmq's own zmq_proxy between its frontend (the main socket), its
 * backend (the forward) and an optional capture socket, run by the engine on a thread of its
 * own from the moment the sockets are connected (so barrier probes and subscriptions pass
 * through it) until `finish`. This thread never forwards a message: it opens, binds and
 * connects the sockets, steers the proxy (pause, resume, terminate) and, where the engine can,
 * reads libzmq's counters at the start and end of measurement and for every sample.
 *
 * The proxy's thread owns the sockets while it runs: every stop (finish, a kill) terminates it
 * and waits for it before a socket is closed (docs/zeromq-traps.md 7 and 30).
 */
export class ProxyRole extends SocketRole {
  private captureSocket: EngineSocket | null;
  private running: EngineProxy | null = null;
  /** the last counters read of the proxy running now */
  private current: ProxyTraffic = NO_TRAFFIC;
  /** what proxies killed before this one passed (a kill and a restart start a new proxy) */
  private carried: ProxyTraffic = NO_TRAFFIC;
  /** whether the engine reads libzmq's counters (null until asked) */
  private countable: boolean | null = null;
  private measureStart: Promise<ProxyTraffic | null> | null = null;
  private measureEnd: Promise<ProxyTraffic | null> | null = null;

  constructor(plan: RolePlan, host: RoleHost) {
    super(plan, host);
    this.captureSocket = plan.capture ? this.openSocket(plan.capture) : null;
  }

  protected override *sockets(): Generator<[EngineSocket, SocketPlan]> {
    yield* super.sockets();
    if (this.captureSocket && this.plan.capture) yield [this.captureSocket, this.plan.capture];
  }

  /** frontend, backend or capture, and its type: how results and problems name a proxy's socket. */
  private sideOf(socket: EngineSocket, plan: SocketPlan): string {
    return `${socket === this.main ? 'frontend' : socket === this.forwardSocket ? 'backend' : 'capture'} ${plan.type}`;
  }

  protected override socketName(socket: EngineSocket, plan: SocketPlan): string {
    return ` (its ${this.sideOf(socket, plan)})`;
  }

  protected override describeOptions(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [socket, plan] of this.sockets()) out[this.sideOf(socket, plan)] = effectiveOptions(socket, plan);
    return out;
  }

  /** The sockets are bound and connected: the proxy starts now, before the start barrier. */
  protected override afterConnect(): void {
    const proxy = this.host.engine.runProxy({ frontend: this.main, backend: this.forwardSocket!, capture: this.captureSocket });
    this.running = proxy;
    this.current = NO_TRAFFIC;
    this.spawn('proxy', () => proxy.done);
  }

  protected override start(): void {}

  override begin(): void {
    super.begin();
    if (!this.host.warmup) this.measureStart = this.snapshot();
  }

  override measure(): void {
    super.measure();
    this.measureStart = this.snapshot();
  }

  override sendersStopping(): void {
    super.sendersStopping();
    this.measureEnd = this.snapshot();
  }

  override refreshCounters(): Promise<void> | null {
    if (this.running === null || this.countable === false) return null;
    return sleepUnless(SAMPLE_WAIT_MS, this.read()).then(() => undefined);
  }

  /** Frames in and out over both sides, for the time series (zeros where the engine cannot count). */
  override counters(): RoleCounters {
    const t = add(this.carried, this.current);
    const sent = t.frontend.framesSent + t.backend.framesSent;
    const received = t.frontend.framesReceived + t.backend.framesReceived;
    return { sent, received, lostKnown: 0, notSent: 0, blockedMs: 0 };
  }

  override async crash(): Promise<void> {
    await this.stopProxy();
    this.carried = add(this.carried, this.current);
    this.current = NO_TRAFFIC;
    await super.crash();
  }

  override async revive(bind: Record<string, string>, connect: Record<string, string[]>): Promise<void> {
    this.captureSocket = this.plan.capture ? this.openSocket(this.plan.capture) : null;
    await super.revive(bind, connect);
  }

  override async finish(): Promise<RoleReport> {
    const [start, end] = await Promise.all([this.measureStart, this.measureEnd]);
    await this.stopProxy();
    const report = await super.finish();
    const total = add(this.carried, this.current);
    const counted = this.countable === true;
    return {
      ...report,
      proxy: { counted, total: counted ? total : null, measured: counted && start && end ? subtract(end, start) : null },
    };
  }

  /** Reads the counters one last time, then terminates the proxy and waits until its thread lets go. */
  private async stopProxy(): Promise<void> {
    const proxy = this.running;
    if (proxy === null) return;
    await this.read();
    this.running = null;
    this.closing = true;
    proxy.terminate();
    await proxy.done.catch(() => undefined); // a failure is the 'proxy' loop's to report
  }

  /** Every proxy's counters so far; null where the engine cannot read them. */
  private async snapshot(): Promise<ProxyTraffic | null> {
    await this.read();
    return this.countable === true ? add(this.carried, this.current) : null;
  }

  /** Asks libzmq for the running proxy's counters; keeps the last ones read if it cannot answer. */
  private async read(): Promise<void> {
    const asked = this.running?.counters();
    if (asked === undefined) return;
    this.countable = asked !== null;
    if (asked === null) return;
    try {
      this.current = await asked;
    } catch {
      // stopped meanwhile, or too slow: the last counters read stand
    }
  }
}

function addSide(a: ProxySideTraffic, b: ProxySideTraffic, sign = 1): ProxySideTraffic {
  return {
    framesReceived: a.framesReceived + sign * b.framesReceived,
    bytesReceived: a.bytesReceived + sign * b.bytesReceived,
    framesSent: a.framesSent + sign * b.framesSent,
    bytesSent: a.bytesSent + sign * b.bytesSent,
  };
}

function add(a: ProxyTraffic, b: ProxyTraffic): ProxyTraffic {
  return { frontend: addSide(a.frontend, b.frontend), backend: addSide(a.backend, b.backend) };
}

function subtract(a: ProxyTraffic, b: ProxyTraffic): ProxyTraffic {
  return { frontend: addSide(a.frontend, b.frontend, -1), backend: addSide(a.backend, b.backend, -1) };
}
