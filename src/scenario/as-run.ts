import type { Expectation, ExpectFile } from './expect/schema.js';
import type {
  CheckSpec,
  ContentCheck,
  PayloadPart,
  PayloadPartSpec,
  PayloadSpec,
  SequenceLocation,
  SequenceSpec,
} from './external-schema.js';
import { durationText } from './overrides.js';
import {
  isPublisher,
  isSender,
  isSubscriber,
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
  type NetworkFault,
  type ProxyOf,
  type ProxySocketSpec,
  type RateField,
  type RateShape,
  type Scenario,
  type ScenarioFile,
} from './schema.js';
import { searchAsRun } from './search.js';
import type { Threshold } from './thresholds.js';

/**
 * The inverse of validation: a Scenario back in the scenario file format, for result.json.
 * Every field the engine uses is written, defaults included, so that validating the output
 * gives the same Scenario again (test/unit/scenario/scenario-as-run.test.ts checks this for every
 * shipped scenario and for one that has every field).
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
      endpoints: s.endpoints.map(endpointAsRun(s)),
      groups: s.groups.map(groupAsRun),
    },
    ...(s.expect !== null ? { expect: expectAsRun(s.expect) } : {}),
    ...(s.thresholds.length > 0 ? { thresholds: thresholdsAsRun(s.thresholds) } : {}),
    ...(s.search !== null ? { search: searchAsRun(s.search) } : {}),
    // both kinds of fault in one list again, in order of at (a stable sort keeps each kind's own order)
    events: [
      ...s.events.map((e) => [e.atMs, eventAsRun(e)] as const),
      ...s.networkFaults.map((e) => [e.atMs, networkFaultAsRun(e)] as const),
    ]
      .sort((x, y) => x[0] - y[0])
      .map(([, e]) => e),
  };
}

/**
 * An external endpoint with the address it ran against (after --endpoint); one with a transport
 * of its own with it (none after run --transport, which replaced it: the scenario's then holds).
 */
function endpointAsRun(s: Scenario): (name: string) => ScenarioFile['topology']['endpoints'][number] {
  return (name) => {
    const external = s.external[name];
    const transport = s.endpointTransports[name];
    if (external !== undefined) return { name, external };
    return transport === undefined ? name : { name, transport };
  };
}

function networkFaultAsRun(e: NetworkFault): FaultEventSpec {
  return {
    at: durationText(e.atMs),
    [e.action]: [...e.groups],
    ...(e.bandwidthBps !== null ? { bandwidth: `${e.bandwidthBps}bit` } : {}),
    ...(e.forMs !== null ? { for: durationText(e.forMs) } : {}),
  };
}

function refs(bind: string[], connect: string[]): Pick<GroupSpec, 'bind' | 'connect'> {
  return bind.length > 0 ? { bind: [...bind] } : { connect: [...connect] };
}

function forwardAsRun(f: Forward): ForwardSpec {
  // a forward is push or pub (validation said so); a proxy's sockets are written by proxySocketAsRun
  return { ...proxySocketAsRun(f), type: f.type as ForwardSpec['type'] };
}

function proxySocketAsRun(f: Forward): ProxySocketSpec {
  return { type: f.type, ...refs(f.bind, f.connect), ...(Object.keys(f.options).length > 0 ? { options: { ...f.options } } : {}) };
}

/** A proxy as written: its frontend is the group's own endpoints and options, its backend the forward. */
function proxyAsRun(g: Group, proxy: ProxyOf): GroupSpec {
  return {
    name: g.name,
    type: 'proxy',
    count: g.count,
    ...(g.placement === 'process' ? {} : { threads: g.threads }),
    placement: g.placement,
    engine: g.engine,
    frontend: proxySocketAsRun({ type: proxy.frontend, bind: g.bind, connect: g.connect, options: g.options }),
    backend: proxySocketAsRun(g.forward!),
    ...(proxy.capture ? { capture: proxySocketAsRun(proxy.capture) } : {}),
  };
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
      return {
        steps: r.steps.map((st) => ({ rate: st.ratePerSec ?? 'max', ...(st.forMs === null ? {} : { for: durationText(st.forMs) }) })),
      };
  }
}

/**
 * A payload frame as written. A `file` part keeps its path, relative to the scenario file, and
 * not the bytes that were sent: the scenario format has no part for inline bytes (a file may
 * be 16 MiB, which result.json would carry as 21 MiB of base64), and the path is what the
 * validator and the report read. Running the block again needs the file beside it.
 */
function partAsRun(p: PayloadPart): PayloadPartSpec {
  switch (p.kind) {
    case 'string':
      return { string: p.template };
    case 'json':
      return { json: p.template };
    case 'file':
      return { file: p.path };
    case 'random':
      return { random: p.bytes };
  }
}

