import { messageOf } from '../../core/errors.js';
import { monotonicClock } from '../../core/clock.js';
import { formatDurationMs } from '../../core/units.js';
import { engineNamed } from '../../engine/current.js';
import type { SocketEvent } from '../../engine/engine.js';
import {
  AGENT_HEARTBEAT_MS,
  AGENT_LOST_AFTER_MS,
  AGENT_PROTOCOL_VERSION,
  decodeFromAgent,
  encodeAgentMessage,
  type FromAgent,
  type HostFacts,
  type NetFaultAction,
  type ToAgent,
} from '../../protocol/agent.js';
import type { WorkerInit } from '../../protocol/control.js';
import { estimateOffset, type ClockEstimate, type ClockSample } from './clock-offset.js';
import { ControlSocket } from './control-socket.js';
import { RemoteWorkerHandle } from './remote-worker-handle.js';

/** A label of the scenario's hosts, bound to an agent by `run --agents label=tcp://host:port`. */
export interface AgentTarget {
  label: string;
  url: string;
}

/** The coordinator's CURVE keys (zmq-bench keys): its own pair and the agents' public key. */
export interface CoordinatorKeys {
  publicKey: string;
  secretKey: string;
  agentPublicKey: string;
}

/** Clock samples taken before a run: the tightest of them gives the offset (clock-offset.ts). */
const CLOCK_SAMPLES = 16;
const PONG_TIMEOUT_MS = 1_000;

/**
 * The coordinator's connection to one agent: a DEALER (a CURVE client when keys are given)
 * to the agent's ROUTER. It says hello, estimates the agent's clock offset, starts the run's
 * workers there (RemoteWorkerHandle) and relays their messages, and pings every 250 ms: an
 * agent silent for 2 s is lost, and with it every worker it ran (the run stops, exit 97).
 */
export class AgentLink {
  private readonly workers = new Map<number, RemoteWorkerHandle>();
  private lastHeardMs = performance.now();
  private heartbeat: NodeJS.Timeout | undefined;
  private lostReason: string | null = null;
  private readonly lostListeners: Array<(reason: string) => void> = [];
  private answer: ((m: FromAgent) => void) | null = null;
  private readonly netFaults = new Map<number, (error: string | null) => void>();
  private netFaultIds = 0;
  private refusedHandshake: ((event: string) => void) | null = null;
  facts: HostFacts | null = null;
  clock: ClockEstimate | null = null;

  private constructor(
    readonly target: AgentTarget,
    private readonly control: ControlSocket,
  ) {}

  /** Connects, says hello and measures the clock; rejects with one line when the agent cannot be used within `timeoutMs`. */
  static async open(target: AgentTarget, keys: CoordinatorKeys | null, timeoutMs: number, runId: string): Promise<AgentLink> {
    let link: AgentLink | undefined;
    const onEvent = (e: SocketEvent) => {
      if (e.type.startsWith('handshake:error')) link?.refusedHandshake?.(e.type);
    };
    const socket = engineNamed('zeromq.js').open(
      {
        type: 'dealer',
        options: {},
        curve: keys ? { as: 'client', serverKey: keys.agentPublicKey, publicKey: keys.publicKey, secretKey: keys.secretKey } : null,
      },
      onEvent,
    );
    const control = new ControlSocket(socket, (line) => link?.lose(`agent ${target.label} (${target.url}): ${line}`));
    link = new AgentLink(target, control);
    control.receiveEach((frames) => link.dispatch(frames));
    try {
      socket.connect(target.url);
      await link.greet(runId, timeoutMs, keys !== null);
      await link.measureClock();
    } catch (e) {
      await control.close(0);
      throw new Error(`agent ${target.label} (${target.url}): ${messageOf(e)}`);
    }
    link.heartbeat = setInterval(() => link.beat(), AGENT_HEARTBEAT_MS);
    return link;
  }

  get label(): string {
    return this.target.label;
  }

  /** The IP the agent's sockets bind (its --advertise). */
  get address(): string {
    return this.facts?.address ?? '';
  }

  /** Starts a slot's worker on the agent, on the coordinator's timeline. */
  spawn(slot: number, init: WorkerInit): RemoteWorkerHandle {
    const worker = this.workers.size + 1;
    const handle = new RemoteWorkerHandle(worker, slot, this.label, { ...init, clockOffsetNs: this.clock?.offsetNs ?? 0n }, (m) =>
      this.send(m),
    );
    this.workers.set(worker, handle);
    if (this.lostReason !== null) handle.lost(this.lostReason);
    return handle;
  }

