import { ValueErrorType } from '@sinclair/typebox/value';
import { isRecord } from '../problem-text.js';
import { PAIR_SIDES, type GroupType, type PairSide, type SocketType, type TransportName } from '../schema.js';
import { addressTransport } from '../transports.js';
import { DEFAULTS } from './defaults.js';
import { readDuration } from './durations.js';
import type { GroupStep, Problem, ScenarioStep } from './problem.js';
import type { StructuralProblem } from './structural.js';

/**
 * What every topic check may know besides the scenario: where the schema already found
 * problems (a check judges only sound places, so that one mistake is reported once), and the
 * facts read from the file that several topics need (the duration, the groups, the endpoints).
 * Built once, before the topics run; pure.
 */

/** What events and thresholds need to know of a group; undefined where the group's own field has a problem. */
export interface GroupInfo {
  type: GroupType | undefined;
  /** a pair's side when sound; null for other types (and for a pair whose side has a problem) */
  side: PairSide | null;
  count: number | undefined;
  hasForward: boolean;
}

/** One entry of topology.groups that is a mapping, with what is sound of it. */
export interface GroupFacts {
  index: number;
  /** /topology/groups/<index> */
  pointer: string;
  fields: Record<string, unknown>;
  /** the name, when it is a sound string (a duplicate too) */
  name: string | undefined;
  type: GroupType | undefined;
  /** a pair's side when sound; null for other types (and for a pair whose side is missing or wrong) */
  side: PairSide | null;
  /** the count (1 when left out), when sound */
  count: number | undefined;
  /** how problems name the group: group "workers", or group "#2" without a name */
  label: string;
  /** the forward of a pull or sub group, when it is a mapping; its type when sound */
  forward: SocketFacts | undefined;
  /** a proxy's frontend, backend and capture socket, each when it is a mapping; undefined for other groups */
  proxy: { frontend?: SocketFacts; backend?: SocketFacts; capture?: SocketFacts } | undefined;
}

/** A socket written inside a group (a forward, a proxy's frontend, backend or capture): its fields, and its type when sound. */
export interface SocketFacts {
  fields: Record<string, unknown>;
  type: SocketType | undefined;
}

/** The sockets a proxy group names, by their field. */
export const PROXY_SOCKETS = ['frontend', 'backend', 'capture'] as const;
export type ProxySocketField = (typeof PROXY_SOCKETS)[number];

export interface EndpointFacts {
  /** topology.endpoints as written, or [] */
  list: readonly unknown[];
  /** every sound name → the index of its first declaration */
  declared: ReadonlyMap<string, number>;
  /** endpoints of services zmq-bench does not start: no group of ours is on their other side */
  external: ReadonlySet<string>;
  /** the sound external addresses, by endpoint name */
  addresses: ReadonlyMap<string, { i: number; address: string }>;
  /** the list is sound: every endpoint a group names must be in it */
  complete: boolean;
  /** by name, the transport of each endpoint whose transport is known (its own, its address's or the scenario's) */
  transports: ReadonlyMap<string, EndpointTransport>;
}

/** An endpoint's transport, and whether the endpoint names it (its own, or its external address's) or inherits the scenario's. */
export interface EndpointTransport {
  transport: TransportName;
  own: boolean;
}

export interface CheckContext {
  /** no structural problem at, inside or above this place */
  sound(pointer: string): boolean;
  /** the schema refused this very place (a list refused as a whole, say) */
  refused(pointer: string): boolean;
  /** the schema found an unknown field right in this mapping (a misspelt field is reported as such) */
  hasUnknownField(objectPointer: string): boolean;
  /** the measured time in ms; undefined when the duration has a problem */
  durationMs: number | undefined;
  /** topology.groups is a list */
  groupsListed: boolean;
  /** topology.groups as written, or [] */
  groupList: readonly unknown[];
  /** the entries of topology.groups that are mappings */
  groups: readonly GroupFacts[];
  /** by name, the first group of that name */
  groupInfo: ReadonlyMap<string, GroupInfo>;
  /** every group's name could be read, so a name not among them is certainly unknown */
  namesComplete: boolean;
  /** every group's type (and forward type) could be read */
  typesComplete: boolean;
  /** every group's count could be read */
  countsComplete: boolean;
  endpoints: EndpointFacts;
}

/** A validation topic: a pure function from the parsed scenario and the context to the problems it finds. */
export type Topic = (raw: Record<string, unknown>, ctx: CheckContext) => Problem[];