/** One part alone as itself, several as frames (a one-part `frames` list comes back as one part: the same message). */
function payloadAsRun(parts: PayloadPart[]): PayloadSpec {
  const only = parts[0];
  if (parts.length === 1 && only && !(only.kind === 'file' && only.frame !== undefined)) return partAsRun(only);
  return { frames: parts.map(partAsRun) };
}

function checkAsRun(c: ContentCheck): CheckSpec {
  switch (c.kind) {
    case 'equals':
      return { equals: c.text };
    case 'matches':
      return { matches: c.pattern };
    case 'json':
      return { json: { field: c.field, equals: c.equals } };
  }
}

function sequenceAsRun(s: SequenceLocation): SequenceSpec {
  return s.kind === 'json' ? { json: s.field } : { offset: s.offset, type: s.type };
}

function groupAsRun(g: Group): GroupSpec {
  if (g.proxy !== null) return proxyAsRun(g, g.proxy);
  const sender = isSender(g.type, g.side);
  return {
    name: g.name,
    type: g.type,
    ...(g.side !== null ? { side: g.side } : {}),
    count: g.count,
    // threads and placement: process do not go together (each socket has a process of its own)
    ...(g.placement === 'process' ? {} : { threads: g.threads }),
    placement: g.placement,
    engine: g.engine,
    ...refs(g.bind, g.connect),
    // a payload decides what is sent, and size may not be given with it
    ...(sender && g.payload === null ? { size: g.sizeBytes } : {}),
    ...(sender ? { rate: g.rateShape !== null ? rateShapeAsRun(g.rateShape) : (g.ratePerSec ?? 'max') } : {}),
    ...(sender
      ? {}
      : { delay: delayAsRun(g.delay), pauses: g.pauses.map((p) => ({ at: durationText(p.atMs), for: durationText(p.forMs) })) }),
    ...(sender && g.messages !== null ? { messages: g.messages } : {}),
    ...(sender ? { whenBlocked: g.giveUpAfterMs === null ? 'wait' : 'give-up' } : {}),
    ...(sender && g.giveUpAfterMs !== null ? { giveUpAfter: durationText(g.giveUpAfterMs) } : {}),
    ...(isSubscriber(g.type) ? { subscribe: [...g.subscribe] } : {}),
    ...((isPublisher(g.type) || g.type === 'radio') && g.topics.length > 0 ? { topics: [...g.topics] } : {}),
    ...(g.type === 'dish' ? { join: [...g.join] } : {}),
    ...(g.type === 'dealer' ? { window: g.window } : {}),
    ...(g.retry !== null ? { retry: { timeout: durationText(g.retry.timeoutMs), retries: g.retry.retries } } : {}),
    ...(Object.keys(g.options).length > 0 ? { options: { ...g.options } } : {}),
    ...(g.forward ? { forward: forwardAsRun(g.forward) } : {}),
    ...(g.payload !== null ? { payload: payloadAsRun(g.payload) } : {}),
    ...(g.misuse !== null ? { misuse: g.misuse } : {}),
    ...(g.check !== null ? { check: checkAsRun(g.check) } : {}),
    ...(g.sequence !== null ? { sequence: sequenceAsRun(g.sequence) } : {}),
  };
}

/** One event as the file writes it: `{ at, <action>: target }`, with `what` when it is one direction. */
function eventAsRun(e: FaultEvent): FaultEventSpec {
  const target = e.instance === null ? e.group : `${e.group}[${e.instance}]`;
  return { at: durationText(e.atMs), [e.action]: target, ...(e.what !== 'both' ? { what: e.what } : {}) };
}

function expectAsRun(e: Expectation): ExpectFile {
  return {
    behaviour: e.behaviour,
    claim: e.claim,
    seed: [...e.seeds],
    transports: [...e.transports],
    assertions: e.assertions.map((a) => ({ that: a.that, says: a.says, required: a.required })),
  };
}

/** Thresholds as written, grouped by key again; the short form where there are no options. */
function thresholdsAsRun(list: readonly Threshold[]): NonNullable<ScenarioFile['thresholds']> {
  const out: NonNullable<ScenarioFile['thresholds']> = {};
  for (const t of list) {
    const entry =
      t.abortOnFail || t.delayAbortEvalMs > 0
        ? {
            threshold: t.expression,
            abortOnFail: t.abortOnFail,
            ...(t.delayAbortEvalMs > 0 ? { delayAbortEval: durationText(t.delayAbortEvalMs) } : {}),
          }
        : t.expression;
    (out[t.key] ??= []).push(entry);
  }
  return out;
}
