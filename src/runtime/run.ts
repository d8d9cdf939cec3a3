import { Piscina } from 'piscina';
import { aggregate } from '../collect/aggregate.js';
import { sleep } from '../core/clock.js';
import { messageOf } from '../core/errors.js';
import { RESULT_SCHEMA_VERSION, type RunResult } from '../core/types.js';
import { formatDurationMs } from '../core/units.js';
import { PROTOCOL_VERSION, type LastSeq, type Reply, type RoleReport, type RoleStatus } from '../protocol/control.js';
import { scenarioAsRun } from '../scenario/overrides.js';
import { planTopology, SENDER_TYPES, type TopologyPlan } from '../scenario/plan.js';
import type { Scenario } from '../scenario/schema.js';
import { EndpointAllocator } from '../transport/endpoints.js';
import { describeEnvironment } from './environment.js';
import { ThreadWorkerHandle, type CommandBody, type WorkerHandle } from './worker-handle.js';
import { TOOL_VERSION } from './tool-version.js';
import { RunSampler, type Progress } from './sampler.js';
import { KernelQueueSampler } from '../transport/kernel-queues.js';
import type { TimeSeries } from '../core/types.js';

export interface RunOptions {
  /** aborting stops the run early; what was measured so far is still returned */
  signal?: AbortSignal;
  log?: (line: string) => void;
  /** longest wait for the start barrier (default 10 s) */
  barrierTimeoutMs?: number;
  /** called once per sampling interval while messages flow (the live progress line) */
  onProgress?: (progress: Progress) => void;
}

const CONTROL_TIMEOUT_MS = 15_000;
const DRAIN_POLL_MS = 50;
const DRAIN_IDLE_MS = 500;
const INTERRUPTED_GRACE_MS = 300;
/** a 1-hour run at 100 ms is 36,000 intervals: merged pairwise down to at most this many points */
const MAX_TIMESERIES_POINTS = 2000;

/**
 * Runs one scenario: plan → spawn workers → bind → connect → barrier → warm-up → measure →
 * stop senders → tell receivers the last sequence numbers → drain → finish → aggregate.
 * A failing role, a timed-out phase or an abort ends the run early with `complete: false`
 * and the reason in `problems`; it never throws for those.
 */