export function checkContext(raw: Record<string, unknown>, structural: readonly StructuralProblem[]): CheckContext {
  const bad = structural.map((p) => p.pointer);
  const sound = (pointer: string) =>
    !bad.some((b) => b === pointer || b.startsWith(`${pointer}/`) || pointer.startsWith(`${b}/`) || b === '');
  const hasUnknownField = (objectPointer: string) =>
    structural.some(
      (p) =>
        p.kind === ValueErrorType.ObjectAdditionalProperties &&
        p.pointer.startsWith(`${objectPointer}/`) &&
        !p.pointer.slice(objectPointer.length + 1).includes('/'),
    );
  const topology = isRecord(raw['topology']) ? raw['topology'] : {};
  const groupsListed = Array.isArray(topology['groups']);
  const groupList: readonly unknown[] = Array.isArray(topology['groups']) ? topology['groups'] : [];
  const groups = groupList.flatMap((g, i) => (isRecord(g) ? [groupFacts(g, i, sound)] : []));
  const everyGroupIsMapping = groups.length === groupList.length;
  const duration =
    raw['duration'] === undefined ? { ms: DEFAULTS.durationMs } : sound('/duration') ? readDuration(raw['duration'], true) : undefined;
  return {
    sound,
    refused: (pointer) => bad.includes(pointer),
    hasUnknownField,
    durationMs: duration !== undefined && 'ms' in duration ? duration.ms : undefined,
    groupsListed,
    groupList,
    groups,
    groupInfo: groupInfoOf(groups),
    namesComplete: groupsListed && sound('/topology/groups') && everyGroupIsMapping && groups.every((g) => g.name !== undefined),
    typesComplete:
      groupsListed &&
      everyGroupIsMapping &&
      groups.every(
        (g) =>
          g.type !== undefined &&
          (g.forward === undefined || g.forward.type !== undefined) &&
          Object.values(g.proxy ?? {}).every((p) => p.type !== undefined),
      ),
    countsComplete: groupsListed && everyGroupIsMapping && groups.every((g) => g.count !== undefined),
    endpoints: endpointFacts(topology['endpoints'], raw['transport'], sound),
  };
}

function groupFacts(g: Record<string, unknown>, index: number, sound: (pointer: string) => boolean): GroupFacts {
  const pointer = `/topology/groups/${index}`;
  const name = typeof g['name'] === 'string' && sound(`${pointer}/name`) ? g['name'] : undefined;
  const type = sound(`${pointer}/type`) && typeof g['type'] === 'string' ? (g['type'] as GroupType) : undefined;
  const count = g['count'] === undefined ? DEFAULTS.count : g['count'];
  const side = type === 'pair' && sound(`${pointer}/side`) ? PAIR_SIDES.find((p) => p === g['side']) : undefined;
  const socketFacts = (field: string): SocketFacts | undefined => {
    const fields = g[field];
    if (!isRecord(fields)) return undefined;
    const at = `${pointer}/${field}/type`;
    return { fields, type: sound(at) && typeof fields['type'] === 'string' ? (fields['type'] as SocketType) : undefined };
  };
  // a forward is only one for pull and sub groups, a frontend, backend or capture only a
  // proxy's (the others are told so by the field check)
  const forward = type === 'pull' || type === 'sub' ? socketFacts('forward') : undefined;
  let proxy: GroupFacts['proxy'];
  if (type === 'proxy') {
    proxy = {};
    for (const field of PROXY_SOCKETS) {
      const facts = socketFacts(field);
      if (facts) proxy[field] = facts;
    }
  }
  return {
    index,
    pointer,
    fields: g,
    name,
    type,
    side: side ?? null,
    count: typeof count === 'number' && sound(`${pointer}/count`) ? count : undefined,
    label: `group ${JSON.stringify(name ?? `#${index}`)}`,
    forward,
    proxy,
  };
}

function groupInfoOf(groups: readonly GroupFacts[]): Map<string, GroupInfo> {
  const info = new Map<string, GroupInfo>();
  for (const g of groups) {
    if (g.name !== undefined && !info.has(g.name))
      info.set(g.name, {
        type: g.type,
        side: g.side,
        count: g.count,
        hasForward: g.fields['forward'] !== undefined || g.type === 'proxy',
      });
  }
  return info;
}

/** Where an endpoint's name is: the entry itself, or its `name`. */
export function endpointNamePointer(entry: unknown, i: number): string {
  return typeof entry === 'string' ? `/topology/endpoints/${i}` : `/topology/endpoints/${i}/name`;
}

/** An endpoint's name as written, when it is a string. */
export function endpointName(entry: unknown): string | undefined {
  return typeof entry === 'string' ? entry : isRecord(entry) && typeof entry['name'] === 'string' ? entry['name'] : undefined;
}

