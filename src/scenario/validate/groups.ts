import { andList, got, isRecord, orList } from '../problem-text.js';
import { LIMITS, SENDER_TYPES, isSender, type GroupSpec, type GroupType, type SocketType } from '../schema.js';
import { OPTION_NAMES, allowedOptions, isOptionAllowed } from '../socket-options.js';
import { externalGroupProblems } from '../validate-external.js';
import { endpointOver, endsOf, Findings, transportPhrase, type Check, type CheckContext, type GroupFacts } from './context.js';
import { DEFAULTS } from './defaults.js';
import { pairSideProblems } from './pairs.js';
import { escapeSegment, type Problem } from './problem.js';
import { radioDishGroupProblems } from './radio-dish.js';
import { RECEIVER_TYPES } from './socket-kinds.js';

/**
 * The fields of each group: unique names, threads and placement, fields that fit the socket
 * type, socket options per type, external payloads and checks, misuse; and the groups in all:
 * a sender among them, and not too many sockets.
 */

/** Senders, and a pair (its sender side: pairs.ts). */
const SENDING: readonly SocketType[] = [...SENDER_TYPES, 'pair'];
/** Receivers, and a pair (its receiver side: pairs.ts). */
const RECEIVING: readonly SocketType[] = [...RECEIVER_TYPES, 'pair'];

/** Which group types a field belongs to, for "is only for ..." problems. */
const FIELD_OWNERS: ReadonlyArray<[field: keyof GroupSpec, types: readonly GroupType[]]> = [
  ['side', ['pair']],
  ['size', SENDING],
  ['rate', SENDING],
  ['messages', SENDING],
  ['whenBlocked', SENDING],
  ['giveUpAfter', SENDING],
  ['delay', RECEIVING],
  ['pauses', RECEIVING],
  ['subscribe', ['sub', 'xsub']],
  ['topics', ['pub', 'xpub', 'radio']],
  ['join', ['dish']],
  ['window', ['dealer']],
  ['retry', ['req']],
  ['forward', ['pull', 'sub']],
  // a payload may be several frames, and a RADIO sends one frame per message
  ['payload', SENDER_TYPES.filter((t) => t !== 'radio')],
  ['check', ['req', 'dealer', 'sub', 'pull', 'xsub']],
  ['sequence', ['sub', 'pull', 'xsub']],
  ['misuse', ['req', 'rep']],
  ['frontend', ['proxy']],
  ['backend', ['proxy']],
  ['capture', ['proxy']],
];

/** Fields of every socket group that a proxy has in its frontend, backend and capture instead. */
const NOT_FOR_PROXIES: readonly (keyof GroupSpec)[] = ['bind', 'connect', 'options'];

export function groupProblems(raw: Record<string, unknown>, ctx: CheckContext): Problem[] {
  const found = new Findings(ctx);
  const firstNamed = new Map<string, number>();
  for (const g of ctx.groups) {
    const gp = g.pointer;
    if (g.name !== undefined) {
      const first = firstNamed.get(g.name);
      if (first !== undefined)
        found.ofGroup('group-name', g.index).add(`${gp}/name`, `must be unique (also topology.groups[${first}].name)${got(g.name)}`);
      else firstNamed.set(g.name, g.index);
    }
    placementProblems(found.ofGroup('placement', g.index), ctx, g);
    inprocEngineProblems(found.ofGroup('engine', g.index), ctx, g, raw);
    if (g.type !== undefined) {
      const owners = found.ofGroup('field-owners', g.index);
      for (const [field, types] of FIELD_OWNERS) {
        if (g.fields[field] !== undefined && !types.includes(g.type))
          owners.add(`${gp}/${field}`, `is only for ${andList(types)} groups, not ${g.type}`);
      }
      pairSideProblems(found.ofGroup('side', g.index), ctx, g);
      if (g.type === 'proxy') {
        for (const field of NOT_FOR_PROXIES)
          if (g.fields[field] !== undefined)
            owners.add(`${gp}/${field}`, `is not for proxy groups (a proxy's sockets have their own: frontend.${field}, backend.${field})`);
      } else optionProblems(found.ofGroup('options', g.index), g.fields['options'], g.type, `${gp}/options`);
    }
    radioDishGroupProblems(found.ofGroup('groups-joined', g.index), ctx, g);
    const external = found.ofGroup('external', g.index);
    externalGroupProblems(g.fields, gp, ctx.sound, external.add);
    const misuse = g.fields['misuse'];
    if ((g.type === 'req' && misuse === 'reply-first') || (g.type === 'rep' && misuse === 'send-twice')) {
      found
        .ofGroup('misuse', g.index)
        .add(`${gp}/misuse`, `must be ${g.type === 'req' ? 'send-twice' : 'reply-first'} for a ${g.type} group${got(misuse)}`);
    }
    if (g.forward?.type !== undefined)
      optionProblems(found.ofGroup('forward-options', g.index), g.forward.fields['options'], g.forward.type, `${gp}/forward/options`);
  }
  totalProblems(found.of('group-totals'), ctx);
  return found.problems;
}

