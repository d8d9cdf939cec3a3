import {
  isPublisher,
  isRoundTrip,
  isSubscriber,
  type DelayModel,
  type EngineName,
  type Group,
  type PairSide,
  type Pause,
  type Placement,
  type RateShape,
  type RetryPolicy,
  type Scenario,
  type SocketOptions,
  type SocketType,
} from './schema.js';
import type { ContentCheck, PayloadPart, SequenceLocation } from './external-schema.js';
import {
  endpointsOf,
  groupSockets,
  mainSocketType,
  matches,
  receiversOn,
  Routes,
  socketsByEndpoint,
  type Placed,
  type StreamKey,
} from './routes.js';
import { endpointTransport } from './transports.js';
import { touchesExternal } from './validate-external.js';

/**
 * Turns a validated scenario into a plan of socket roles: who binds and connects where, which
 * worker slot runs each role, which (source, stream) pairs each receiver should get, and how
 * many handshakes and probes make up its start barrier, and with CURVE which keys each socket
 * uses (the coordinator makes them). Pure: no sockets, no addresses.
 */

export type Tracking = 'exclusive' | 'shared' | 'none';

/** A CURVE key pair in Z85 text. */
export interface CurveKeyPair {
  publicKey: string;
  secretKey: string;
}

/** The keys of one run, made by the coordinator (src/engine/current.ts): one server pair, one client pair. */
export interface CurveKeys {
  server: CurveKeyPair;
  client: CurveKeyPair;
}

/**
 * A socket's CURVE settings: a binding socket is a server (it needs its secret key only), a
 * connecting one a client that must know the server's public key. Secret: never in results.
 */
export type CurveSocketPlan =
  | { as: 'server'; secretKey: string }
  | { as: 'client'; serverKey: string; publicKey: string; secretKey: string };

export interface SocketPlan {
  type: SocketType;
  options: SocketOptions;
  /** endpoint names; a binding group's instance binds its own address of each */
  bind: string[];
  connect: string[];
  /** tcp/ipc handshakes to wait for at the start barrier */
  handshakes: number;
  /** record socket events (connect, disconnect, retries...) on the timeline: tcp and ipc only */
  monitor: boolean;
  /** null: no CURVE (the NULL mechanism) */
  curve: CurveSocketPlan | null;
}

export interface RolePlan {
  roleId: number;
  group: string;
  instance: number;
  slot: number;
  /** the host label this socket runs on (hosts:); null: the coordinator's host */
  host: string | null;
  /** the binding that drives this role's sockets (its group's engine) */
  engine: EngineName;
  /** pair: which of the two sockets this role is (sender or receiver); null for every other type */
  side: PairSide | null;
  /**
   * the main socket; `forward` is the optional second socket of a pipeline stage. A proxy's
   * frontend is its main socket, its backend the forward, and `capture` its capture socket.
   */
  socket: SocketPlan;
  forward: SocketPlan | null;
  capture: SocketPlan | null;
  /** a proxy: libzmq's zmq_proxy runs between `socket` and `forward` (roles/proxy.ts) */
  proxy: boolean;
  /** sender roles: the source id stamped on their messages (= roleId) */
  sourceId: number;
  sizeBytes: number;
  /** a constant rate; null: max, or rateShape */
  ratePerSec: number | null;
  /** a rate that changes over time, from the start of measurement; null: constant or max */
  rateShape: RateShape | null;
  messages: number | null;
  /** receivers: processing time per message, by phase */
  delay: DelayModel;
  pauses: Pause[];
  /** senders: give a blocked send up after this long (null: wait) */
  giveUpAfterMs: number | null;
  /** req: lazy-pirate retries (null: plain REQ) */
  retry: RetryPolicy | null;
  subscribe: string[];
  /** pub: topics in turn; radio: its groups in turn */
  topics: string[];
  /** dish: the groups it joins (whole names) */
  join: string[];
  window: number;
  tracking: Tracking;
  /** streams this role should receive (for req/dealer: its own replies) */
  streams: StreamKey[];
  /** role ids of the pub (radio) sockets whose barrier probes this sub (dish) must see */
  probesFrom: number[];
  /** pub and radio sockets (main or forward) send barrier probes */
  sendsProbes: boolean;
  /** senders: frames sent instead of the header; null: the header (docs/external.md) */
  payload: PayloadPart[] | null;
  /** what every reply or received message must be; null: no check */
  check: ContentCheck | null;
  /** where a foreign feed carries its sequence number; null: none */
  sequence: SequenceLocation | null;
  /** break the REQ/REP order on purpose (B1); null: never */
  misuse: 'send-twice' | 'reply-first' | null;
  /** subscribers: the welcome messages xpub sockets of the scenario send (xpubWelcomeMsg), counted apart from data */
  welcomes: string[];
}

