import { Piscina } from 'piscina';
import { aggregate } from '../collect/aggregate.js';
import { monotonicClock, sleep, sleepUnless } from '../core/clock.js';
import { messageOf } from '../core/errors.js';
import { INTERRUPTED_PROBLEM, RESULT_SCHEMA_VERSION, type GroupResult, type RunResult } from '../core/types.js';
import { formatDurationMs } from '../core/units.js';
import { PROTOCOL_VERSION, type LastSeq, type Notice, type Reply, type RoleReport, type RoleStatus } from '../protocol/control.js';
import { scenarioAsRun } from '../scenario/as-run.js';
import { addIncarnation, expectedPerGroup, planTopology, type TopologyPlan } from '../scenario/plan.js';
import { isSender, type Scenario } from '../scenario/schema.js';
import { readWireBytes } from './wire-bytes.js';
import { EndpointAllocator } from '../transport/endpoints.js';
import { curveKeyPair } from '../engine/current.js';
import { describeEnvironment } from './environment.js';
import { ThreadWorkerHandle, WorkerEnded, callWithin, type CommandBody, type WorkerHandle } from './worker-handle.js';
import { ProcessWorkerHandle } from './process-worker-handle.js';
import { TOOL_VERSION } from '../core/tool-version.js';
import { FaultScheduler, type FaultActions } from './faults.js';
import { RunSampler, type Progress } from './sampler.js';
import { settleLossSeries } from '../collect/loss-series.js';
import { KernelQueueSampler } from '../transport/kernel-queues.js';
import { formatLatencyUs } from '../report/format.js';
import type { TimelineEntry, TimeSeries, WireBytes } from '../core/types.js';
import type { LiveFigures } from '../collect/live-figures.js';

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
}

const CONTROL_TIMEOUT_MS = 15_000;
const DRAIN_POLL_MS = 50;
const DRAIN_IDLE_MS = 500;
const INTERRUPTED_GRACE_MS = 300;
/** a 1-hour run at 100 ms is 36,000 intervals: merged pairwise down to at most this many points */
const MAX_TIMESERIES_POINTS = 2000;
const PLAN_MARGIN_MS = 10_000;
/** source ids of a restarted process's senders: roleId + incarnation × this (source ids are u32) */
const INCARNATION_STRIDE = 1_000_000;
/**
 * A CURVE server's handshake error: how long to wait for the client's own before failing with
 * the server's (both come within milliseconds of each other; the client holds the key at fault).
 */
const CLIENT_SIDE_WAIT_MS = 300;
/**
 * start: connect-first: how long the connecting sockets' connections stay pending before the
 * binders bind. libzmq retries a refused connect every 100 ms (reconnect_ivl), so by then each
 * has failed at least once and waits for its retry: the connects are really ahead of the binds.
 */
export const CONNECT_FIRST_SETTLE_MS = 100;

/**
 * Runs one scenario: plan → spawn workers → bind → connect → barrier → warm-up → measure →
 * stop senders → tell receivers the last sequence numbers → drain → finish → aggregate.
 * With `start: connect-first` the connecting sockets connect first, to addresses fixed up
 * front, and the binders bind a moment later (B2); the barrier and the rest are the same.
 * A failing role, a timed-out phase or an abort ends the run early with `complete: false`
 * and the reason in `problems`; it never throws for those.
 */