/** threads: at most count, and not with placement: process, which is not for inproc endpoints either. */
function placementProblems(check: Check, ctx: CheckContext, g: GroupFacts): void {
  const threads = g.fields['threads'];
  const inProcesses = g.fields['placement'] === 'process' && ctx.sound(`${g.pointer}/placement`);
  if (inProcesses && threads !== undefined && ctx.sound(`${g.pointer}/threads`)) {
    check.add(`${g.pointer}/threads`, `cannot be used with placement: process (every socket runs in a process of its own)${got(threads)}`);
  } else if (
    g.count !== undefined &&
    threads !== undefined &&
    ctx.sound(`${g.pointer}/threads`) &&
    typeof threads === 'number' &&
    threads > g.count
  ) {
    check.add(`${g.pointer}/threads`, `must be at most count (${g.count})${got(threads)}`);
  }
  const inproc = inProcesses ? endpointOver(ctx, g, 'inproc') : undefined;
  if (inproc !== undefined) {
    check.add(
      `${g.pointer}/placement`,
      `cannot be process with ${transportPhrase(...inproc)} (inproc does not cross processes)${got(g.fields['placement'])}`,
    );
  }
}

/**
 * inproc connects sockets of one libzmq context, and each engine has its own (the threads of
 * one engine share it): the groups that meet at an inproc endpoint must use one engine (mixed
 * engines need tcp or ipc there). Each group is judged against the earlier groups it meets.
 */
function inprocEngineProblems(check: Check, ctx: CheckContext, g: GroupFacts, raw: Record<string, unknown>): void {
  const engineOf = (facts: GroupFacts): unknown =>
    !ctx.sound(`${facts.pointer}/engine`)
      ? undefined
      : facts.fields['engine'] !== undefined
        ? facts.fields['engine']
        : ctx.sound('/engine')
          ? (raw['engine'] ?? DEFAULTS.engine)
          : undefined;
  const mine = engineOf(g);
  if (typeof mine !== 'string') return;
  const { bind, connect } = endsOf(g);
  for (const endpoint of [...bind, ...connect]) {
    const t = ctx.endpoints.transports.get(endpoint);
    if (t?.transport !== 'inproc') continue;
    const first = ctx.groups.find((h) => {
      if (h.index >= g.index) return false;
      const theirs = endsOf(h);
      const engine = engineOf(h);
      return (theirs.bind.has(endpoint) || theirs.connect.has(endpoint)) && typeof engine === 'string' && engine !== mine;
    });
    if (first === undefined) continue;
    const where = g.fields['engine'] === undefined ? g.pointer : `${g.pointer}/engine`;
    const inherited = g.fields['engine'] === undefined ? " (the scenario's engine)" : '';
    return void check.add(
      where,
      `engine ${mine}${inherited} cannot be used with ${transportPhrase(endpoint, t)} beside ${first.label}'s engine ${String(engineOf(first))} (inproc connects sockets of one engine's context only; use tcp or ipc, or one engine)`,
    );
  }
}

/** tcp keepalive settings the kernel refuses at 0 (TCP_KEEPIDLE, TCP_KEEPCNT, TCP_KEEPINTVL): libzmq's connection would fail. */
const KEEPALIVE_COUNTS = ['tcpKeepaliveIdle', 'tcpKeepaliveCnt', 'tcpKeepaliveIntvl'];
/** ZMQ_ROUTING_ID takes 1-255 bytes; the schema counts characters. */
const ROUTING_ID_MAX_BYTES = 255;

/** Socket options the type does not take (unknown names are the schema's to report), and values libzmq refuses. */
export function optionProblems(check: Check, options: unknown, type: SocketType, pointer: string): void {
  if (!isRecord(options)) return;
  for (const [key, value] of Object.entries(options)) {
    const at = `${pointer}/${escapeSegment(key)}`;
    if (KEEPALIVE_COUNTS.includes(key) && value === 0) check.add(at, 'must be -1 (the OS default) or at least 1, got 0');
    if (key === 'routingId' && typeof value === 'string' && Buffer.byteLength(value) > ROUTING_ID_MAX_BYTES)
      check.add(at, `must be at most ${ROUTING_ID_MAX_BYTES} bytes of UTF-8, got ${Buffer.byteLength(value)}`);
    if (!(OPTION_NAMES as readonly string[]).includes(key) || isOptionAllowed(type, key)) continue;
    check.add(at, `is not available on ${type} sockets (they take ${allowedOptions(type).join(', ')})`);
  }
}

/** A sending group (unless an external service sends), and not too many sockets in all. */
function totalProblems(check: Check, ctx: CheckContext): void {
  const senders = ctx.groups.filter(
    (g) => g.type !== undefined && (isSender(g.type, g.side) || (g.type === 'pair' && g.side === null)),
  ).length;
  if (ctx.typesComplete && ctx.groups.length > 0 && senders === 0 && ctx.endpoints.external.size === 0) {
    check.add('/topology/groups', `must include a sending group (${orList([...SENDER_TYPES, 'pair with side: sender'])}), got none`);
  }
  // a forward is a second socket in every member; a proxy has two or three
  const socketsOf = (g: GroupFacts) => (g.proxy ? (g.proxy.capture ? 3 : 2) : g.forward ? 2 : 1);
  const sockets = ctx.groups.reduce((n, g) => n + (g.count ?? 0) * socketsOf(g), 0);
  if (ctx.countsComplete && sockets > LIMITS.socketsInScenario) {
    check.add(
      '/topology/groups',
      `must have at most ${LIMITS.socketsInScenario} sockets in all (count per group, twice with a forward, two or three for a proxy), got ${sockets}`,
    );
  }
}