  /** A network fault on the agent's host; rejects with the agent's reason, or when the agent is lost. */
  netFault(key: string, action: NetFaultAction, addresses: Array<{ ip: string; port: number }>, bandwidthBps?: number): Promise<void> {
    if (this.lostReason !== null) return Promise.reject(new Error(this.lostReason));
    const id = ++this.netFaultIds;
    return new Promise<void>((resolve, reject) => {
      this.netFaults.set(id, (error) => (error === null ? resolve() : reject(new Error(`on host ${this.label}: ${error}`))));
      this.send({ kind: 'netfault', id, key, action, addresses, ...(bandwidthBps === undefined ? {} : { bandwidthBps }) });
    });
  }

  onLost(listener: (reason: string) => void): void {
    this.lostListeners.push(listener);
  }

  /** The run is over: the agent is told to end what is left of it; the connection closes. */
  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    if (this.lostReason === null) this.send({ kind: 'bye' });
    await this.control.close();
  }

  private send(m: ToAgent): void {
    this.control.send([encodeAgentMessage(m)]);
  }

  private dispatch(frames: Buffer[]): void {
    const m = frames.length === 1 ? decodeFromAgent(frames[0]!) : null;
    if (m === null) return;
    this.lastHeardMs = performance.now();
    if (m.kind === 'netfault-done') {
      this.netFaults.get(m.id)?.(m.error);
      this.netFaults.delete(m.id);
    } else if (m.kind === 'message') this.workers.get(m.worker)?.deliver(m.message);
    else if (m.kind === 'ended') this.workers.get(m.worker)?.ended(m.error);
    else this.answer?.(m);
  }

  private async greet(runId: string, timeoutMs: number, curve: boolean): Promise<void> {
    const reply = await this.nextAnswer(
      timeoutMs,
      () => this.send({ kind: 'hello', protocolVersion: AGENT_PROTOCOL_VERSION, runId }),
      curve,
    );
    if (reply.kind === 'refused') throw new Error(`refused the run: ${reply.reason}`);
    if (reply.kind !== 'welcome') throw new Error(`answered hello with ${reply.kind}`);
    if (reply.protocolVersion !== AGENT_PROTOCOL_VERSION)
      throw new Error(
        `speaks agent protocol ${reply.protocolVersion}, this coordinator ${AGENT_PROTOCOL_VERSION}: use the same zmq-bench version`,
      );
    this.facts = reply.facts;
  }

  private async measureClock(): Promise<void> {
    const samples: ClockSample[] = [];
    for (let i = 0; i < CLOCK_SAMPLES; i++) {
      const t1 = monotonicClock.nowNs();
      const reply = await this.nextAnswer(PONG_TIMEOUT_MS, () => this.send({ kind: 'ping', t1 }), false);
      const t3 = monotonicClock.nowNs();
      if (reply.kind === 'pong' && reply.t1 === t1) samples.push({ t1, t2: reply.t2, t3 });
    }
    this.clock = estimateOffset(samples);
  }

  /** The agent's next answer (welcome, refused, pong) after `ask`; a failed CURVE handshake or the timeout rejects. */
  private nextAnswer(timeoutMs: number, ask: () => void, curve: boolean): Promise<FromAgent> {
    return new Promise<FromAgent>((resolve, reject) => {
      const timer = setTimeout(() => done(new Error(`no answer within ${formatDurationMs(timeoutMs)}`)), timeoutMs);
      const done = (outcome: FromAgent | Error) => {
        clearTimeout(timer);
        this.answer = null;
        this.refusedHandshake = null;
        if (outcome instanceof Error) reject(outcome);
        else resolve(outcome);
      };
      this.answer = (m) => done(m);
      if (curve)
        this.refusedHandshake = (event) =>
          done(new Error(`the CURVE handshake failed (${event}): --keys must hold the keys made with this agent's (zmq-bench keys)`));
      ask();
    });
  }

  private beat(): void {
    if (this.lostReason !== null) return;
    const silentMs = performance.now() - this.lastHeardMs;
    if (silentMs > AGENT_LOST_AFTER_MS) {
      this.lose(`agent ${this.label} (${this.target.url}) was lost: nothing heard from it for ${formatDurationMs(Math.round(silentMs))}`);
      return;
    }
    this.send({ kind: 'ping', t1: monotonicClock.nowNs() });
  }

  private lose(reason: string): void {
    if (this.lostReason !== null) return;
    this.lostReason = reason;
    clearInterval(this.heartbeat);
    for (const w of this.workers.values()) w.lost(reason);
    for (const settle of this.netFaults.values()) settle(reason);
    this.netFaults.clear();
    for (const l of this.lostListeners) l(reason);
  }
}
