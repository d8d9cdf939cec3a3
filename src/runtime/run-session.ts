import { Piscina } from 'piscina';
import { messageOf } from '../core/errors.js';
import type { TimelineEntry, TimeSeries, WireBytes } from '../core/types.js';
import type { LiveFigures } from '../collect/live-figures.js';
import { PROTOCOL_VERSION, type LastSeq, type Reply, type RoleReport, type RoleStatus, type WorkerInit } from '../protocol/control.js';
import { planTopology, type TopologyPlan } from '../scenario/plan.js';
import { isSender, type Scenario } from '../scenario/schema.js';
import { EndpointAllocator } from '../transport/endpoints.js';
import { curveKeyPair, nativeEngine } from '../engine/current.js';
import { EarlyStop, problemOf } from './early-stop.js';
import type { FaultHost } from './fault-actions.js';
import type { FaultScheduler } from './faults.js';
import type { NetworkFaultScheduler } from './network-faults.js';
import { HandshakeWatch } from './handshake-watch.js';
import { ProcessWorkerHandle } from './process-worker-handle.js';
import type { Progress, RunSampler } from './sampler.js';
import type { AgentLink } from './remote/agent-link.js';
import type { AgentOptions } from './remote/open-agents.js';
import { emitTo, type RunEvent, type RunEventListener, type RunPhase } from './run-events.js';
import { ThreadWorkerHandle, callWithin, type CommandBody, type WorkerHandle } from './worker-handle.js';

export interface RunOptions {
  /** aborting stops the run early; what was measured so far is still returned */
  signal?: AbortSignal;
  log?: (line: string) => void;
  /** longest wait for the start barrier (default 10 s) */
  barrierTimeoutMs?: number;
  /** called once per sampling interval while messages flow (the live progress line) */
  onProgress?: (progress: Progress) => void;
  /**
   * Judges the figures so far after every sample of the measured phase; a non-null answer
   * stops sending there (abortOnFail thresholds) and is kept as the result's `abortedBy`.
   */
  judgeLive?: (figures: LiveFigures) => string | null;
  /** run --agents: the scenario's host labels bound to agents on other hosts */
  agents?: AgentOptions;
  /** phases, samples, live figures and timeline entries as they happen (run-events.ts) */
  onEvent?: RunEventListener;
}

export const CONTROL_TIMEOUT_MS = 15_000;

/** What has happened in a run so far: the phases fill it in, the result is made of it. */
export interface RunRecord {
  /** every endpoint's addresses, once bound */
  endpoints: Record<string, string[]>;
  /** `roleId:endpoint` → the address that role bound (a restart binds it again) */
  boundAt: Map<string, string>;
  /** when the binds were done (ms since the start of the run) */
  boundAtMs: number;
  sendersStarted: boolean;
  /** when the senders were told to start, on the clock the roles stamp arrivals with (first-message times) */
  startNs?: bigint;
  measureStartMs: number;
  measureEndMs: number;
  /** what crossed the wire (tcp), read at the end of measurement */
  wire: Record<string, WireBytes>;
  lastSeqs: LastSeq[];
  drainedMs: number;
  timeseries?: TimeSeries;
  faultEntries: TimelineEntry[];
  reports: RoleReport[];
  /** the live threshold that stopped the run (abortOnFail) */
  abortedBy?: string;
}

/**
 * The state of one run: its plan, its workers (one per slot), its clock, its early stop, and
 * the record of what has happened. Made at the start of the run, which spawns the workers;
 * each phase (phases/) takes it and moves the run on.
 */