function endpointFacts(endpoints: unknown, scenarioTransport: unknown, sound: (pointer: string) => boolean): EndpointFacts {
  const list: readonly unknown[] = Array.isArray(endpoints) ? endpoints : [];
  const declared = new Map<string, number>();
  const external = new Set<string>();
  const addresses = new Map<string, { i: number; address: string }>();
  const transports = new Map<string, EndpointTransport>();
  // the scenario's transport, when it can be read: endpoints that name none of their own use it
  const inherited =
    scenarioTransport === undefined ? DEFAULTS.transport : sound('/transport') ? (scenarioTransport as TransportName) : undefined;
  list.forEach((entry, i) => {
    const name = endpointName(entry);
    if (name === undefined || !sound(endpointNamePointer(entry, i))) return;
    // a duplicate is reported as such; the first declaration says the transport
    if (!declared.has(name)) {
      declared.set(name, i);
      const t = entryTransport(entry, i, inherited, sound);
      if (t !== undefined) transports.set(name, t);
    }
    if (isRecord(entry) && typeof entry['external'] === 'string') {
      external.add(name);
      if (sound(`/topology/endpoints/${i}/external`)) addresses.set(name, { i, address: entry['external'] });
    }
  });
  return { list, declared, external, addresses, complete: Array.isArray(endpoints) && sound('/topology/endpoints'), transports };
}

/** One entry's transport: its external address's, its own, or the scenario's; undefined where one of them has a problem. */
function entryTransport(
  entry: unknown,
  i: number,
  inherited: TransportName | undefined,
  sound: (pointer: string) => boolean,
): EndpointTransport | undefined {
  const at = `/topology/endpoints/${i}`;
  if (isRecord(entry) && entry['external'] !== undefined) {
    const address = entry['external'];
    const t = typeof address === 'string' && sound(`${at}/external`) ? addressTransport(address) : undefined;
    return t === undefined ? undefined : { transport: t, own: true };
  }
  const own = isRecord(entry) ? entry['transport'] : undefined;
  if (own !== undefined) return sound(`${at}/transport`) ? { transport: own as TransportName, own: true } : undefined;
  return inherited === undefined ? undefined : { transport: inherited, own: false };
}

/**
 * How a problem names where an endpoint's transport comes from: "transport inproc" when it is
 * the scenario's, "endpoint "tasks" on inproc" when the endpoint names it.
 */
export function transportPhrase(endpoint: string, t: EndpointTransport): string {
  return t.own ? `endpoint ${JSON.stringify(endpoint)} on ${t.transport}` : `transport ${t.transport}`;
}

/** The endpoints a group's sockets bind and connect to, its forward's included, as written (names that are strings). */
export function endsOf(g: GroupFacts): { bind: Set<string>; connect: Set<string> } {
  const list = (v: unknown): string[] =>
    typeof v === 'string' ? [v] : Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  const f = g.forward?.fields ?? {};
  return {
    bind: new Set([...list(g.fields['bind']), ...list(f['bind'])]),
    connect: new Set([...list(g.fields['connect']), ...list(f['connect'])]),
  };
}

/** The first endpoint a group uses over this transport, with its transport; undefined when none (as far as is known). */
export function endpointOver(ctx: CheckContext, g: GroupFacts, transport: TransportName): [string, EndpointTransport] | undefined {
  const { bind, connect } = endsOf(g);
  for (const e of [...bind, ...connect]) {
    const t = ctx.endpoints.transports.get(e);
    if (t?.transport === transport) return [e, t];
  }
  return undefined;
}

/** Where one check writes its problems. */
export interface Check {
  add(pointer: string, text: string): void;
  /** A duration field: its ms when sound, else undefined, with what is wrong with it added. */
  duration(value: unknown, pointer: string, positive: boolean): number | undefined;
}

/** The problems a topic finds, each marked with its check (which decides where it is listed). */
export class Findings {
  readonly problems: Problem[] = [];

  constructor(private readonly ctx: CheckContext) {}

  /** The check `step` of the scenario as a whole. */
  of(step: ScenarioStep): Check {
    return this.check((pointer, text) => this.problems.push({ pointer, text, step }));
  }

  /** The check `step` of the group at `group` in topology.groups. */
  ofGroup(step: GroupStep, group: number): Check {
    return this.check((pointer, text) => this.problems.push({ pointer, text, step, group }));
  }

  private check(add: (pointer: string, text: string) => void): Check {
    return {
      add,
      duration: (value, pointer, positive) => {
        if (!this.ctx.sound(pointer)) return undefined;
        const read = readDuration(value, positive);
        if (read === undefined) return undefined;
        if ('problem' in read) return void add(pointer, read.problem);
        return read.ms;
      },
    };
  }
}