export async function runScenario(scenario: Scenario, options: RunOptions = {}): Promise<RunResult> {
  const log = options.log ?? (() => {});
  // CURVE: new key pairs for every run, in the roles' plans only (never in the result)
  const plan = planTopology(scenario, scenario.curve.enabled ? { server: curveKeyPair(), client: curveKeyPair() } : null);
  const allocator = new EndpointAllocator(scenario.transport);
  const startedAt = new Date();
  const t0 = performance.now();
  const since = () => performance.now() - t0;
  const problems: string[] = [];
  const early = earlyStop(options.signal);
  let abortedBy: string | undefined;

  // Process placements run in child processes with pools of their own: no pool when no slot is a thread.
  const threadSlots = plan.slots.filter((s) => s.placement === 'thread').length;
  const pool =
    threadSlots > 0
      ? new Piscina({
          filename: new URL('./worker.js', import.meta.url).href,
          minThreads: threadSlots,
          maxThreads: threadSlots,
          idleTimeout: Number.MAX_SAFE_INTEGER,
        })
      : null;
  // Without a listener, a worker that fails at start-up crashes the whole process.
  pool?.on('error', (e: unknown) => early.fail(`worker thread failed: ${messageOf(e)}`));

  // A wrong CURVE key makes libzmq retry for ever: a failed handshake from connect to the end
  // of the start barrier fails the run at once, in the client's words when they come (it holds
  // the server key). Handshakes fail within milliseconds of connect, before the barrier begins.
  let watchingHandshakes = false;
  let serverSideFailure: NodeJS.Timeout | undefined;
  const handshakeFailed = (n: Extract<Notice, { kind: 'handshake-failed' }>) => {
    if (!watchingHandshakes || early.stopped) return;
    const role = plan.roles[n.roleId];
    const problem = `CURVE handshake failed: ${role ? `${role.group}[${role.instance}]` : `role ${n.roleId}`} ${n.event} on ${n.address} (is the server key right?)`;
    if (n.side === 'client') return early.fail(problem);
    serverSideFailure ??= setTimeout(() => {
      if (watchingHandshakes && !early.stopped) early.fail(problem);
    }, CLIENT_SIDE_WAIT_MS);
  };

  const pendingSenders = new Set(plan.roles.filter((r) => isSender(r.socket.type) && r.messages !== null).map((r) => r.roleId));
  const everySenderBounded = plan.roles.filter((r) => isSender(r.socket.type)).every((r) => r.messages !== null);
  const watch = (h: WorkerHandle): WorkerHandle => {
    h.onNotice((n) => {
      if (n.kind === 'role-error') early.fail(n.message);
      if (n.kind === 'handshake-failed') handshakeFailed(n);
      if (n.kind === 'senders-done') {
        for (const id of n.roleIds) pendingSenders.delete(id);
        if (everySenderBounded && pendingSenders.size === 0) early.finishSending();
      }
    });
    // A process killed by a fault event ends on purpose; any other end is a failure.
    h.done.catch((e: unknown) => {
      if (!h.killed) early.fail(problemOf(e, `worker ${h.slot} ended: `));
    });
    return h;
  };
  const initOf = (slot: number, warmup: boolean) => ({
    protocolVersion: PROTOCOL_VERSION,
    slot,
    roles: plan.roles.filter((r) => r.slot === slot),
    warmup,
  });
  // Indexed by slot; a restarted process replaces its slot's handle.
  const handles: WorkerHandle[] = plan.slots.map((s) => {
    const init = initOf(s.slot, scenario.warmupMs > 0);
    return watch(s.placement === 'process' || !pool ? new ProcessWorkerHandle(s.slot, init) : new ThreadWorkerHandle(pool, s.slot, init));
  });
  const live = () => handles.filter((h) => !h.killed);
  const callAll = (command: CommandBody, timeoutMs = CONTROL_TIMEOUT_MS) => Promise.all(live().map((h) => callWithin(h, command, timeoutMs)));

  let endpoints: Record<string, string[]> = {};
  let lastSeqs: LastSeq[] = [];
  let reports: RoleReport[] = [];
  let measureStartMs = 0;
  /** when the senders were told to start, on the clock the roles stamp arrivals with (first-message times) */
  let startNs: bigint | undefined;
  let measureEndMs = 0;
  let wire: Record<string, WireBytes> = {};
  let drainedMs = 0;
  let sendersStarted = false;
  let sampler: RunSampler | undefined;
  let timeseries: TimeSeries | undefined;
  let faults: FaultScheduler | undefined;
  let faultEntries: TimelineEntry[] = [];
  const boundAt = new Map<string, string>();
  const bindOf = (roleId: number) =>
    Object.fromEntries([...boundAt].filter(([k]) => k.startsWith(`${roleId}:`)).map(([k, a]) => [k.slice(k.indexOf(':') + 1), a]));
  const incarnations = new Map<number, number>();
  const faultActions: FaultActions = {
    now: () => sampler?.sinceMeasureStart() ?? 0,
    killProcess: (slot) => handles[slot.slot]!.kill?.(),
    restartProcess: async (slot, roles) => {
      // A new process knows nothing of the old one: its senders are new sources.
      for (const role of roles) {
        const n = (incarnations.get(role.roleId) ?? 0) + 1;
        incarnations.set(role.roleId, n);
        if (isSender(role.socket.type)) addIncarnation(plan, role, role.roleId + n * INCARNATION_STRIDE);
      }
      const h = watch(new ProcessWorkerHandle(slot.slot, initOf(slot.slot, false)));
      handles[slot.slot] = h;
      sampler?.restarted(slot.slot);
      await callWithin(h, { kind: 'bind', addresses: Object.fromEntries(roles.map((r) => [r.roleId, bindOf(r.roleId)])) }, CONTROL_TIMEOUT_MS);
      await callWithin(h, { kind: 'connect', addresses: endpoints }, CONTROL_TIMEOUT_MS);
      await callWithin(h, { kind: 'start' }, CONTROL_TIMEOUT_MS);
    },
    command: async (slot, role, event) => {
      const h = handles[slot.slot]!;
      const body: CommandBody =
        event.action === 'restart'
          ? { kind: 'restart', roleId: role.roleId, bind: bindOf(role.roleId), connect: endpoints }
          : { kind: 'fault', roleId: role.roleId, action: event.action, what: event.what };
      await callWithin(h, body, CONTROL_TIMEOUT_MS);
    },
  };
  const startSending = async () => {
    const judgeLive = (figures: LiveFigures) => {
      if (abortedBy !== undefined || early.stopped || figures.measuredMs > scenario.durationMs) return;
      const why = options.judgeLive?.(figures) ?? null;
      if (why === null) return;
      abortedBy = why;
      log(`stopping early: ${why}`);
      early.finishSending();
    };
    sampler = new RunSampler({
      plan,
      intervalMs: scenario.sampleIntervalMs,
      maxPoints: MAX_TIMESERIES_POINTS,
      // The stop and the last samples take a little longer than the drain: a margin, so that a
      // run that keeps to its plan never merges points (their percentiles would become bounds).
      plannedMs: scenario.warmupMs + scenario.durationMs + scenario.drainMs + PLAN_MARGIN_MS,
      sampleAll: () => callAll({ kind: 'sample' }),
      kernel: scenario.transport === 'tcp' ? new KernelQueueSampler(endpoints) : null,
      onProgress: options.onProgress,
      ...(options.judgeLive ? { live: { groups: scenario.groups, onSample: judgeLive } } : {}),
    });
    startNs = monotonicClock.nowNs();
    await callAll({ kind: 'start' });
    sampler.start(scenario.warmupMs);
    sendersStarted = true;
  };
  try {
    const connectFirst = scenario.startOrder === 'connect-first';
    const bindPlan = await bindAddresses(plan, scenario, allocator, connectFirst);
    let dialled: Record<string, string[]> = {};
    if (connectFirst) {
      // Nothing is bound yet: every connect is refused (tcp) or finds no file (ipc) and retries.
      watchingHandshakes = scenario.barrier;
      dialled = plannedEndpoints(plan, bindPlan, scenario.external);
      await callAll({ kind: 'dial', addresses: dialled });
      log(`connected before any bind; binding in ${formatDurationMs(CONNECT_FIRST_SETTLE_MS)}`);
      await sleepUnless(CONNECT_FIRST_SETTLE_MS, early.promise);
    }
    const bound = await callAll({ kind: 'bind', addresses: bindPlan });
    const boundAtMs = since();
    endpoints = collectEndpoints(plan, bound, scenario.external);
    if (connectFirst) {
      const moved = Object.entries(dialled).filter(([e, a]) => scenario.external[e] === undefined && a.join(' ') !== (endpoints[e] ?? []).join(' '));
      for (const [e, a] of moved) early.fail(`connect-first: ${e} was dialled at ${a.join(', ')} but bound at ${(endpoints[e] ?? []).join(', ')}`);
    }
    for (const r of bound) if (r.kind === 'bound') for (const a of r.addresses) boundAt.set(`${a.roleId}:${a.endpoint}`, a.address);
    // a socket that could not bind has failed the run with its own line
    if (!early.stopped) log(`bound ${Object.entries(endpoints).map(([e, a]) => `${e}=${a.join(',')}`).join(' ')}`);
    // Without the barrier, senders start while the others are still connecting: the slow
    // joiner (B7) and a pub with nobody yet to send to (B6) show as head loss.
    if (!scenario.barrier) await startSending();
    watchingHandshakes = scenario.barrier;
    await callAll({ kind: 'connect', addresses: endpoints });

    if (scenario.barrier && !early.stopped) {
      const timeoutMs = options.barrierTimeoutMs ?? 10_000;
      const barrier = callAll({ kind: 'await-barrier' }, timeoutMs + CONTROL_TIMEOUT_MS).then(() => true);
      const settled = barrier.then(
        () => undefined,
        () => undefined,
      );
      // The timeout's timer must end with the barrier too, or it keeps the process alive.
      const reached = await Promise.race([barrier, sleepUnless(timeoutMs, Promise.race([early.promise, settled])).then(() => false), early.promise.then(() => false)]);
      watchingHandshakes = false;
      clearTimeout(serverSideFailure);
      if (!reached && !early.stopped) early.fail(await barrierProblem(callAll, timeoutMs, scenario));
      else if (reached) log(`start barrier reached ${formatDurationMs(Math.round(since() - boundAtMs))} after the binds`);
    }

    if (!early.stopped) {
      if (!sendersStarted) await startSending();
      if (scenario.warmupMs > 0) {
        log(`warm-up ${formatDurationMs(scenario.warmupMs)}`);
        await sleepUnless(scenario.warmupMs, early.promise);
        await callAll({ kind: 'measure' });
      }
      sampler?.measuringFrom();
      measureStartMs = since();
      if (scenario.events.length > 0) {
        faults = new FaultScheduler(scenario.events, plan, faultActions);
        faults.start();
      }
      log(`measuring for ${formatDurationMs(scenario.durationMs)}`);
      await sleepUnless(scenario.durationMs, early.promise);
      measureEndMs = since();
      // while every connection is still up: what crossed the wire (B8)
      if (scenario.transport === 'tcp') wire = await readWireBytes(endpoints);
    }
  } catch (e) {
    early.fail(messageOf(e));
  } finally {
    watchingHandshakes = false;
    clearTimeout(serverSideFailure);
  }

  try {
    if (sendersStarted) {
      // Interrupted: a sender blocked in send is given up quickly instead of after the drain time.
      const graceMs = options.signal?.aborted ? Math.min(scenario.drainMs, INTERRUPTED_GRACE_MS) : scenario.drainMs;
      faultEntries = (await faults?.stop()) ?? [];
      const stopped = await callAll({ kind: 'stop-senders', graceMs }, graceMs + CONTROL_TIMEOUT_MS);
      lastSeqs = stopped.flatMap((r) => (r.kind === 'senders-stopped' ? r.lastSeqs : []));
      // A killed process cannot answer: what it had sent by its last sample is all that is known.
      const known = new Set(lastSeqs.map((l) => `${l.sourceId}:${l.stream}`));
      for (const [slot, sent] of sampler?.latestStreamsSent ?? []) {
        if (handles[slot]?.killed || plan.slots[slot]?.placement === 'process') {
          lastSeqs.push(...sent.filter((l) => !known.has(`${l.sourceId}:${l.stream}`)));
        }
      }
      await callAll({ kind: 'streams-ended', lastSeqs });
      const drainStart = since();
      await drain(plan, lastSeqs, callAll, scenario.drainMs, options.signal);
      drainedMs = since() - drainStart;
    }
  } catch (e) {
    early.fail(messageOf(e));
  }
  try {
    timeseries = await sampler?.stop();
  } catch (e) {
    early.fail(problemOf(e, 'time series: '));
  }

  try {
    // Each worker on its own: one that does not answer must not cost the others' reports.
    const finishing = live();
    const finished = await Promise.allSettled(finishing.map((h) => callWithin(h, { kind: 'finish' }, CONTROL_TIMEOUT_MS)));
    let threadsFinished = true;
    finished.forEach((f, i) => {
      const h = finishing[i]!;
      if (f.status === 'fulfilled') {
        if (f.value.kind === 'results') reports.push(...f.value.reports);
        return;
      }
      early.fail(problemOf(f.reason, `worker ${h.slot} did not finish: `));
      // A process can be ended safely; a thread with live sockets cannot (trap 7).
      if (h.kill) h.kill();
      else threadsFinished = false;
    });
    await sleepUnless(CONTROL_TIMEOUT_MS, Promise.allSettled(handles.map((h) => h.done)).then(() => undefined));
    // Every socket is closed now, so the threads can go (trap 7).
    if (threadsFinished) await pool?.destroy();
    else early.fail('a worker thread could not be stopped cleanly; its sockets are still open');
  } catch (e) {
    early.fail(problemOf(e, 'workers did not finish: '));
  } finally {
    allocator.dispose();
    early.dispose();
  }

  const timeline = [...faultEntries, ...(sampler?.timeline() ?? [])].sort((a, b) => a.tMs - b.tMs);
  problems.push(...early.problems);
  if (options.signal?.aborted) problems.unshift(INTERRUPTED_PROBLEM);
  const measuredMs = Math.max(0, measureEndMs - measureStartMs);
  const { groups, totals } = aggregate({ groups: scenario.groups, plan, reports, lastSeqs, measuredMs, startNs });
  const receivesAnything = Object.values(plan.terminal).some(Boolean);
  if (problems.length === 0 && receivesAnything && totals.received === 0) problems.push('no samples: no message reached a receiver');
  problems.push(...sendLagProblems(groups, scenario.maxSendLagMs));
  return {
    schemaVersion: RESULT_SCHEMA_VERSION,
    tool: { name: 'zmq-bench', version: TOOL_VERSION },
    complete: !options.signal?.aborted && early.problems.length === 0 && reports.length === plan.roles.length,
    problems,
    scenario: scenarioAsRun(scenario),
    endpoints,
    environment: describeEnvironment(),
    timing: {
      startedAt: startedAt.toISOString(),
      measureStartMs,
      measureEndMs,
      measuredMs,
      warmupMs: scenario.warmupMs,
      drainedMs,
      totalMs: since(),
    },
    totals,
    groups,
    // The loss column holds the change of open gaps until the run's loss is known.
    ...(timeseries ? { timeseries: settleLossSeries(timeseries, groups) } : {}),
    ...(timeline.length > 0 ? { timeline } : {}),
    ...(abortedBy !== undefined ? { abortedBy } : {}),
    ...(Object.keys(wire).length > 0 ? { wire } : {}),
  };
}