export async function runScenario(scenario: Scenario, options: RunOptions = {}): Promise<RunResult> {
  const log = options.log ?? (() => {});
  const plan = planTopology(scenario);
  const allocator = new EndpointAllocator(scenario.transport);
  const startedAt = new Date();
  const t0 = performance.now();
  const since = () => performance.now() - t0;
  const problems: string[] = [];
  const early = earlyStop(options.signal);

  const pool = new Piscina({
    filename: new URL('./worker.js', import.meta.url).href,
    minThreads: plan.slots.length,
    maxThreads: plan.slots.length,
    idleTimeout: Number.MAX_SAFE_INTEGER,
  });
  // Without a listener, a worker that fails at start-up crashes the whole process.
  pool.on('error', (e: unknown) => early.fail(`worker thread failed: ${messageOf(e)}`));

  const handles: WorkerHandle[] = plan.slots.map(
    (s) =>
      new ThreadWorkerHandle(pool, s.slot, {
        protocolVersion: PROTOCOL_VERSION,
        slot: s.slot,
        roles: plan.roles.filter((r) => r.slot === s.slot),
        warmup: scenario.warmupMs > 0,
      }),
  );
  const pendingSenders = new Set(plan.roles.filter((r) => SENDER_TYPES.has(r.socket.type) && r.messages !== null).map((r) => r.roleId));
  const everySenderBounded = plan.roles.filter((r) => SENDER_TYPES.has(r.socket.type)).every((r) => r.messages !== null);
  for (const h of handles) {
    h.onNotice((n) => {
      if (n.kind === 'role-error') early.fail(n.message);
      if (n.kind === 'senders-done') {
        for (const id of n.roleIds) pendingSenders.delete(id);
        if (everySenderBounded && pendingSenders.size === 0) early.finishSending();
      }
    });
    h.done.catch((e: unknown) => early.fail(`worker ${h.slot} ended: ${messageOf(e)}`));
  }
  const callAll = (command: CommandBody, timeoutMs = CONTROL_TIMEOUT_MS) => Promise.all(handles.map((h) => callWithin(h, command, timeoutMs)));

  let endpoints: Record<string, string[]> = {};
  let lastSeqs: LastSeq[] = [];
  let reports: RoleReport[] = [];
  let measureStartMs = 0;
  let measureEndMs = 0;
  let drainedMs = 0;
  let sendersStarted = false;
  let sampler: RunSampler | undefined;
  let timeseries: TimeSeries | undefined;
  const startSending = async () => {
    sampler = new RunSampler({
      plan,
      intervalMs: scenario.sampleIntervalMs,
      maxPoints: MAX_TIMESERIES_POINTS,
      sampleAll: () => callAll({ kind: 'sample' }),
      kernel: scenario.transport === 'tcp' ? new KernelQueueSampler(endpoints) : null,
      onProgress: options.onProgress,
    });
    await callAll({ kind: 'start' });
    sampler.start(scenario.warmupMs);
    sendersStarted = true;
  };
  try {
    const bound = await callAll({ kind: 'bind', addresses: bindAddresses(plan, scenario, allocator) });
    endpoints = collectEndpoints(plan, bound);
    log(`bound ${Object.entries(endpoints).map(([e, a]) => `${e}=${a.join(',')}`).join(' ')}`);
    // Without the barrier, senders start while the others are still connecting: the slow
    // joiner (B7) and a pub with nobody yet to send to (B6) show as head loss.
    if (!scenario.barrier) await startSending();
    await callAll({ kind: 'connect', addresses: endpoints });

    if (scenario.barrier && !early.stopped) {
      const timeoutMs = options.barrierTimeoutMs ?? 10_000;
      const reached = await Promise.race([
        callAll({ kind: 'await-barrier' }, timeoutMs + CONTROL_TIMEOUT_MS).then(() => true),
        sleepUnless(timeoutMs, early.promise).then(() => false),
        early.promise.then(() => false),
      ]);
      if (!reached && !early.stopped) early.fail(await barrierProblem(callAll, timeoutMs));
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
      log(`measuring for ${formatDurationMs(scenario.durationMs)}`);
      await sleepUnless(scenario.durationMs, early.promise);
      measureEndMs = since();
    }
  } catch (e) {
    early.fail(messageOf(e));
  }

  try {
    if (sendersStarted) {
      // Interrupted: a sender blocked in send is given up quickly instead of after the drain time.
      const graceMs = options.signal?.aborted ? Math.min(scenario.drainMs, INTERRUPTED_GRACE_MS) : scenario.drainMs;
      const stopped = await callAll({ kind: 'stop-senders', graceMs }, graceMs + CONTROL_TIMEOUT_MS);
      lastSeqs = stopped.flatMap((r) => (r.kind === 'senders-stopped' ? r.lastSeqs : []));
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
    early.fail(`time series: ${messageOf(e)}`);
  }

  try {
    const finished = await callAll({ kind: 'finish' });
    reports = finished.flatMap((r) => (r.kind === 'results' ? r.reports : []));
    await Promise.allSettled(handles.map((h) => h.done));
    // Every socket is closed now, so the threads can go (trap 7).
    await pool.destroy();
  } catch (e) {
    early.fail(`workers did not finish: ${messageOf(e)}`);
  } finally {
    allocator.dispose();
  }

  problems.push(...early.problems);
  if (options.signal?.aborted) problems.unshift('interrupted: the run was stopped before it ended');
  const measuredMs = Math.max(0, measureEndMs - measureStartMs);
  const { groups, totals } = aggregate({ groups: scenario.groups, plan, reports, lastSeqs, measuredMs });
  if (problems.length === 0 && totals.received === 0) problems.push('no samples: no message reached a receiver');
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
    ...(timeseries ? { timeseries } : {}),
  };
}

async function callWithin(handle: WorkerHandle, command: CommandBody, timeoutMs: number): Promise<Reply> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`worker ${handle.slot} did not answer "${command.kind}" within ${formatDurationMs(timeoutMs)}`)), timeoutMs);
  });
  // The task's end and its last reply travel on different channels: give the reply a moment.
  const ended = handle.done.then(async () => {
    await sleep(200);
    throw new Error(`worker ${handle.slot} ended before answering "${command.kind}"`);
  });
  try {
    return await Promise.race([handle.call(command), timeout, ended]);
  } finally {
    clearTimeout(timer);
  }
}

