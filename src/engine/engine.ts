import type { ProxySideTraffic, ProxyTraffic } from '../core/types.js';
import type { CurveKeyPair, CurveSocketPlan } from '../scenario/plan.js';
import type { SocketOptionName, SocketOptions, SocketType } from '../scenario/schema.js';

/**
 * The seam between the roles and a ZeroMQ binding. Roles open, drive and close sockets only
 * through these interfaces; an engine module is the only place that imports its library.
 * zeromq.js (zeromqjs-engine.ts) is the first engine; a second one (libzmq's C API called
 * synchronously from the worker thread) is a new implementation of the same interfaces.
 *
 * Errors: a failed operation rejects (or throws) with an Error whose `code` is libzmq's errno
 * name (EAGAIN after a send or receive timeout, EFSM for a send out of the REQ/REP order, ...).
 *
 * RADIO and DISH (libzmq's draft API) carry a group with every message, outside its frames: a
 * RADIO sends [group, body] (one body frame: RADIO refuses multipart) as the body with that
 * group set, and a DISH receives [group, body], the group as a first frame, so that roles treat
 * it like a topic.
 */

/** What a socket is opened as; the options are already validated for the type. */
export interface SocketSpec {
  type: SocketType;
  options: SocketOptions;
  /** null: no CURVE (the NULL mechanism) */
  curve: CurveSocketPlan | null;
}

/** Socket monitor events an engine reports, by zeromq.js's names (the timeline shows them). */
export const SOCKET_EVENT_TYPES = [
  'connect',
  'disconnect',
  'accept',
  'handshake',
  'connect:retry',
  'bind:error',
  'accept:error',
  'handshake:error:protocol',
  'handshake:error:auth',
  'handshake:error:other',
] as const;
export type SocketEventType = (typeof SOCKET_EVENT_TYPES)[number];

export interface SocketEvent {
  type: SocketEventType;
  /** the endpoint concerned, '' when the event names none */
  address: string;
}

/**
 * A value at once, or a promise of it when the call must wait. zeromq.js always answers with a
 * promise; a synchronous engine answers at once whenever libzmq could complete the call without
 * waiting, so a caller awaits only promises and pays no tick per message otherwise.
 */
export type NowOrLater<T> = T | Promise<T>;

/** A send: undefined when the message went at once, else a promise that settles when it went (or failed). */
export type Sending = Promise<void> | undefined;

/** A message as sent: one frame, or the frames of a multipart message. */
export type Outgoing = Buffer | Buffer[];

export interface EngineSocket {
  readonly type: SocketType;
  /** true once close() was called */
  readonly closed: boolean;
  /** true when a send now would not wait for room in a queue */
  readonly writable: boolean;
  /** the endpoint last bound or connected, as libzmq resolved it (a wildcard port made real) */
  readonly lastEndpoint: string;
  bind(address: string): Promise<void>;
  connect(address: string): void;
  /** sub sockets: the prefixes to receive */
  subscribe(prefixes: readonly string[]): void;
  /** dish sockets: the groups to receive (whole names) */
  join(groups: readonly string[]): void;
  /**
   * Waits while the queue is full, as long as the socket's send timeout allows. One send in flight
   * at a time. `onWait` is called once if a send that looked possible had to wait after all (the
   * zeromq.js engine's lost race, docs/zeromq-traps.md 27), so that a sender can time that wait.
   */
  send(message: Outgoing, onWait?: () => void): Sending;
  /** A send that never waits: fails at once with EAGAIN (queue full) or EFSM (out of the REQ/REP order). */
  sendNow(message: Outgoing): Sending;
  /** The frames of the next message, envelopes first. One receive in flight at a time. */
  receive(): NowOrLater<Buffer[]>;
  /** The options as the socket reports them now (not after close: a closed socket has none to read). */
  readOptions(names: readonly SocketOptionName[]): Record<string, unknown>;
  /** Closes at once (linger as set; 0 by default) and ends a pending send or receive with an error. Closing twice is harmless. */
  close(): void;
  /** Settles once the socket is closed and nothing of it is pending any more (its monitor has stopped). */
  readonly released: Promise<void>;
}

/**
 * libzmq's proxy counters (zmq_proxy_steerable's STATISTICS reply): per side, what it received
 * and sent. libzmq 4.3.5 counts every frame of a multipart message (measured: a [topic, data]
 * message counts 2), so these are frames, not messages.
 */
export type ProxyCounters = ProxyTraffic;
export type ProxySideCounters = ProxySideTraffic;

/** The sockets a proxy runs between, bound and connected already; none of them may be used by the caller while it runs. */
export interface ProxySockets {
  frontend: EngineSocket;
  backend: EngineSocket;
  /** a copy of every message the proxy passes goes here; null: none */
  capture: EngineSocket | null;
}

/**
 * libzmq's own proxy (zmq_proxy_steerable), running on a thread of its own (libuv's threadpool)
 * from `runProxy` until `terminate`. The JS thread never forwards a message. No PAUSE or
 * RESUME: libzmq 4.3.5 mixes them up (docs/zeromq-traps.md 31).
 */
export interface EngineProxy {
  /** settles once the proxy has stopped (after terminate); rejects if it could not run */
  readonly done: Promise<void>;
  /** Its counters now; null when the engine cannot ask (zeromq.js's Proxy keeps its control socket to itself). */
  counters(): Promise<ProxyCounters> | null;
  /** libzmq's TERMINATE; `done` settles soon after. Harmless once stopped. */
  terminate(): void;
}

/** The binding's versions, recorded in every result's environment. */
export interface EngineVersions {
  zeromqJs: string;
  libzmq: string;
}

export interface SocketEngine {
  readonly name: string;
  readonly versions: EngineVersions;
  /** null when this engine can open RADIO and DISH sockets; else one line saying why not (a libzmq without the draft API) */
  readonly draftUnavailable: string | null;
  /**
   * true: send() answers undefined whenever the message went without waiting, and has copied
   * its bytes by the time it returns, so a sender times only the sends that wait (no
   * `writable` check per message) and may reuse a buffer once its send has settled.
   * zeromq.js: false (every send is a promise; frames over 128 B are sent zero-copy, trap 3).
   */
  readonly synchronous: boolean;
  /** A new CURVE key pair (Z85 text). */
  curveKeyPair(): CurveKeyPair;
  /** A socket, configured and not yet bound or connected; with `onEvent`, its monitor events go there. */
  open(spec: SocketSpec, onEvent?: (event: SocketEvent) => void): EngineSocket;
  /** Frames received (or sent) through this engine, made safe to send again. */
  resendable(frames: readonly Buffer[]): Buffer[];
  /**
   * Runs libzmq's proxy between sockets this engine opened (and bound or connected). zeromq.js
   * takes no capture socket (validation refuses one there: src/scenario/validate/proxies.ts).
   */
  runProxy(sockets: ProxySockets): EngineProxy;
}

/**
 * An endpoint as libzmq reports it, usable to connect to: libzmq reports a udp endpoint without
 * its scheme ("127.0.0.1:5599", measured with libzmq 4.3.5; trap 37), every other one with it.
 */
export function connectableEndpoint(reported: string): string {
  return reported === '' || reported.includes('://') ? reported : `udp://${reported}`;
}

/** The errno name an engine's error carries, if any. */
export function errorCode(e: unknown): string | undefined {
  if (typeof e !== 'object' || e === null || !('code' in e)) return undefined;
  return typeof e.code === 'string' ? e.code : undefined;
}