/**
 * The generator must keep up: one problem (so the run is not valid) per sender group whose
 * send lag p99 is above `maxSendLagMs`; none when there is no bound. Pure.
 */
export function sendLagProblems(groups: readonly GroupResult[], maxSendLagMs: number | null): string[] {
  if (maxSendLagMs === null) return [];
  const problems: string[] = [];
  for (const g of groups) {
    if (g.sendLag && g.sendLag.summary.count > 0 && g.sendLag.summary.p99 / 1000 > maxSendLagMs) {
      problems.push(sendLagProblem(g.name, g.sendLag.summary.p99, maxSendLagMs));
    }
  }
  return problems;
}

/** The problem line of a sender group that fell behind: its send lag p99 in µs, the bound in ms. */
export function sendLagProblem(group: string, p99Us: number, maxSendLagMs: number): string {
  return `generator fell behind: send lag p99 of ${group} was ${formatLatencyUs(p99Us)}, more than maxSendLag ${formatLatencyUs(maxSendLagMs * 1000)}`;
}


/**
 * Each binding role gets its own address per endpoint it binds; an external endpoint keeps
 * its given address. `upFront` (connect-first): every address is known before the bind (tcp
 * gets a reserved port instead of `*`).
 */
async function bindAddresses(plan: TopologyPlan, scenario: Scenario, allocator: EndpointAllocator, upFront: boolean): Promise<Record<number, Record<string, string>>> {
  const out: Record<number, Record<string, string>> = {};
  const allocated: Array<{ roleId: number; endpoint: string; index: number; instance: number }> = [];
  for (const [endpoint, roleIds] of Object.entries(plan.binders)) {
    const index = scenario.endpoints.indexOf(endpoint);
    const external = scenario.external[endpoint];
    roleIds.forEach((roleId, instance) => {
      if (external !== undefined) (out[roleId] ??= {})[endpoint] = external;
      else allocated.push({ roleId, endpoint, index, instance });
    });
  }
  const addresses = upFront
    ? await allocator.bindAddressesUpFront(allocated.map((a) => [a.index, a.instance] as const))
    : allocated.map((a) => allocator.bindAddress(a.index, a.instance));
  allocated.forEach((a, i) => ((out[a.roleId] ??= {})[a.endpoint] = addresses[i]!));
  return out;
}