/** Each binding role gets its own address per endpoint it binds. */
function bindAddresses(plan: TopologyPlan, scenario: Scenario, allocator: EndpointAllocator): Record<number, Record<string, string>> {
  const out: Record<number, Record<string, string>> = {};
  for (const [endpoint, roleIds] of Object.entries(plan.binders)) {
    const index = scenario.endpoints.indexOf(endpoint);
    roleIds.forEach((roleId, instance) => {
      (out[roleId] ??= {})[endpoint] = allocator.bindAddress(index, instance);
    });
  }
  return out;
}

function collectEndpoints(plan: TopologyPlan, replies: Reply[]): Record<string, string[]> {
  const byRole = new Map<string, string>();
  for (const r of replies) if (r.kind === 'bound') for (const a of r.addresses) byRole.set(`${a.roleId}:${a.endpoint}`, a.address);
  return Object.fromEntries(Object.entries(plan.binders).map(([e, ids]) => [e, ids.map((id) => byRole.get(`${id}:${e}`) ?? '')]));
}

type CallAll = (command: CommandBody, timeoutMs?: number) => Promise<Reply[]>;

async function statuses(callAll: CallAll): Promise<RoleStatus[]> {
  return (await callAll({ kind: 'status' })).flatMap((r) => (r.kind === 'status' ? r.roles : []));
}

async function barrierProblem(callAll: CallAll, timeoutMs: number): Promise<string> {
  const waiting = (await statuses(callAll)).filter((s) => s.waiting.length > 0);
  const detail = waiting.map((s) => `role ${s.roleId}: ${s.waiting.join('; ')}`).join(' | ');
  return `start barrier not reached within ${formatDurationMs(timeoutMs)}: ${detail || 'no role reported what it waits for'}`;
}

/**
 * Lets receivers catch up after the senders stopped: until every receiving group has what
 * was sent to it, or nothing arrived for a while (the rest is lost), or `drainMs` passed.
 */
async function drain(plan: TopologyPlan, lastSeqs: LastSeq[], callAll: CallAll, drainMs: number, signal?: AbortSignal): Promise<void> {
  const sentOn = new Map(lastSeqs.map((l) => [`${l.sourceId}:${l.stream}`, l.lastSeq + 1]));
  const expectedByRole = new Map<number, number>();
  for (const r of plan.roles) {
    if (r.tracking === 'none') continue;
    expectedByRole.set(r.roleId, r.streams.reduce((n, k) => n + (sentOn.get(`${k.sourceId}:${k.stream}`) ?? 0), 0));
  }
  const start = performance.now();
  let lastTotal = -1;
  let lastChange = start;
  while (performance.now() - start < drainMs && !signal?.aborted) {
    const status = await statuses(callAll);
    const receivedByGroup = new Map<string, number>();
    const expectedByGroup = new Map<string, number>();
    let total = 0;
    for (const s of status) {
      const role = plan.roles[s.roleId]!;
      total += s.received;
      if (!expectedByRole.has(s.roleId)) continue;
      receivedByGroup.set(role.group, (receivedByGroup.get(role.group) ?? 0) + s.received);
      // shared receivers split one set of streams: the group expects it once
      const expected = role.tracking === 'shared' && role.instance > 0 ? 0 : expectedByRole.get(s.roleId)!;
      expectedByGroup.set(role.group, (expectedByGroup.get(role.group) ?? 0) + expected);
    }
    if ([...expectedByGroup].every(([g, n]) => (receivedByGroup.get(g) ?? 0) >= n)) return;
    if (total !== lastTotal) {
      lastTotal = total;
      lastChange = performance.now();
    } else if (performance.now() - lastChange > DRAIN_IDLE_MS) return;
    await sleep(DRAIN_POLL_MS);
  }
}

/** Sleeps, but wakes (and clears its timer, so nothing keeps the process alive) when `wake` settles. */
async function sleepUnless(ms: number, wake: Promise<void>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([new Promise<void>((r) => (timer = setTimeout(r, ms))), wake]);
  clearTimeout(timer);
}

interface EarlyStop {
  readonly promise: Promise<void>;
  readonly stopped: boolean;
  readonly problems: string[];
  fail(problem: string): void;
  finishSending(): void;
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
  };
  if (signal?.aborted) state.finishSending();
  signal?.addEventListener('abort', () => state.finishSending(), { once: true });
  return state;
}
