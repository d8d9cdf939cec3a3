import { parseBitsPerSecond, parseSizeBytes } from '../../core/units.js';
import { EXTERNAL_LIMITS } from '../external-schema.js';
import { normalizeExpect } from '../expect/schema.js';
import {
  FAULT_ACTIONS,
  NETWORK_FAULT_ACTIONS,
  isSender,
  isSubscriber,
  type DelayField,
  type EngineName,
  type DelayModel,
  type DelaySpec,
  type DelaySpecField,
  type FaultEvent,
  type FaultEventSpec,
  type Forward,
  type ForwardSpec,
  type Group,
  type GroupSpec,
  type GroupType,
  type ProxySocketSpec,
  type NetworkFault,
  type Pause,
  type RateField,
  type RateShape,
  type Scenario,
  type ScenarioFile,
  type SocketOptions,
  type TransportName,
} from '../schema.js';
import { normalizeSearch } from '../search.js';
import { OPTION_NAMES } from '../socket-options.js';
import { parseExpression, parseThresholdKey, type Threshold } from '../thresholds.js';
import { normalizeCheck, normalizePayload, normalizeSequence, touchesExternal } from '../validate-external.js';
import { DEFAULTS } from './defaults.js';
import { ms } from './durations.js';
import { parseTarget } from './events.js';
import { directionsOf } from './socket-kinds.js';

/**
 * Normalization: a file that passed every check, as the Scenario the rest of zmq-bench uses,
 * with every default filled in and every duration in ms.
 */

function list(ref: string | string[] | undefined): string[] {
  return ref === undefined ? [] : typeof ref === 'string' ? [ref] : [...ref];
}

function copyOptions(o: SocketOptions | undefined): SocketOptions {
  const out: SocketOptions = {};
  if (!o) return out;
  for (const name of OPTION_NAMES) {
    const v = o[name];
    if (v !== undefined) (out as Record<string, number | boolean | string>)[name] = v;
  }
  return out;
}

function normalizeForward(f: ForwardSpec | ProxySocketSpec): Forward {
  return { type: f.type, bind: list(f.bind), connect: list(f.connect), options: copyOptions(f.options) };
}

function normalizeDelaySpec(d: DelaySpecField): DelaySpec {
  if (typeof d === 'string') return { kind: 'fixed', ms: ms(d) };
  if (d.uniform) return { kind: 'uniform', minMs: ms(d.uniform.min), maxMs: ms(d.uniform.max) };
  // validation leaves exactly one of uniform and exponential
  return { kind: 'exponential', meanMs: ms(d.exponential!.mean) };
}

function normalizeDelay(d: DelayField | undefined): DelayModel {
  if (d === undefined) return { phases: [{ untilMs: null, spec: { kind: 'fixed', ms: DEFAULTS.delayMs } }] };
  if (!Array.isArray(d)) return { phases: [{ untilMs: null, spec: normalizeDelaySpec(d) }] };
  // phase ends add up in whole microseconds, so that they stay exact (and as-run round-trips)
  let untilUs = 0;
  return {
    phases: d.map((p) => {
      if (p.for === undefined) return { untilMs: null, spec: normalizeDelaySpec(p.delay) };
      untilUs += Math.round(ms(p.for) * 1000);
      return { untilMs: untilUs / 1000, spec: normalizeDelaySpec(p.delay) };
    }),
  };
}

/** A constant rate or max in ratePerSec; a shape in rateShape (ratePerSec null). */
function normalizeRate(r: RateField | undefined): Pick<Group, 'ratePerSec' | 'rateShape'> {
  if (r === undefined || r === 'max') return { ratePerSec: null, rateShape: null };
  if (typeof r === 'number') return { ratePerSec: r, rateShape: null };
  let shape: RateShape;
  if (r.ramp) shape = { kind: 'ramp', fromPerSec: r.ramp.from, toPerSec: r.ramp.to, overMs: ms(r.ramp.over) };
  else if (r.bursts) shape = { kind: 'bursts', size: r.bursts.size, everyMs: ms(r.bursts.every) };
  // validation leaves exactly one of ramp, bursts and steps
  else
    shape = {
      kind: 'steps',
      steps: r.steps!.map((st) => ({ ratePerSec: st.rate === 'max' ? null : st.rate, forMs: st.for === undefined ? null : ms(st.for) })),
    };
  return { ratePerSec: null, rateShape: shape };
}