/** Every endpoint's addresses before anything binds (connect-first): the planned bind addresses, and each external one's. */
function plannedEndpoints(plan: TopologyPlan, bindPlan: Record<number, Record<string, string>>, external: Record<string, string>): Record<string, string[]> {
  return {
    ...Object.fromEntries(Object.entries(external).map(([e, address]) => [e, [address]])),
    ...Object.fromEntries(Object.entries(plan.binders).map(([e, ids]) => [e, ids.map((id) => bindPlan[id]?.[e] ?? '')])),
  };
}

/**
 * Every endpoint's addresses: those our binders reported, and the given address of each
 * external one. A binder that could not bind reported none (and failed the run): no empty address.
 */
function collectEndpoints(plan: TopologyPlan, replies: Reply[], external: Record<string, string>): Record<string, string[]> {
  const byRole = new Map<string, string>();
  for (const r of replies) if (r.kind === 'bound') for (const a of r.addresses) byRole.set(`${a.roleId}:${a.endpoint}`, a.address);
  const bound = Object.entries(plan.binders).map(([e, ids]) => [e, ids.flatMap((id) => byRole.get(`${id}:${e}`) ?? [])] as const);
  return {
    ...Object.fromEntries(Object.entries(external).map(([e, address]) => [e, [address]])),
    ...Object.fromEntries(bound.filter(([e, a]) => a.length > 0 || external[e] === undefined)),
  };
}

