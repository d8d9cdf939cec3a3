import type { SocketOptionName, SocketOptions, SocketType } from './schema.js';

/**
 * Which ZeroMQ options each socket type accepts, and their zeromq.js property names.
 *
 * The table follows what zeromq.js 6 defines on each class (lib/index.js `defineOpt`), not
 * libzmq: an option a class lacks, given to its constructor, throws and can crash the process
 * at exit (trap 1), so validation refuses it before any socket exists.
 *  - send options (sndhwm, sndtimeo, sndbuf) exist on the writable classes only:
 *    Publisher, Push, Request, Reply, Dealer, Router, Pair, Radio (not Subscriber, Pull, Dish);
 *  - receive options (rcvhwm, rcvtimeo, rcvbuf) on the readable ones only:
 *    Subscriber, Pull, Request, Reply, Dealer, Router, Pair, Dish (not Publisher, Push, Radio);
 *  - linger, immediate, backlog and the liveness options (heartbeats, reconnect, tcp keepalive,
 *    handshake and connect timeouts, maxMessageSize) on every socket;
 *  - conflate on Publisher, Subscriber, Push, Pull, Dealer; noDrop on Publisher and XPublisher;
 *    mandatory and handover on Router; probeRouter on Router, Dealer, Request; routingId on
 *    Request, Reply, Router, Dealer; welcomeMessage and verbosity on XPublisher;
 *  - XPublisher and XSubscriber both send and receive (subscriptions travel as messages), so
 *    both take the send and the receive options.
 */

/** Every option name in the order the schema declares them (messages list them in this order). */
export const OPTION_NAMES: readonly SocketOptionName[] = [
  'sndhwm',
  'rcvhwm',
  'linger',
  'immediate',
  'conflate',
  'sndtimeo',
  'rcvtimeo',
  'sndbuf',
  'rcvbuf',
  'nodrop',
  'mandatory',
  'backlog',
  'heartbeatIvl',
  'heartbeatTimeout',
  'heartbeatTtl',
  'reconnectIvl',
  'reconnectIvlMax',
  'tcpKeepalive',
  'tcpKeepaliveIdle',
  'tcpKeepaliveCnt',
  'tcpKeepaliveIntvl',
  'handshakeIvl',
  'connectTimeout',
  'handover',
  'probeRouter',
  'routingId',
  'maxMsgSize',
  'xpubVerbose',
  'xpubVerboser',
  'xpubWelcomeMsg',
];

/** Our short names → zeromq.js 6 socket property names. */
export const ZMQ_OPTION_NAMES: Readonly<Record<SocketOptionName, string>> = {
  sndhwm: 'sendHighWaterMark',
  rcvhwm: 'receiveHighWaterMark',
  linger: 'linger',
  immediate: 'immediate',
  conflate: 'conflate',
  sndtimeo: 'sendTimeout',
  rcvtimeo: 'receiveTimeout',
  sndbuf: 'sendBufferSize',
  rcvbuf: 'receiveBufferSize',
  nodrop: 'noDrop',
  mandatory: 'mandatory',
  backlog: 'backlog',
  heartbeatIvl: 'heartbeatInterval',
  heartbeatTimeout: 'heartbeatTimeout',
  heartbeatTtl: 'heartbeatTimeToLive',
  reconnectIvl: 'reconnectInterval',
  reconnectIvlMax: 'reconnectMaxInterval',
  tcpKeepalive: 'tcpKeepalive',
  tcpKeepaliveIdle: 'tcpKeepaliveIdle',
  tcpKeepaliveCnt: 'tcpKeepaliveCount',
  tcpKeepaliveIntvl: 'tcpKeepaliveInterval',
  handshakeIvl: 'handshakeInterval',
  connectTimeout: 'connectTimeout',
  handover: 'handover',
  probeRouter: 'probeRouter',
  routingId: 'routingId',
  maxMsgSize: 'maxMessageSize',
  // zeromq.js folds ZMQ_XPUB_VERBOSE and ZMQ_XPUB_VERBOSER into one write-only `verbosity`
  // ('allSubs', 'allSubsUnsubs'): the engine sets it from these (zeromqjs-engine.ts)
  xpubVerbose: 'verbosity',
  xpubVerboser: 'verbosity',
  xpubWelcomeMsg: 'welcomeMessage',
};

