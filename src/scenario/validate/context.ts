import { ValueErrorType } from '@sinclair/typebox/value';
import { isRecord } from '../problem-text.js';
import { PAIR_SIDES, type PairSide, type SocketType } from '../schema.js';
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
  type: SocketType | undefined;
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
  type: SocketType | undefined;
  /** a pair's side when sound; null for other types (and for a pair whose side is missing or wrong) */
  side: PairSide | null;
  /** the count (1 when left out), when sound */
  count: number | undefined;
  /** how problems name the group: group "workers", or group "#2" without a name */
  label: string;
  /** the forward of a pull or sub group, when it is a mapping; its type when sound */
  forward: { fields: Record<string, unknown>; type: SocketType | undefined } | undefined;
}

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
      groups.every((g) => g.type !== undefined && (g.forward === undefined || g.forward.type !== undefined)),
    countsComplete: groupsListed && everyGroupIsMapping && groups.every((g) => g.count !== undefined),
    endpoints: endpointFacts(topology['endpoints'], sound),
  };
}

function groupFacts(g: Record<string, unknown>, index: number, sound: (pointer: string) => boolean): GroupFacts {
  const pointer = `/topology/groups/${index}`;
  const name = typeof g['name'] === 'string' && sound(`${pointer}/name`) ? g['name'] : undefined;
  const type = sound(`${pointer}/type`) && typeof g['type'] === 'string' ? (g['type'] as SocketType) : undefined;
  const count = g['count'] === undefined ? DEFAULTS.count : g['count'];
  const side = type === 'pair' && sound(`${pointer}/side`) ? PAIR_SIDES.find((p) => p === g['side']) : undefined;
  const fwd = g['forward'];
  // a forward is only one for pull and sub groups (the others are told so by the field check)
  const forward =
    isRecord(fwd) && (type === 'pull' || type === 'sub')
      ? { fields: fwd, type: sound(`${pointer}/forward/type`) && typeof fwd['type'] === 'string' ? (fwd['type'] as SocketType) : undefined }
      : undefined;
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
  };
}

function groupInfoOf(groups: readonly GroupFacts[]): Map<string, GroupInfo> {
  const info = new Map<string, GroupInfo>();
  for (const g of groups) {
    if (g.name !== undefined && !info.has(g.name))
      info.set(g.name, { type: g.type, side: g.side, count: g.count, hasForward: g.fields['forward'] !== undefined });
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

function endpointFacts(endpoints: unknown, sound: (pointer: string) => boolean): EndpointFacts {
  const list: readonly unknown[] = Array.isArray(endpoints) ? endpoints : [];
  const declared = new Map<string, number>();
  const external = new Set<string>();
  const addresses = new Map<string, { i: number; address: string }>();
  list.forEach((entry, i) => {
    const name = endpointName(entry);
    if (name === undefined || !sound(endpointNamePointer(entry, i))) return;
    if (!declared.has(name)) declared.set(name, i);
    if (isRecord(entry) && typeof entry['external'] === 'string') {
      external.add(name);
      if (sound(`/topology/endpoints/${i}/external`)) addresses.set(name, { i, address: entry['external'] });
    }
  });
  return { list, declared, external, addresses, complete: Array.isArray(endpoints) && sound('/topology/endpoints') };
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