export class RunSession implements FaultHost {
  readonly log: (line: string) => void;
  readonly plan: TopologyPlan;
  readonly allocator: EndpointAllocator;
  readonly startedAt: Date;
  private readonly t0: number;
  readonly stop: EarlyStop;
  readonly handshakes: HandshakeWatch;
  readonly controlTimeoutMs = CONTROL_TIMEOUT_MS;
  /** Process placements run in child processes with pools of their own: no pool when no slot is a thread. */
  private readonly pool: Piscina | null;
  /** the native context the threads share (inproc between them), when a native role runs in a thread */
  private readonly nativeContext: SharedArrayBuffer | undefined;
  /** indexed by slot; a restarted process replaces its slot's handle */
  readonly handles: WorkerHandle[];
  /** bounded senders not done yet: when every sender is bounded, the last one done ends the sending */
  private readonly pendingSenders: Set<number>;
  private readonly everySenderBounded: boolean;
  readonly record: RunRecord = {
    endpoints: {},
    boundAt: new Map(),
    boundAtMs: 0,
    sendersStarted: false,
    measureStartMs: 0,
    measureEndMs: 0,
    wire: {},
    lastSeqs: [],
    drainedMs: 0,
    faultEntries: [],
    reports: [],
  };
  sampler: RunSampler | undefined;
  faults: FaultScheduler | undefined;
  networkFaults: NetworkFaultScheduler | undefined;

  constructor(
    readonly scenario: Scenario,
    readonly options: RunOptions,
    /** host label → its agent; labels without one run here */
    readonly agents: ReadonlyMap<string, AgentLink> = new Map(),
  ) {
    this.log = options.log ?? (() => {});
    // CURVE: new key pairs for every run, in the roles' plans only (never in the result)
    this.plan = planTopology(scenario, scenario.curve.enabled ? { server: curveKeyPair(), client: curveKeyPair() } : null);
    this.allocator = new EndpointAllocator();
    this.startedAt = new Date();
    this.t0 = performance.now();
    this.stop = new EarlyStop(options.signal);
    this.pool = this.startPool();
    for (const link of agents.values()) link.onLost((reason) => this.fail(reason));
    const nativeInThread = this.plan.roles.some((r) => r.engine === 'native' && this.isLocalThread(this.plan.slots[r.slot]));
    this.nativeContext = nativeInThread ? nativeEngine().shareContext() : undefined;
    this.handshakes = new HandshakeWatch(this.plan, this.stop);
    const senders = this.plan.roles.filter((r) => isSender(r.socket.type, r.side));
    this.pendingSenders = new Set(senders.filter((r) => r.messages !== null).map((r) => r.roleId));
    this.everySenderBounded = senders.every((r) => r.messages !== null);
    this.handles = this.plan.slots.map((s) => this.watch(this.spawn(s, scenario.warmupMs > 0)));
  }

  /** A slot's worker: on its host's agent, else in a thread of the pool or a child process here. */
  private spawn(s: TopologyPlan['slots'][number], warmup: boolean): WorkerHandle {
    const init = this.initOf(s.slot, warmup);
    const agent = s.host === null ? undefined : this.agents.get(s.host);
    if (agent) return agent.spawn(s.slot, init);
    return this.isLocalThread(s) && this.pool ? new ThreadWorkerHandle(this.pool, s.slot, init) : new ProcessWorkerHandle(s.slot, init);
  }

  /** A slot in a worker thread of this process (not on an agent, not in a process of its own). */
  private isLocalThread(s: TopologyPlan['slots'][number] | undefined): boolean {
    return s !== undefined && s.placement === 'thread' && (s.host === null || !this.agents.has(s.host));
  }

  /** The IP a role's sockets bind in a run with agents (its agent's; this host's toward them); null without agents. */
  bindIpOf(roleId: number): string | null {
    if (this.agents.size === 0) return null;
    const host = this.plan.roles[roleId]?.host;
    const agent = host === null || host === undefined ? undefined : this.agents.get(host);
    return agent ? agent.address : (this.localAddress ?? null);
  }

  /** this host's address toward the agents, for the sockets bound here (set by runScenario) */
  localAddress: string | undefined;

  /** The slot runs on an agent's host. */
  isRemote(slot: number): boolean {
    const host = this.plan.slots[slot]?.host;
    return host !== null && host !== undefined && this.agents.has(host);
  }

  /** aborted when the run is to stop early (EarlyStop) */
  get signal(): AbortSignal {
    return this.stop.signal;
  }

  /** the caller's interrupt (Ctrl-C) came */
  get interrupted(): boolean {
    return this.options.signal?.aborted ?? false;
  }

  /** ms since the start of the run */
  since(): number {
    return performance.now() - this.t0;
  }

