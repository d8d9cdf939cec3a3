import { invalidInput } from '../core/errors.js';
import {
  LIMITS,
  TRANSPORTS,
  type DelayField,
  type DelayModel,
  type DelaySpec,
  type DelaySpecField,
  type Forward,
  type ForwardSpec,
  type Group,
  type GroupSpec,
  type Scenario,
  type ScenarioFile,
  type TransportName,
} from './schema.js';

/** Command-line settings that replace the scenario's own. */
export interface Overrides {
  transport?: TransportName;
  durationMs?: number;
}

/** A copy of the scenario with the overrides applied; the input is left untouched. */
export function applyOverrides(s: Scenario, o: Overrides): Scenario {
  const problems: string[] = [];
  if (o.transport !== undefined && !TRANSPORTS.includes(o.transport)) {
    problems.push(`transport: must be one of ${TRANSPORTS.map((t) => JSON.stringify(t)).join(', ')}, got ${JSON.stringify(o.transport)}`);
  }
  if (o.durationMs !== undefined && !(Number.isFinite(o.durationMs) && o.durationMs > 0 && o.durationMs <= LIMITS.durationMs)) {
    problems.push(`duration: must be longer than 0s and at most ${durationText(LIMITS.durationMs)}, got ${o.durationMs}ms`);
  }
  if (problems.length > 0) throw invalidInput(problems);
  const copy = structuredClone(s);
  if (o.transport !== undefined) copy.transport = o.transport;
  if (o.durationMs !== undefined) copy.durationMs = o.durationMs;
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

function groupAsRun(g: Group): GroupSpec {
  const sender = g.type === 'pub' || g.type === 'push' || g.type === 'req' || g.type === 'dealer';
  return {
    name: g.name,
    type: g.type,
    count: g.count,
    threads: g.threads,
    ...refs(g.bind, g.connect),
    ...(sender
      ? { size: g.sizeBytes, rate: g.ratePerSec ?? 'max' }
      : { delay: delayAsRun(g.delay), pauses: g.pauses.map((p) => ({ at: durationText(p.atMs), for: durationText(p.forMs) })) }),
    ...(sender && g.messages !== null ? { messages: g.messages } : {}),
    ...(sender ? { whenBlocked: g.giveUpAfterMs === null ? 'wait' : 'give-up' } : {}),
    ...(sender && g.giveUpAfterMs !== null ? { giveUpAfter: durationText(g.giveUpAfterMs) } : {}),
    ...(g.type === 'sub' ? { subscribe: [...g.subscribe] } : {}),
    ...(g.type === 'pub' && g.topics.length > 0 ? { topics: [...g.topics] } : {}),
    ...(g.type === 'dealer' ? { window: g.window } : {}),
    ...(Object.keys(g.options).length > 0 ? { options: { ...g.options } } : {}),
    ...(g.forward ? { forward: forwardAsRun(g.forward) } : {}),
  };
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
    topology: {
      endpoints: [...s.endpoints],
      groups: s.groups.map(groupAsRun),
    },
  };
}
