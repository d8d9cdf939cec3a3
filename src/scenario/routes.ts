import { isOneWaySender, isPublisher, isSubscriber, type Group, type SocketOptions, type SocketType } from './schema.js';

/** Senders whose messages carry a topic (a radio's: its group), one stream per topic. */
const sendsTopics = (type: Group['type']): boolean => isPublisher(type) || type === 'radio';

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

  /**
   * role id → topics, of the pub, xpub and radio sockets (main or forward) on these endpoints, and
   * through a proxy's xpub backend those on its frontend's endpoints (a proxy passes the
   * publishers' topic frames on, so subscribers behind it filter by the publishers' topics).
   */
  topicsOf(endpoints: readonly string[], visiting: Set<Group> = new Set()): Map<number, string[]> {
    const topicsOf = new Map<number, string[]>();
    for (const e of endpoints) {
      for (const s of this.socketsOn(e)) {
        if (s.kind === 'forward' && s.group.proxy !== null) {
          if (visiting.has(s.group)) continue;
          visiting.add(s.group);
          for (const [id, topics] of this.topicsOf([...s.group.bind, ...s.group.connect], visiting)) topicsOf.set(id, topics);
          continue;
        }
        const pub =
          (s.kind === 'main' && sendsTopics(s.group.type) && s.group.payload === null) || (s.kind === 'forward' && s.type === 'pub');
        if (pub) for (const id of s.roleIds) topicsOf.set(id, s.kind === 'main' ? s.group.topics : []);
      }
    }
    return topicsOf;
  }

  /** Whether the group reads a proxy's capture socket (validation: then it reads nothing else). */
  readsCapture(group: Group): boolean {
    return [...group.bind, ...group.connect].some((e) => this.socketsOn(e).some((s) => s.kind === 'capture'));
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
        // a payload carries no header: nothing to track; a stage's forward and a proxy's
        // backend pass on what reached them (a capture's copies are not followed)
        if (s.kind === 'main' && isOneWaySender(s.group.type, s.group.side) && s.group.payload === null) {
          for (const id of s.roleIds) keys.push(...sourceStreams(s.group, id));
        } else if (s.kind === 'forward') {
          keys.push(...this.received(s.group, visiting));
        }
      }
    }
    let result = dedupe(keys);
    if (isSubscriber(group.type) || group.type === 'dish') {
      const topicsOf = this.topicsOf(endpoints);
      const takes = group.type === 'dish' ? (t: string) => group.join.includes(t) : (t: string) => matches(group.subscribe, t);
      result = result.filter((k) => takes(topicsOf.get(k.sourceId)?.[k.stream] ?? ''));
    }
    this.memo.set(group, result);
    return result;
  }
}

/** The streams one sender role produces: one per topic for a pub, xpub or radio with topics (a radio's groups), else one. */
export function sourceStreams(group: Group, roleId: number): StreamKey[] {
  const n = sendsTopics(group.type) && group.topics.length > 0 ? group.topics.length : 1;
  return Array.from({ length: n }, (_, stream) => ({ sourceId: roleId, stream }));
}

/** ZeroMQ subscriptions are prefix filters; "" matches everything. A DISH's groups are whole names instead. */
export function matches(prefixes: readonly string[], topic: string): boolean {
  return prefixes.some((p) => topic.startsWith(p));
}

export interface EndpointSocket {
  group: Group;
  roleIds: number[];
  /** main: the group's own socket (a proxy's frontend); forward: a stage's forward or a proxy's backend; capture: a proxy's */
  kind: GroupSocketKind;
  /** the socket's own type (a proxy's frontend is xsub, router or pull) */
  type: SocketType;
  binds: boolean;
}

export type GroupSocketKind = 'main' | 'forward' | 'capture';

/** One socket each member of a group has: its main socket, a forward, a proxy's capture. */
export interface GroupSocket {
  kind: GroupSocketKind;
  type: SocketType;
  bind: string[];
  connect: string[];
  options: SocketOptions;
}

/** The type of a group's main socket: its own, or a proxy's frontend's. */
export function mainSocketType(group: Group): SocketType {
  if (group.type !== 'proxy') return group.type;
  if (group.proxy === null) throw new Error(`proxy group ${group.name} has no frontend`);
  return group.proxy.frontend;
}

/** The sockets each member of a group has, in the order they are opened. */
export function groupSockets(group: Group): GroupSocket[] {
  const main: GroupSocket = {
    kind: 'main',
    type: mainSocketType(group),
    bind: group.bind,
    connect: group.connect,
    options: group.options,
  };
  const out = [main];
  if (group.forward) out.push({ kind: 'forward', ...group.forward });
  if (group.proxy?.capture) out.push({ kind: 'capture', ...group.proxy.capture });
  return out;
}

/** Every endpoint a group's sockets bind or connect to. */
export function endpointsOf(group: Group): string[] {
  return groupSockets(group).flatMap((s) => [...s.bind, ...s.connect]);
}

/** endpoint → the sockets on it, main, forward or capture, binding or connecting */
export function socketsByEndpoint(placed: Placed[]): Map<string, EndpointSocket[]> {
  const map = new Map<string, EndpointSocket[]>();
  const add = (endpoint: string, s: EndpointSocket) => map.set(endpoint, [...(map.get(endpoint) ?? []), s]);
  for (const { group, roleIds } of placed) {
    for (const { kind, type, bind, connect } of groupSockets(group)) {
      for (const e of bind) add(e, { group, roleIds, kind, type, binds: true });
      for (const e of connect) add(e, { group, roleIds, kind, type, binds: false });
    }
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