  fail(problem: string): void {
    this.stop.fail(problem);
  }

  /** Tells the caller's listener (RunOptions.onEvent), if any. */
  emit(event: RunEvent): void {
    emitTo(this.options.onEvent, event);
  }

  /** A phase begins. */
  enter(phase: RunPhase): void {
    this.emit({ type: 'phase', phase, atMs: Math.round(this.since() * 1000) / 1000 });
  }

  /** the workers not killed by a fault event */
  live(): WorkerHandle[] {
    return this.handles.filter((h) => !h.killed);
  }

  callAll(command: CommandBody, timeoutMs = CONTROL_TIMEOUT_MS): Promise<Reply[]> {
    return Promise.all(this.live().map((h) => callWithin(h, command, timeoutMs)));
  }

  async statuses(): Promise<RoleStatus[]> {
    return (await this.callAll({ kind: 'status' })).flatMap((r) => (r.kind === 'status' ? r.roles : []));
  }

  /** Socket events and fault events, on the measurement's timeline. */
  timeline(): TimelineEntry[] {
    return [...this.record.faultEntries, ...(this.sampler?.timeline() ?? [])].sort((a, b) => a.tMs - b.tMs);
  }

  handle(slot: number): WorkerHandle {
    return this.handles[slot]!;
  }

  respawn(slot: number): WorkerHandle {
    const h = this.watch(this.spawn(this.plan.slots[slot]!, false));
    this.handles[slot] = h;
    this.sampler?.restarted(slot);
    return h;
  }

  endpoints(): Record<string, string[]> {
    return this.record.endpoints;
  }

  bindOf(roleId: number): Record<string, string> {
    return Object.fromEntries(
      [...this.record.boundAt].filter(([k]) => k.startsWith(`${roleId}:`)).map(([k, a]) => [k.slice(k.indexOf(':') + 1), a]),
    );
  }

  sinceMeasureStart(): number {
    return this.sampler?.sinceMeasureStart() ?? 0;
  }

  /** Every socket is closed now, so the threads can go (trap 7). */
  async destroyPool(): Promise<void> {
    await this.pool?.destroy();
  }

  /** The end of the run: its addresses are free again, the interrupt is no longer listened to. */
  dispose(): void {
    this.allocator.dispose();
    this.stop.dispose();
  }

  private startPool(): Piscina | null {
    const threadSlots = this.threadSlots().length;
    if (threadSlots === 0) return null;
    const pool = new Piscina({
      filename: new URL('./worker.js', import.meta.url).href,
      minThreads: threadSlots,
      maxThreads: threadSlots,
      idleTimeout: Number.MAX_SAFE_INTEGER,
    });
    // Without a listener, a worker that fails at start-up crashes the whole process.
    pool.on('error', (e: unknown) => this.fail(`worker thread failed: ${messageOf(e)}`));
    return pool;
  }

  private threadSlots(): TopologyPlan['slots'] {
    return this.plan.slots.filter((s) => this.isLocalThread(s));
  }

  private initOf(slot: number, warmup: boolean): WorkerInit {
    const init: WorkerInit = { protocolVersion: PROTOCOL_VERSION, slot, roles: this.plan.roles.filter((r) => r.slot === slot), warmup };
    // a child process cannot use this process's context: it makes its own
    if (this.nativeContext !== undefined && this.isLocalThread(this.plan.slots[slot])) init.nativeContext = this.nativeContext;
    return init;
  }

  private watch(h: WorkerHandle): WorkerHandle {
    h.onNotice((n) => {
      if (n.kind === 'role-error') this.fail(n.message);
      if (n.kind === 'handshake-failed') this.handshakes.failed(n);
      if (n.kind === 'senders-done') {
        for (const id of n.roleIds) this.pendingSenders.delete(id);
        if (this.everySenderBounded && this.pendingSenders.size === 0) this.stop.finishSending();
      }
    });
    // A process killed by a fault event ends on purpose; any other end is a failure.
    h.done.catch((e: unknown) => {
      if (!h.killed) this.fail(problemOf(e, `worker ${h.slot} ended: `));
    });
    return h;
  }
}
