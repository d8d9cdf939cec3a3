import { invalidInput } from '../core/errors.js';
import type { Threshold } from './thresholds.js';
import {
  isSender,
  LIMITS,
  PLACEMENTS,
  RATE_RANGE_MESSAGE,
  TRANSPORTS,
  type DelayField,
  type DelayModel,
  type DelaySpec,
  type DelaySpecField,
  type FaultEvent,
  type FaultEventSpec,
  type Forward,
  type ForwardSpec,
  type Group,
  type GroupSpec,
  type Placement,
  type RateField,
  type RateShape,
  type Scenario,
  type ScenarioFile,
  type TransportName,
} from './schema.js';

/** Command-line settings that replace the scenario's own. */
export interface Overrides {
  transport?: TransportName;
  durationMs?: number;
  warmupMs?: number;
  /** the constant rate of every sending group, replacing any rate shape; null: as fast as possible (`max`) */
  ratePerSec?: number | null;
  /** the placement of every group (`--placement`) */
  placement?: Placement;
}

/**
 * A copy of the scenario with the overrides applied; the input is left untouched. What the
 * overrides make impossible (inproc across processes or with CURVE, events after the end) is
 * refused here, naming the flag, since validation saw the file only.
 */
export function applyOverrides(s: Scenario, o: Overrides): Scenario {
  const problems: string[] = [];
  if (o.transport !== undefined && !TRANSPORTS.includes(o.transport)) {
    problems.push(`transport: must be one of ${TRANSPORTS.map((t) => JSON.stringify(t)).join(', ')}, got ${JSON.stringify(o.transport)}`);
  }
  // durations keep whole microseconds, as validation leaves them: 0.0000001s is no duration
  if (o.durationMs !== undefined && !(Math.round(o.durationMs * 1000) >= 1 && o.durationMs <= LIMITS.durationMs)) {
    problems.push(`duration: must be from 1us to ${durationText(LIMITS.durationMs)}, got ${o.durationMs}ms`);
  }
  if (o.warmupMs !== undefined && !(Number.isFinite(o.warmupMs) && o.warmupMs >= 0 && o.warmupMs <= LIMITS.durationMs)) {
    problems.push(`warmup: must be from 0s to ${durationText(LIMITS.durationMs)}, got ${o.warmupMs}ms`);
  }
  if (o.ratePerSec !== undefined && o.ratePerSec !== null && !(o.ratePerSec >= LIMITS.minRatePerSecond && o.ratePerSec <= LIMITS.ratePerSecond)) {
    problems.push(`rate: ${RATE_RANGE_MESSAGE}, or "max", got ${o.ratePerSec}`);
  }
  if (o.placement !== undefined && !PLACEMENTS.includes(o.placement)) {
    problems.push(`placement: must be ${PLACEMENTS.map((p) => JSON.stringify(p)).join(' or ')}, got ${JSON.stringify(o.placement)}`);
  }
  if (problems.length > 0) throw invalidInput(problems);
  const copy = structuredClone(s);
  if (o.transport !== undefined) copy.transport = o.transport;
  if (o.durationMs !== undefined) copy.durationMs = Math.round(o.durationMs * 1000) / 1000;
  if (o.warmupMs !== undefined) copy.warmupMs = Math.round(o.warmupMs * 1000) / 1000;
  if (o.ratePerSec !== undefined) {
    for (const g of copy.groups) {
      if (!isSender(g.type)) continue;
      g.ratePerSec = o.ratePerSec;
      g.rateShape = null;
    }
  }
  if (o.placement !== undefined) {
    for (const g of copy.groups) {
      g.placement = o.placement;
      // threads mean nothing in processes; 1, as validation leaves them, keeps the as-run file valid
      if (o.placement === 'process') g.threads = 1;
    }
  }

  const scenario = JSON.stringify(s.name);
  const inProcesses = copy.groups.find((g) => g.placement === 'process');
  if ((o.transport !== undefined || o.placement !== undefined) && copy.transport === 'inproc' && inProcesses) {
    const why = '(inproc does not cross processes)';
    if (o.placement !== undefined && o.transport !== undefined) problems.push(`--placement process cannot be used with --transport inproc ${why}`);
    else if (o.placement !== undefined) problems.push(`--placement process cannot be used with scenario ${scenario}, whose transport is inproc ${why}`);
    else problems.push(`--transport inproc cannot be used with scenario ${scenario}: group ${JSON.stringify(inProcesses.name)} has placement: process ${why}; add --placement thread`);
  }
  if (o.transport === 'inproc' && copy.curve.enabled) {
    problems.push(`--transport inproc cannot be used with scenario ${scenario}, which has curve on (CURVE needs tcp or ipc; inproc has no security handshake)`);
  }
  const last = copy.events.at(-1);
  if (o.durationMs !== undefined && last !== undefined && last.atMs > copy.durationMs) {
    problems.push(
      `--duration ${durationText(copy.durationMs)} is too short for scenario ${scenario}: its events[${copy.events.length - 1}] happens at ${durationText(last.atMs)}, and events must happen within the duration`,
    );
  }
  if (problems.length > 0) throw invalidInput(problems);
  return copy;
}

