import { isRoundTrip, isSender, type Group } from './schema.js';

/**
 * Who receives what: the endpoints each group's sockets are on, and from them the (source, stream)
 * pairs a receiving group gets, through forwarding stages and sub prefixes. Pure, as the plan is.
 */

export interface StreamKey {
  sourceId: number;
  stream: number;
}

/** A group and the role ids of its instances, in instance order. */
export interface Placed {
  group: Group;
  roleIds: number[];
}

/**
 * The streams a receiving group gets: those of the senders on its endpoints, plus what the
 * stages there pass on; a sub keeps only the topic streams its prefixes match.
 */
export class Routes {
  private readonly memo = new Map<Group, StreamKey[]>();

  constructor(private readonly sockets: Map<string, EndpointSocket[]>) {}

  socketsOn(endpoint: string): EndpointSocket[] {
    return this.sockets.get(endpoint) ?? [];
  }

  /** role id → topics, of the pub sockets (main or forward) on these endpoints */
  topicsOf(endpoints: readonly string[]): Map<number, string[]> {
    const topicsOf = new Map<number, string[]>();
    for (const e of endpoints) {
      for (const s of this.socketsOn(e)) {
        const pub =
          (s.kind === 'main' && (s.group.type === 'pub' || s.group.type === 'radio') && s.group.payload === null) ||
          (s.kind === 'forward' && s.group.forward?.type === 'pub');
        if (pub) for (const id of s.roleIds) topicsOf.set(id, s.kind === 'main' ? s.group.topics : []);
      }
    }
    return topicsOf;
  }

  received(group: Group, visiting: Set<Group>): StreamKey[] {
    const known = this.memo.get(group);
    if (known) return known;
    if (visiting.has(group)) return []; // a forwarding loop carries nothing new
    visiting.add(group);
    const endpoints = [...group.bind, ...group.connect];
    const keys: StreamKey[] = [];
    for (const e of endpoints) {
      for (const s of this.socketsOn(e)) {
        // a payload carries no header: nothing to track
        if (s.kind === 'main' && isSender(s.group.type, s.group.side) && !isRoundTrip(s.group.type) && s.group.payload === null) {
          for (const id of s.roleIds) keys.push(...sourceStreams(s.group, id));
        } else if (s.kind === 'forward') {
          keys.push(...this.received(s.group, visiting));
        }
      }
    }
    let result = dedupe(keys);
    if (group.type === 'sub' || group.type === 'dish') {
      const topicsOf = this.topicsOf(endpoints);
      const takes = group.type === 'sub' ? (t: string) => matches(group.subscribe, t) : (t: string) => group.join.includes(t);
      result = result.filter((k) => takes(topicsOf.get(k.sourceId)?.[k.stream] ?? ''));
    }
    this.memo.set(group, result);
    return result;
  }
}

/** The streams one sender role produces: one per topic for a pub with topics (a radio's groups), else one. */
export function sourceStreams(group: Group, roleId: number): StreamKey[] {
  const n = (group.type === 'pub' || group.type === 'radio') && group.topics.length > 0 ? group.topics.length : 1;
  return Array.from({ length: n }, (_, stream) => ({ sourceId: roleId, stream }));
}

/** ZeroMQ subscriptions are prefix filters; "" matches everything. A DISH's groups are whole names instead. */
export function matches(prefixes: readonly string[], topic: string): boolean {
  return prefixes.some((p) => topic.startsWith(p));
}

export interface EndpointSocket {
  group: Group;
  roleIds: number[];
  kind: 'main' | 'forward';
  binds: boolean;
}

/** endpoint → the sockets on it, main or forward, binding or connecting */
export function socketsByEndpoint(placed: Placed[]): Map<string, EndpointSocket[]> {
  const map = new Map<string, EndpointSocket[]>();
  const add = (endpoint: string, s: EndpointSocket) => map.set(endpoint, [...(map.get(endpoint) ?? []), s]);
  for (const { group, roleIds } of placed) {
    for (const e of group.bind) add(e, { group, roleIds, kind: 'main', binds: true });
    for (const e of group.connect) add(e, { group, roleIds, kind: 'main', binds: false });
    for (const e of group.forward?.bind ?? []) add(e, { group, roleIds, kind: 'forward', binds: true });
    for (const e of group.forward?.connect ?? []) add(e, { group, roleIds, kind: 'forward', binds: false });
  }
  return map;
}

/** pull instances among these sockets: more than one share (load-balance) what reaches them */
export function receiversOn(sockets: EndpointSocket[]): number {
  return sockets.filter((s) => s.kind === 'main' && s.group.type === 'pull').reduce((n, s) => n + s.roleIds.length, 0);
}

function dedupe(keys: StreamKey[]): StreamKey[] {
  const seen = new Set<string>();
  return keys.filter((k) => {
    const id = `${k.sourceId}:${k.stream}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}