/**
 * Options neither libzmq nor zeromq.js can read back (getsockopt answers EINVAL, or zeromq.js
 * defines no getter): result.json reports them as set. conflate is write-only in zeromq.js.
 */
export const WRITE_ONLY_OPTIONS: readonly SocketOptionName[] = [
  'conflate',
  'nodrop',
  'mandatory',
  'handover',
  'probeRouter',
  'xpubVerbose',
  'xpubVerboser',
  'xpubWelcomeMsg',
];

const SEND: readonly SocketOptionName[] = ['sndhwm', 'sndtimeo', 'sndbuf'];
const RECEIVE: readonly SocketOptionName[] = ['rcvhwm', 'rcvtimeo', 'rcvbuf'];
const LIVENESS: readonly SocketOptionName[] = [
  'heartbeatIvl',
  'heartbeatTimeout',
  'heartbeatTtl',
  'reconnectIvl',
  'reconnectIvlMax',
  'tcpKeepalive',
  'tcpKeepaliveIdle',
  'tcpKeepaliveCnt',
  'tcpKeepaliveIntvl',
  'handshakeIvl',
  'connectTimeout',
  'maxMsgSize',
];
const ANY: readonly SocketOptionName[] = ['linger', 'immediate', 'backlog', ...LIVENESS];
/** ZMQ_ROUTING_ID: zeromq.js defines routingId on these classes only. */
const ROUTED: readonly SocketOptionName[] = ['routingId'];

function inSchemaOrder(names: readonly SocketOptionName[]): readonly SocketOptionName[] {
  return Object.freeze(OPTION_NAMES.filter((n) => names.includes(n)));
}

const ALLOWED: Readonly<Record<SocketType, readonly SocketOptionName[]>> = {
  pub: inSchemaOrder([...SEND, ...ANY, 'conflate', 'nodrop']),
  sub: inSchemaOrder([...RECEIVE, ...ANY, 'conflate']),
  push: inSchemaOrder([...SEND, ...ANY, 'conflate']),
  pull: inSchemaOrder([...RECEIVE, ...ANY, 'conflate']),
  req: inSchemaOrder([...SEND, ...RECEIVE, ...ANY, ...ROUTED, 'probeRouter']),
  rep: inSchemaOrder([...SEND, ...RECEIVE, ...ANY, ...ROUTED]),
  dealer: inSchemaOrder([...SEND, ...RECEIVE, ...ANY, ...ROUTED, 'conflate', 'probeRouter']),
  router: inSchemaOrder([...SEND, ...RECEIVE, ...ANY, ...ROUTED, 'mandatory', 'handover', 'probeRouter']),
  xpub: inSchemaOrder([...SEND, ...RECEIVE, ...ANY, 'nodrop', 'xpubVerbose', 'xpubVerboser', 'xpubWelcomeMsg']),
  xsub: inSchemaOrder([...SEND, ...RECEIVE, ...ANY]),
  pair: inSchemaOrder([...SEND, ...RECEIVE, ...ANY]),
  radio: inSchemaOrder([...SEND, ...ANY]),
  dish: inSchemaOrder([...RECEIVE, ...ANY]),
};

/** The options a socket type accepts, in schema order. */
export function allowedOptions(type: SocketType): readonly SocketOptionName[] {
  return ALLOWED[type];
}

export function isOptionAllowed(type: SocketType, name: string): name is SocketOptionName {
  return (ALLOWED[type] as readonly string[]).includes(name);
}

/**
 * Options as zeromq.js properties, for setting on a socket after `new X()`. Throws on an option
 * the type lacks: validation has refused those already, so this is a programming error.
 */
export function toZmqOptions(type: SocketType, options: SocketOptions): Record<string, number | boolean | string> {
  const out: Record<string, number | boolean | string> = {};
  for (const name of OPTION_NAMES) {
    const value = options[name];
    if (value === undefined) continue;
    if (!isOptionAllowed(type, name)) throw new Error(`option ${name} is not available on ${type} sockets`);
    out[ZMQ_OPTION_NAMES[name]] = value;
  }
  return out;
}