/**
 * A proxy as a stage (normalized.ts `Group`): its frontend's endpoints and options are the
 * group's own, its backend is the forward; validation left both, and a count of 1.
 */
function proxyParts(g: GroupSpec): Pick<Group, 'bind' | 'connect' | 'options' | 'forward' | 'proxy'> {
  const frontend = normalizeForward(g.frontend!);
  return {
    bind: frontend.bind,
    connect: frontend.connect,
    options: frontend.options,
    forward: normalizeForward(g.backend!),
    proxy: { frontend: frontend.type, capture: g.capture ? normalizeForward(g.capture) : null },
  };
}

function normalizeGroup(g: GroupSpec, external: Record<string, string>, engine: EngineName): Group {
  const type = g.type as GroupType;
  const side = type === 'pair' ? (g.side ?? null) : null;
  // A service we did not start gets a modest rate unless the file asks for more (docs/external.md).
  const gentle = g.rate === undefined && isSender(type, side) && touchesExternal(external, [...list(g.bind), ...list(g.connect)]);
  return {
    name: g.name,
    type,
    side,
    count: g.count ?? DEFAULTS.count,
    threads: g.threads ?? DEFAULTS.threads,
    placement: g.placement ?? DEFAULTS.placement,
    engine: g.engine ?? engine,
    hosts: g.host === undefined ? [] : typeof g.host === 'string' ? [g.host] : g.host,
    bind: list(g.bind),
    connect: list(g.connect),
    sizeBytes: g.size === undefined ? DEFAULTS.sizeBytes : parseSizeBytes(g.size)!,
    ...normalizeRate(gentle ? EXTERNAL_LIMITS.defaultRatePerSec : g.rate),
    messages: g.messages ?? null,
    giveUpAfterMs:
      (g.whenBlocked ?? DEFAULTS.whenBlocked) === 'give-up'
        ? g.giveUpAfter === undefined
          ? DEFAULTS.giveUpAfterMs
          : ms(g.giveUpAfter)
        : null,
    delay: normalizeDelay(g.delay),
    pauses: (g.pauses ?? []).map((p): Pause => ({ atMs: ms(p.at), forMs: ms(p.for) })),
    subscribe: isSubscriber(type) ? [...(g.subscribe ?? DEFAULTS.subscribe)] : [],
    topics: [...(g.topics ?? [])],
    join: type === 'dish' ? [...(g.join ?? [])] : [],
    // requests in flight: a dealer's window; a req socket has one by nature; others send no requests
    window: type === 'dealer' ? (g.window ?? DEFAULTS.dealerWindow) : type === 'req' ? 1 : 0,
    retry: g.retry ? { timeoutMs: ms(g.retry.timeout), retries: g.retry.retries } : null,
    options: copyOptions(g.options),
    forward: g.forward ? normalizeForward(g.forward) : null,
    payload: normalizePayload(g.payload),
    check: normalizeCheck(g.check),
    sequence: normalizeSequence(g.sequence),
    misuse: g.misuse ?? null,
    proxy: null,
    ...(type === 'proxy' ? proxyParts(g) : {}),
  };
}

function normalizeEvents(s: ScenarioFile): FaultEvent[] {
  const groups = new Map(s.topology.groups.map((g) => [g.name, g] as const));
  const events = (s.events ?? [])
    .filter((e) => FAULT_ACTIONS.some((a) => e[a] !== undefined))
    .map((e: FaultEventSpec): FaultEvent => {
      // validation leaves exactly one action, naming a group that exists
      const action = FAULT_ACTIONS.find((a) => e[a] !== undefined)!;
      const { group, instance } = parseTarget(e[action]!)!;
      let what: FaultEvent['what'] = 'both';
      if (action === 'pause' || action === 'resume') {
        const g = groups.get(group)!;
        const has = directionsOf(g.type as GroupType, g.forward !== undefined, g.side ?? null);
        what = e.what ?? (has.length === 1 ? has[0]! : 'both');
      }
      return { atMs: ms(e.at), action, group, instance, what };
    });
  // already in order (validation wants it); a stable sort keeps events at the same time as listed
  return events.sort((a, b) => a.atMs - b.atMs);
}