export interface SlotPlan {
  slot: number;
  group: string;
  /** thread: a worker thread of the coordinator's process; process: a child process of its own */
  placement: Placement;
  /** the host label the slot runs on (hosts:); null: the coordinator's host */
  host: string | null;
  roleIds: number[];
}

export interface TopologyPlan {
  roles: RolePlan[];
  slots: SlotPlan[];
  /** endpoint → the role ids that bind it, in instance order */
  binders: Record<string, number[]>;
  /** group → whether its figures count in the totals (a terminal receiver or a requester) */
  terminal: Record<string, boolean>;
}

/** The worker slots of a scenario's groups, as planTopology places them (no keys needed): what runs where. */
export function slotsOf(groups: readonly Group[]): SlotPlan[] {
  return placeGroups(groups).slots;
}

/** `keys`: the run's CURVE keys, needed when the scenario has curve on. */
export function planTopology(scenario: Scenario, keys: CurveKeys | null = null): TopologyPlan {
  if (scenario.curve.enabled && keys === null)
    throw new Error(`scenario ${JSON.stringify(scenario.name)} has curve on: its plan needs the run's CURVE keys`);
  const security: Security = { curve: scenario.curve.enabled ? keys : null, serverKey: scenario.curve.serverPublicKey };
  const { placed, slots } = placeGroups(scenario.groups);
  const slotOf = new Map<number, SlotPlan>();
  for (const s of slots) for (const id of s.roleIds) slotOf.set(id, s);

  const binders: Record<string, number[]> = {};
  for (const { group, roleIds } of placed) for (const socket of groupSockets(group)) for (const e of socket.bind) binders[e] = roleIds;
  const welcomes = welcomeMessages(scenario.groups);

  const routes = new Routes(socketsByEndpoint(placed));
  const roles = placed.flatMap(({ group, roleIds }) => {
    const endpoints = [...group.bind, ...group.connect];
    const receiverCount = endpoints.reduce((n, e) => n + receiversOn(routes.socketsOn(e)), 0);
    return roleIds.map(
      (roleId, instance): RolePlan => ({
        roleId,
        group: group.name,
        instance,
        slot: slotOf.get(roleId)!.slot,
        host: slotOf.get(roleId)!.host,
        engine: group.engine,
        side: group.side,
        ...socketPlans(group, placed, scenario, security),
        sourceId: roleId,
        ...groupSettings(group),
        ...receiving(group, roleId, receiverCount, routes, scenario.barrier),
        // probes are header frames: never to a service we did not start, never from a payload pub;
        // a proxy passes its publishers' probes on and sends none of its own
        sendsProbes:
          scenario.barrier &&
          !touchesExternal(scenario.external, endpointsOf(group)) &&
          (((isPublisher(group.type) || group.type === 'radio') && group.payload === null) ||
            (group.proxy === null && group.forward?.type === 'pub')),
        payload: group.payload,
        check: group.check,
        sequence: group.sequence,
        misuse: group.misuse,
        welcomes: isSubscriber(group.type) ? welcomes : [],
      }),
    );
  });

  // a capture's readers get copies of what the real receivers count: not in the totals
  const terminal: Record<string, boolean> = {};
  for (const { group } of placed) {
    const receives = group.type === 'pull' || isSubscriber(group.type) || group.type === 'dish' || group.side === 'receiver';
    terminal[group.name] = isRoundTrip(group.type) || (receives && !group.forward && !routes.readsCapture(group));
  }
  return { roles, slots, binders, terminal };
}

/** The welcome messages of every xpub socket (xpub groups and proxies' backends), once each. */
function welcomeMessages(groups: readonly Group[]): string[] {
  const out = new Set<string>();
  for (const g of groups)
    for (const socket of groupSockets(g))
      if (socket.type === 'xpub' && socket.options.xpubWelcomeMsg !== undefined) out.add(socket.options.xpubWelcomeMsg);
  return [...out];
}

/**
 * Role ids in group order, and the worker slots they run in: threads, or a process per socket.
 * A group spread over hosts puts socket i on hosts[i % n]; each host gets slots of its own.
 */