/**
 * A duration as the scenario format writes it, exact: parsing it back gives the same number
 * (validation keeps microsecond resolution).
 */
export function durationText(ms: number): string {
  if (Number.isInteger(ms)) {
    if (ms !== 0 && ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
    if (ms !== 0 && ms % 60_000 === 0) return `${ms / 60_000}m`;
    if (ms % 1000 === 0) return `${ms / 1000}s`;
    return `${ms}ms`;
  }
  return `${Math.round(ms * 1000)}us`;
}

function refs(bind: string[], connect: string[]): Pick<GroupSpec, 'bind' | 'connect'> {
  return bind.length > 0 ? { bind: [...bind] } : { connect: [...connect] };
}

function forwardAsRun(f: Forward): ForwardSpec {
  return { type: f.type, ...refs(f.bind, f.connect), ...(Object.keys(f.options).length > 0 ? { options: { ...f.options } } : {}) };
}

function delaySpecAsRun(d: DelaySpec): DelaySpecField {
  switch (d.kind) {
    case 'fixed':
      return durationText(d.ms);
    case 'uniform':
      return { uniform: { min: durationText(d.minMs), max: durationText(d.maxMs) } };
    case 'exponential':
      return { exponential: { mean: durationText(d.meanMs) } };
  }
}

/** One phase to the end is written as its delay alone; phases get `for` back from their cumulative ends. */
function delayAsRun(m: DelayModel): DelayField {
  const only = m.phases[0];
  if (m.phases.length === 1 && only && only.untilMs === null) return delaySpecAsRun(only.spec);
  let startUs = 0;
  return m.phases.map((p) => {
    if (p.untilMs === null) return { delay: delaySpecAsRun(p.spec) };
    // in whole microseconds, as validation adds them up, so the ends come back exactly
    const untilUs = Math.round(p.untilMs * 1000);
    const forMs = (untilUs - startUs) / 1000;
    startUs = untilUs;
    return { for: durationText(forMs), delay: delaySpecAsRun(p.spec) };
  });
}

/** A rate shape as the file writes it; a step's `for` only where it had one. */
function rateShapeAsRun(r: RateShape): RateField {
  switch (r.kind) {
    case 'ramp':
      return { ramp: { from: r.fromPerSec, to: r.toPerSec, over: durationText(r.overMs) } };
    case 'bursts':
      return { bursts: { size: r.size, every: durationText(r.everyMs) } };
    case 'steps':
      return { steps: r.steps.map((st) => ({ rate: st.ratePerSec ?? 'max', ...(st.forMs === null ? {} : { for: durationText(st.forMs) }) })) };
  }
}

function groupAsRun(g: Group): GroupSpec {
  const sender = g.type === 'pub' || g.type === 'push' || g.type === 'req' || g.type === 'dealer';
  return {
    name: g.name,
    type: g.type,
    count: g.count,
    // threads and placement: process do not go together (each socket has a process of its own)
    ...(g.placement === 'process' ? {} : { threads: g.threads }),
    placement: g.placement,
    ...refs(g.bind, g.connect),
    ...(sender
      ? { size: g.sizeBytes, rate: g.rateShape !== null ? rateShapeAsRun(g.rateShape) : (g.ratePerSec ?? 'max') }
      : { delay: delayAsRun(g.delay), pauses: g.pauses.map((p) => ({ at: durationText(p.atMs), for: durationText(p.forMs) })) }),
    ...(sender && g.messages !== null ? { messages: g.messages } : {}),
    ...(sender ? { whenBlocked: g.giveUpAfterMs === null ? 'wait' : 'give-up' } : {}),
    ...(sender && g.giveUpAfterMs !== null ? { giveUpAfter: durationText(g.giveUpAfterMs) } : {}),
    ...(g.type === 'sub' ? { subscribe: [...g.subscribe] } : {}),
    ...(g.type === 'pub' && g.topics.length > 0 ? { topics: [...g.topics] } : {}),
    ...(g.type === 'dealer' ? { window: g.window } : {}),
    ...(g.retry !== null ? { retry: { timeout: durationText(g.retry.timeoutMs), retries: g.retry.retries } } : {}),
    ...(Object.keys(g.options).length > 0 ? { options: { ...g.options } } : {}),
    ...(g.forward ? { forward: forwardAsRun(g.forward) } : {}),
  };
}

/** One event as the file writes it: `{ at, <action>: target }`, with `what` when it is one direction. */
function eventAsRun(e: FaultEvent): FaultEventSpec {
  const target = e.instance === null ? e.group : `${e.group}[${e.instance}]`;
  return { at: durationText(e.atMs), [e.action]: target, ...(e.what !== 'both' ? { what: e.what } : {}) };
}

/**
 * The scenario as it ran, for result.json: in the scenario file format with every default
 * written out, so the file can be run again as it is and validates to the same Scenario.
 */
export function scenarioAsRun(s: Scenario): ScenarioFile {
  return {
    name: s.name,
    description: s.description,
    transport: s.transport,
    duration: durationText(s.durationMs),
    warmup: durationText(s.warmupMs),
    drain: durationText(s.drainMs),
    sampleInterval: durationText(s.sampleIntervalMs),
    barrier: s.barrier,
    start: s.startOrder,
    ...(s.maxSendLagMs !== null ? { maxSendLag: durationText(s.maxSendLagMs) } : {}),
    // the server's public key only, when one was given; the run's own keys are never written
    ...(s.curve.enabled ? { curve: s.curve.serverPublicKey === null ? true : { serverPublicKey: s.curve.serverPublicKey } } : {}),
    topology: {
      endpoints: [...s.endpoints],
      groups: s.groups.map(groupAsRun),
    },
    ...(s.thresholds.length > 0 ? { thresholds: thresholdsAsRun(s.thresholds) } : {}),
    events: s.events.map(eventAsRun),
  };
}

/** Thresholds as written, grouped by key again; the short form where there are no options. */
function thresholdsAsRun(list: readonly Threshold[]): NonNullable<ScenarioFile['thresholds']> {
  const out: NonNullable<ScenarioFile['thresholds']> = {};
  for (const t of list) {
    const entry =
      t.abortOnFail || t.delayAbortEvalMs > 0
        ? { threshold: t.expression, abortOnFail: t.abortOnFail, ...(t.delayAbortEvalMs > 0 ? { delayAbortEval: durationText(t.delayAbortEvalMs) } : {}) }
        : t.expression;
    (out[t.key] ??= []).push(entry);
  }
  return out;
}