type CallAll = (command: CommandBody, timeoutMs?: number) => Promise<Reply[]>;

async function statuses(callAll: CallAll): Promise<RoleStatus[]> {
  return (await callAll({ kind: 'status' })).flatMap((r) => (r.kind === 'status' ? r.roles : []));
}

async function barrierProblem(callAll: CallAll, timeoutMs: number, scenario: Scenario): Promise<string> {
  const waiting = (await statuses(callAll)).filter((s) => s.waiting.length > 0);
  const detail = waiting.map((s) => `role ${s.roleId}: ${s.waiting.join('; ')}`).join(' | ');
  // No handshake error was seen (that fails the run at once), yet the handshakes never completed.
  const external = Object.values(scenario.external);
  const why = scenario.curve.enabled
    ? ' (curve is on: the CURVE handshakes never completed; the server key may be wrong)'
    : external.length > 0
      ? ` (is the service running at ${external.join(', ')}?)`
      : '';
  return `start barrier not reached within ${formatDurationMs(timeoutMs)}: ${detail || 'no role reported what it waits for'}${why}`;
}

/**
 * Lets receivers catch up after the senders stopped: until every receiving group has what
 * was sent to it, or nothing arrived for a while (the rest is lost), or `drainMs` passed.
 */
async function drain(plan: TopologyPlan, lastSeqs: LastSeq[], callAll: CallAll, drainMs: number, signal?: AbortSignal): Promise<void> {
  const sentOn = new Map(lastSeqs.map((l) => [`${l.sourceId}:${l.stream}`, l.lastSeq + 1]));
  const expectedByGroup = expectedPerGroup(plan, (k) => sentOn.get(`${k.sourceId}:${k.stream}`) ?? 0);
  const start = performance.now();
  let lastTotal = -1;
  let lastChange = start;
  while (performance.now() - start < drainMs && !signal?.aborted) {
    const status = await statuses(callAll);
    const receivedByGroup = new Map<string, number>();
    let total = 0;
    for (const s of status) {
      const group = plan.roles[s.roleId]!.group;
      total += s.received;
      receivedByGroup.set(group, (receivedByGroup.get(group) ?? 0) + s.received);
    }
    if ([...expectedByGroup].every(([g, n]) => (receivedByGroup.get(g) ?? 0) >= n)) return;
    if (total !== lastTotal) {
      lastTotal = total;
      lastChange = performance.now();
    } else if (performance.now() - lastChange > DRAIN_IDLE_MS) return;
    await sleep(DRAIN_POLL_MS);
  }
}

interface EarlyStop {
  readonly promise: Promise<void>;
  readonly stopped: boolean;
  readonly problems: string[];
  fail(problem: string): void;
  finishSending(): void;
  /** stops listening to the signal: one signal serves every run of a suite */
  dispose(): void;
}

/**
 * A problem line for a failure. A worker that ended says so in its own words (naming its
 * sockets), the same line from every call it left unanswered, which earlyStop keeps once.
 */
function problemOf(e: unknown, context: string): string {
  return e instanceof WorkerEnded ? e.message : `${context}${messageOf(e)}`;
}

/** One place where everything that ends the measurement early meets. */
function earlyStop(signal?: AbortSignal): EarlyStop {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  const state = {
    promise,
    stopped: false,
    problems: [] as string[],
    fail(problem: string) {
      if (!state.problems.includes(problem)) state.problems.push(problem);
      state.stopped = true;
      resolve();
    },
    finishSending() {
      state.stopped = true;
      resolve();
    },
    dispose() {
      signal?.removeEventListener('abort', onAbort);
    },
  };
  const onAbort = () => state.finishSending();
  if (signal?.aborted) state.finishSending();
  signal?.addEventListener('abort', onAbort, { once: true });
  return state;
}
