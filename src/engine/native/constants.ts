import { constants } from 'node:os';
import type { SocketOptionName, SocketType } from '../../scenario/schema.js';
import type { SocketEventType } from '../engine.js';

/** libzmq's numbers (zmq.h of libzmq 4.3, zmq_draft.h for radio and dish), for the native engine. Pure data: no library is loaded here. */

export const ZMQ_SOCKET_TYPES: Readonly<Record<SocketType, number>> = {
  pair: 0,
  pub: 1,
  sub: 2,
  req: 3,
  rep: 4,
  dealer: 5,
  router: 6,
  pull: 7,
  push: 8,
  xpub: 9,
  xsub: 10,
  radio: 14,
  dish: 15,
};

export const ZMQ_DONTWAIT = 1;
export const ZMQ_SNDMORE = 2;
export const ZMQ_POLLIN = 1;
export const ZMQ_POLLOUT = 2;

export const ZMQ_SUBSCRIBE = 6;
export const ZMQ_EVENTS = 15;
export const ZMQ_LINGER = 17;
export const ZMQ_LAST_ENDPOINT = 32;
export const ZMQ_CURVE_SERVER = 47;
export const ZMQ_CURVE_PUBLICKEY = 48;
export const ZMQ_CURVE_SECRETKEY = 49;
export const ZMQ_CURVE_SERVERKEY = 50;

/** Context options. */
export const ZMQ_MAX_SOCKETS = 2;
export const ZMQ_SOCKET_LIMIT = 3;
export const ZMQ_BLOCKY = 70;

/**
 * How an option's value travels: a C int (booleans as 0/1), an int64_t (ZMQ_MAXMSGSIZE) or
 * bytes (ZMQ_ROUTING_ID, UTF-8).
 */
export interface NativeOption {
  id: number;
  kind: 'int' | 'bool' | 'int64' | 'bytes';
}

/** The scenario's option names → libzmq's option ids (ZMQ_SNDHWM, ...). */
export const ZMQ_OPTION_IDS: Readonly<Record<SocketOptionName, NativeOption>> = {
  sndhwm: { id: 23, kind: 'int' },
  rcvhwm: { id: 24, kind: 'int' },
  linger: { id: ZMQ_LINGER, kind: 'int' },
  immediate: { id: 39, kind: 'bool' },
  conflate: { id: 54, kind: 'bool' },
  sndtimeo: { id: 28, kind: 'int' },
  rcvtimeo: { id: 27, kind: 'int' },
  sndbuf: { id: 11, kind: 'int' },
  rcvbuf: { id: 12, kind: 'int' },
  nodrop: { id: 69, kind: 'bool' }, // ZMQ_XPUB_NODROP
  mandatory: { id: 33, kind: 'bool' }, // ZMQ_ROUTER_MANDATORY
  backlog: { id: 19, kind: 'int' },
  heartbeatIvl: { id: 75, kind: 'int' },
  heartbeatTimeout: { id: 77, kind: 'int' },
  heartbeatTtl: { id: 76, kind: 'int' },
  reconnectIvl: { id: 18, kind: 'int' },
  reconnectIvlMax: { id: 21, kind: 'int' },
  tcpKeepalive: { id: 34, kind: 'int' },
  tcpKeepaliveIdle: { id: 36, kind: 'int' },
  tcpKeepaliveCnt: { id: 35, kind: 'int' },
  tcpKeepaliveIntvl: { id: 37, kind: 'int' },
  handshakeIvl: { id: 66, kind: 'int' },
  connectTimeout: { id: 79, kind: 'int' },
  handover: { id: 56, kind: 'bool' }, // ZMQ_ROUTER_HANDOVER
  probeRouter: { id: 51, kind: 'bool' },
  routingId: { id: 5, kind: 'bytes' },
  maxMsgSize: { id: 22, kind: 'int64' },
  xpubVerbose: { id: 40, kind: 'bool' }, // ZMQ_XPUB_VERBOSE
  xpubVerboser: { id: 78, kind: 'bool' }, // ZMQ_XPUB_VERBOSER
  xpubWelcomeMsg: { id: 72, kind: 'bytes' }, // ZMQ_XPUB_WELCOME_MSG
};

/** An option value as the bytes libzmq's zmq_setsockopt takes for its kind. */
export function toNativeValue(option: NativeOption, value: number | boolean | string): Buffer {
  if (option.kind === 'bytes') return Buffer.from(String(value));
  const bytes = Buffer.alloc(option.kind === 'int64' ? 8 : 4);
  const n = typeof value === 'boolean' ? (value ? 1 : 0) : Number(value);
  if (option.kind === 'int64') bytes.writeBigInt64LE(BigInt(n));
  else bytes.writeInt32LE(n);
  return bytes;
}

/**
 * The bytes zmq_getsockopt wrote (`length` of them), as the scenario names the value: booleans as
 * booleans and routing ids as text, like zeromq.js reports them.
 */
export function fromNativeValue(option: NativeOption, bytes: Buffer, length: number): number | boolean | string {
  if (option.kind === 'bytes') return bytes.toString('utf8', 0, length);
  if (option.kind === 'int64') return Number(bytes.readBigInt64LE(0));
  const value = bytes.readInt32LE(0);
  return option.kind === 'bool' ? value !== 0 : value;
}

export const ZMQ_EVENT_ALL = 0xffff;
export const ZMQ_EVENT_MONITOR_STOPPED = 0x0400;

/** Monitor event ids → zeromq.js's names; the events zmq-bench does not report are absent. */
export const ZMQ_MONITOR_EVENTS: ReadonlyMap<number, SocketEventType> = new Map<number, SocketEventType>([
  [0x0001, 'connect'],
  [0x0004, 'connect:retry'],
  [0x0010, 'bind:error'],
  [0x0020, 'accept'],
  [0x0040, 'accept:error'],
  [0x0200, 'disconnect'],
  [0x0800, 'handshake:error:other'],
  [0x1000, 'handshake'],
  [0x2000, 'handshake:error:protocol'],
  [0x4000, 'handshake:error:auth'],
]);

/** libzmq's own error numbers start here (ZMQ_HAUSNUMERO); below it they are the platform's errno. */
const HAUSNUMERO = 156_384_712;
const ZMQ_ERRNO_NAMES: ReadonlyMap<number, string> = new Map([
  [HAUSNUMERO + 51, 'EFSM'],
  [HAUSNUMERO + 52, 'ENOCOMPATPROTO'],
  [HAUSNUMERO + 53, 'ETERM'],
  [HAUSNUMERO + 54, 'EMTHREAD'],
]);
/** The first name of each number wins: EAGAIN before its alias EWOULDBLOCK. */
const PLATFORM_ERRNO_NAMES: ReadonlyMap<number, string> = Object.entries(constants.errno).reduce(
  (names, [name, n]) => (names.has(n) ? names : names.set(n, name)),
  new Map<number, string>(),
);

/** The errno name of a libzmq error number (EAGAIN, EFSM, ENOTSOCK, ETERM, ...). */
export function errnoName(errno: number): string {
  return ZMQ_ERRNO_NAMES.get(errno) ?? PLATFORM_ERRNO_NAMES.get(errno) ?? `E${errno}`;
}