/** The events with partition, cut, slow or heal, in order of at (validation left exactly one action and two groups). */
function normalizeNetworkFaults(s: ScenarioFile): NetworkFault[] {
  return (s.events ?? []).flatMap((e): NetworkFault[] => {
    const action = NETWORK_FAULT_ACTIONS.find((a) => e[a] !== undefined);
    if (action === undefined) return [];
    const [a, b] = e[action]!;
    return [
      {
        atMs: ms(e.at),
        action,
        groups: [a!, b!],
        bandwidthBps: e.bandwidth === undefined ? null : parseBitsPerSecond(e.bandwidth)!,
        forMs: e.for === undefined ? null : ms(e.for),
      },
    ];
  });
}

/** Only called on a valid file: every key and expression reads (thresholds.ts said so). */
function normalizeThresholds(s: ScenarioFile): Threshold[] {
  const types = new Map(s.topology.groups.map((g) => [g.name, { type: g.type as GroupType, side: g.side ?? null }]));
  return Object.entries(s.thresholds ?? {}).flatMap(([key, list]) => {
    const k = parseThresholdKey(key, types);
    if (typeof k === 'string') throw new Error(`threshold ${key}: ${k}`);
    return list.map((entry): Threshold => {
      const expression = typeof entry === 'string' ? entry : entry.threshold;
      const e = parseExpression(expression, k.metric);
      if (typeof e === 'string') throw new Error(`threshold ${key}: ${e}`);
      const options: { abortOnFail?: boolean; delayAbortEval?: string } = typeof entry === 'string' ? {} : entry;
      return {
        key,
        ...k,
        expression,
        ...e,
        abortOnFail: options.abortOnFail ?? false,
        delayAbortEvalMs: options.delayAbortEval === undefined ? 0 : ms(options.delayAbortEval),
      };
    });
  });
}

/** The endpoints that name their own transport (validation refused one beside an external address). */
function endpointTransportsOf(s: ScenarioFile): Record<string, TransportName> {
  const out: Record<string, TransportName> = {};
  for (const e of s.topology.endpoints) if (typeof e !== 'string' && e.transport !== undefined) out[e.name] = e.transport;
  return out;
}

function externalOf(s: ScenarioFile): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of s.topology.endpoints) if (typeof e !== 'string' && e.external !== undefined) out[e.name] = e.external;
  return out;
}

/** The scenario with every default filled in; only called on a file that passed every check. */
export function normalize(s: ScenarioFile): Scenario {
  return {
    name: s.name,
    description: s.description ?? DEFAULTS.description,
    transport: s.transport ?? DEFAULTS.transport,
    durationMs: s.duration === undefined ? DEFAULTS.durationMs : ms(s.duration),
    warmupMs: s.warmup === undefined ? DEFAULTS.warmupMs : ms(s.warmup),
    drainMs: s.drain === undefined ? DEFAULTS.drainMs : ms(s.drain),
    sampleIntervalMs: s.sampleInterval === undefined ? DEFAULTS.sampleIntervalMs : ms(s.sampleInterval),
    barrier: s.barrier ?? DEFAULTS.barrier,
    startOrder: s.start ?? DEFAULTS.startOrder,
    maxSendLagMs: s.maxSendLag === undefined ? null : ms(s.maxSendLag),
    curve:
      s.curve === undefined || s.curve === false
        ? { enabled: false, serverPublicKey: null }
        : { enabled: true, serverPublicKey: s.curve === true ? null : s.curve.serverPublicKey },
    thresholds: normalizeThresholds(s),
    expect: s.expect === undefined ? null : normalizeExpect(s.expect),
    search: s.search === undefined ? null : normalizeSearch(s.search),
    events: normalizeEvents(s),
    networkFaults: normalizeNetworkFaults(s),
    endpoints: s.topology.endpoints.map((e) => (typeof e === 'string' ? e : e.name)),
    external: externalOf(s),
    endpointTransports: endpointTransportsOf(s),
    groups: s.topology.groups.map((g) => normalizeGroup(g, externalOf(s), s.engine ?? DEFAULTS.engine)),
    hosts: (s.hosts ?? []).map((h) => h.label),
  };
}