function placeGroups(groups: readonly Group[]): { placed: Placed[]; slots: SlotPlan[] } {
  const placed: Placed[] = [];
  const slots: SlotPlan[] = [];
  let nextRole = 0;
  for (const group of groups) {
    const roleIds = Array.from({ length: group.count }, () => nextRole++);
    placed.push({ group, roleIds });
    const hosts = group.hosts.length > 0 ? group.hosts : [null];
    hosts.forEach((host, h) => {
      const here = roleIds.filter((_, i) => i % hosts.length === h);
      if (here.length === 0) return;
      const firstSlot = slots.length;
      // A process placement gives every socket a process of its own, so one can be killed alone.
      const threads = group.placement === 'process' ? here.length : Math.min(group.threads, here.length);
      for (let t = 0; t < threads; t++)
        slots.push({ slot: firstSlot + t, group: group.name, placement: group.placement, host, roleIds: [] });
      here.forEach((id, i) => slots[firstSlot + (i % threads)]!.roleIds.push(id));
    });
  }
  return { placed, slots };
}

/** The main socket, the forward and a proxy's capture of one role. */
function socketPlans(
  group: Group,
  placed: Placed[],
  scenario: Scenario,
  security: Security,
): Pick<RolePlan, 'socket' | 'forward' | 'capture' | 'proxy'> {
  const capture = group.proxy?.capture ?? null;
  return {
    // give-up is a send timeout on the socket; a lazy pirate's wait a receive timeout
    socket: socketPlan(
      mainSocketType(group),
      {
        ...group.options,
        ...(group.giveUpAfterMs === null ? {} : { sndtimeo: group.giveUpAfterMs }),
        ...(group.retry === null ? {} : { rcvtimeo: group.retry.timeoutMs }),
      },
      group.bind,
      group.connect,
      placed,
      scenario,
      security,
    ),
    forward: group.forward
      ? socketPlan(group.forward.type, group.forward.options, group.forward.bind, group.forward.connect, placed, scenario, security)
      : null,
    capture: capture ? socketPlan(capture.type, capture.options, capture.bind, capture.connect, placed, scenario, security) : null,
    proxy: group.proxy !== null,
  };
}

/** The group's own settings, which each of its roles carries: size, pacing, delay, pauses, retry, subscriptions, topics, window. */
function groupSettings(
  group: Group,
): Pick<
  RolePlan,
  | 'sizeBytes'
  | 'ratePerSec'
  | 'rateShape'
  | 'messages'
  | 'delay'
  | 'pauses'
  | 'giveUpAfterMs'
  | 'retry'
  | 'subscribe'
  | 'topics'
  | 'join'
  | 'window'
> {
  return {
    sizeBytes: group.sizeBytes,
    ratePerSec: group.ratePerSec,
    rateShape: group.rateShape,
    messages: group.messages,
    delay: group.delay,
    pauses: group.pauses,
    giveUpAfterMs: group.giveUpAfterMs,
    retry: group.retry,
    subscribe: group.subscribe,
    topics: group.topics,
    join: group.join,
    window: group.window,
  };
}

/**
 * What a role should receive: its own replies (req, dealer), or the streams that reach its group
 * (pull, sub, dish, a pair's receiver); and the probes a sub or dish waits for.
 */
function receiving(
  group: Group,
  roleId: number,
  receiverCount: number,
  routes: Routes,
  barrier: boolean,
): Pick<RolePlan, 'tracking' | 'streams' | 'probesFrom'> {
  if (isRoundTrip(group.type)) return { tracking: 'exclusive', streams: [{ sourceId: roleId, stream: 0 }], probesFrom: [] };
  // a capture's readers see copies of both directions: counted, not tracked as streams
  if (routes.readsCapture(group)) return { tracking: 'none', streams: [], probesFrom: [] };
  if (group.type === 'pull')
    return { tracking: receiverCount > 1 ? 'shared' : 'exclusive', streams: routes.received(group, new Set()), probesFrom: [] };
  if (group.side === 'receiver') return { tracking: 'exclusive', streams: routes.received(group, new Set()), probesFrom: [] };
  if (!isSubscriber(group.type) && group.type !== 'dish') return { tracking: 'none', streams: [], probesFrom: [] };
  const takes = group.type === 'dish' ? (t: string) => group.join.includes(t) : (t: string) => matches(group.subscribe, t);
  const probesFrom = [...routes.topicsOf([...group.bind, ...group.connect]).entries()]
    .filter(([, topics]) => (topics.length === 0 ? takes('') : topics.some(takes)))
    .map(([id]) => id);
  return { tracking: 'exclusive', streams: routes.received(group, new Set()), probesFrom: barrier ? probesFrom : [] };
}

/**
 * Handshakes a socket waits for at the barrier: a connecting socket one per address it
 * connects to; a binding instance one per socket that connects to its endpoint. inproc
 * reports no handshakes, and udp makes none (a datagram needs no connection), so the barrier
 * counts none at an inproc or udp endpoint: a dish's barrier is the probes of the radios it hears.
 */
function socketPlan(
  type: SocketType,
  options: SocketOptions,
  bind: string[],
  connect: string[],
  placed: Placed[],
  scenario: Scenario,
  security: Security,
): SocketPlan {
  let handshakes = 0;
  const external = (e: string) => scenario.external[e] !== undefined;
  // inproc connections have no handshake and no socket events; udp has socket events but no connection
  const events = (e: string) => endpointTransport(scenario, e) !== 'inproc';
  const handshaking = (e: string) => events(e) && endpointTransport(scenario, e) !== 'udp';
  if (scenario.barrier) {
    // A service we connect to answers one handshake per connection; peers that connect to an
    // external endpoint we bind are unknown in number, so the barrier waits for none of them.
    for (const e of connect) if (external(e)) handshakes += 1;
    for (const e of connect) if (!external(e) && handshaking(e)) handshakes += bindersOf(e, placed);
    for (const e of bind) if (!external(e) && handshaking(e)) handshakes += connectorsOf(e, placed);
  }
  const monitor = [...bind, ...connect].some((e) => external(e) || events(e));
  return { type, options, bind, connect, handshakes, monitor, curve: curvePlan(security, bind.length > 0) };
}

interface Security {
  /** null: CURVE off */
  curve: CurveKeys | null;
  /** the server key clients are given instead of the run's own (scenario `curve.serverPublicKey`) */
  serverKey: string | null;
}

/** A socket binds or connects, never both (validation): binders are CURVE servers, connectors clients. */
function curvePlan(security: Security, binds: boolean): CurveSocketPlan | null {
  const keys = security.curve;
  if (keys === null) return null;
  if (binds) return { as: 'server', secretKey: keys.server.secretKey };
  return {
    as: 'client',
    serverKey: security.serverKey ?? keys.server.publicKey,
    publicKey: keys.client.publicKey,
    secretKey: keys.client.secretKey,
  };
}

function bindersOf(endpoint: string, placed: Placed[]): number {
  for (const { group } of placed) {
    if (groupSockets(group).some((s) => s.bind.includes(endpoint))) return group.count;
  }
  return 0;
}

function connectorsOf(endpoint: string, placed: Placed[]): number {
  let n = 0;
  for (const { group } of placed) for (const s of groupSockets(group)) if (s.connect.includes(endpoint)) n += group.count;
  return n;
}

/**
 * A sender restarted in a new process is a new source: its streams get `sourceId` and every
 * receiver that expected the old source's streams now expects the new ones too. Mutates the
 * plan (the run's own copy), so drain and aggregate count them.
 */
export function addIncarnation(plan: TopologyPlan, role: RolePlan, sourceId: number): void {
  const old = role.sourceId;
  for (const r of plan.roles) {
    if (r === role || r.tracking === 'none') continue;
    const added = r.streams.filter((k) => k.sourceId === old).map((k) => ({ sourceId, stream: k.stream }));
    r.streams.push(...added);
  }
  // a requester's own replies come back under its new id
  role.streams = role.streams.map((k) => (k.sourceId === old ? { sourceId, stream: k.stream } : k));
  role.sourceId = sourceId;
}

/**
 * Messages each receiving group should get, given what each stream sent: exclusive receivers
 * each expect all of their streams; load-balanced (shared) receivers split them, so their group
 * expects each stream once. Groups that track nothing are absent.
 */
export function expectedPerGroup(plan: TopologyPlan, sentOn: (k: StreamKey) => number): Map<string, number> {
  const out = new Map<string, number>();
  const counted = new Set<string>();
  for (const r of plan.roles) {
    if (r.tracking === 'none') continue;
    let n = 0;
    for (const k of r.streams) {
      if (r.tracking === 'shared') {
        const id = `${r.group}|${k.sourceId}:${k.stream}`;
        if (counted.has(id)) continue;
        counted.add(id);
      }
      n += sentOn(k);
    }
    out.set(r.group, (out.get(r.group) ?? 0) + n);
  }
  return out;
}
