import { createRequire } from 'node:module';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import * as zmq from 'zeromq';
import type * as Draft from 'zeromq/lib/draft.js';
import type { CurveKeyPair } from '../scenario/plan.js';
import { isDraftType, type DraftType, type SocketOptionName, type SocketType } from '../scenario/schema.js';
import { ZMQ_OPTION_NAMES } from '../scenario/socket-options.js';
import {
  connectableEndpoint,
  errorCode,
  SOCKET_EVENT_TYPES,
  type EngineProxy,
  type EngineSocket,
  type Outgoing,
  type ProxySockets,
  type SocketEngine,
  type SocketEvent,
  type SocketSpec,
} from './engine.js';

/**
 * The zeromq.js engine: the only module that imports `zeromq`. Every trap of the binding that
 * zmq-bench knows of (docs/zeromq-traps.md) is handled here, behind the engine interface.
 */

// One undeliverable message would otherwise hang process exit forever (trap 2):
// with blocky off, new sockets default to linger 0.
zmq.context.blocky = false;
// libzmq allows 1,023 sockets per context by default, and every socket zmq-bench monitors brings
// two more (the monitor's PAIR ends): a 1,000-socket scenario failed with "Too many open file
// descriptors" long before the process's fd limit. Raise it as far as libzmq allows.
zmq.context.maxSockets = Math.min(zmq.context.maxSocketsLimit, 65_535);

type ZmqSocket = zmq.Socket & zmq.Readable & zmq.Writable;

const CONSTRUCTORS: Record<Exclude<SocketType, DraftType>, new () => zmq.Socket> = {
  pub: zmq.Publisher,
  sub: zmq.Subscriber,
  push: zmq.Push,
  pull: zmq.Pull,
  req: zmq.Request,
  rep: zmq.Reply,
  dealer: zmq.Dealer,
  router: zmq.Router,
  xpub: zmq.XPublisher,
  xsub: zmq.XSubscriber,
  pair: zmq.Pair,
};

/** Why this build cannot open RADIO or DISH sockets; null when it can. */
const DRAFT_UNAVAILABLE = zmq.capability.draft
  ? null
  : `the zeromq.js build loaded has no draft API (libzmq ${zmq.version} without ZMQ_BUILD_DRAFT_API), so it has no radio or dish sockets`;

let draftModule: typeof Draft | null = null;

/**
 * zeromq.js's draft classes, loaded on the first RADIO or DISH socket. Not through `zeromq/draft`:
 * that entry point is `zeromq/lib/draft` plus a check of capability.draft (made above) and a
 * process warning ("ZeroMQ draft features are experimental and could change at any time.")
 * printed into every run's console, and into the stderr of every worker that opens one. The
 * classes are the same ones, with their options: lib/index.js has loaded lib/draft already to
 * define them. The package has no exports map, so the file is reachable through require.
 * A zeromq.js DISH with a receive pending keeps a CPU core busy (docs/zeromq-traps.md 35).
 */
function draftConstructor(type: DraftType): new () => zmq.Socket {
  if (DRAFT_UNAVAILABLE !== null) throw new Error(DRAFT_UNAVAILABLE);
  draftModule ??= createRequire(import.meta.url)('zeromq/lib/draft') as typeof Draft;
  return type === 'radio' ? draftModule.Radio : draftModule.Dish;
}

/**
 * Options are set as properties after construction, never through the constructor: a
 * constructor options object that throws can crash the process at exit (trap 1). Validation
 * has already checked them against the socket type. CURVE is set here too, before the socket
 * binds or connects (libzmq takes the mechanism when a connection starts).
 */
function createSocket(spec: SocketSpec): ZmqSocket {
  const type = spec.type;
  const socket = new (isDraftType(type) ? draftConstructor(type) : CONSTRUCTORS[type])() as ZmqSocket;
  const target = socket as unknown as Record<string, unknown>;
  for (const [name, value] of Object.entries(spec.options) as Array<[SocketOptionName, unknown]>) {
    const set = value === undefined ? undefined : zeromqjsValue(name, value);
    if (set !== undefined) target[ZMQ_OPTION_NAMES[name]] = set;
  }
  // Write-only: reading a CURVE key option back throws EINVAL (measured), so nothing reads them.
  const curve = spec.curve;
  if (curve?.as === 'server') {
    socket.curveServer = true;
    socket.curveSecretKey = curve.secretKey;
  } else if (curve?.as === 'client') {
    socket.curveServerKey = curve.serverKey;
    socket.curvePublicKey = curve.publicKey;
    socket.curveSecretKey = curve.secretKey;
  }
  return socket;
}

/**
 * zeromq.js folds ZMQ_XPUB_VERBOSE and ZMQ_XPUB_VERBOSER into one write-only `verbosity`
 * property: 'allSubs' sets the first, 'allSubsUnsubs' the second. Both are off on a new socket,
 * so false sets nothing (undefined: leave the option alone). Every other option takes its value
 * as it is.
 */
function zeromqjsValue(name: SocketOptionName, value: unknown): unknown {
  if (name === 'xpubVerbose') return value === true ? 'allSubs' : undefined;
  if (name === 'xpubVerboser') return value === true ? 'allSubsUnsubs' : undefined;
  return value;
}

/** The types whose send gets EAGAIN only when no peer can take the message (trap 27). */
const SEND_TO_ANY_PEER: ReadonlySet<SocketType> = new Set(['push', 'dealer', 'req', 'pair']);

/** A RADIO's message as the engine seam gives it, [group, body], as zeromq.js sends it: the body, with its group. */
function radioMessage(message: Outgoing): [Buffer, { group: Buffer }] {
  if (!Array.isArray(message) || message.length !== 2) throw new Error('a radio message is [group, body]');
  return [message[1]!, { group: message[0]! }];
}

/** One zeromq.js socket behind the engine interface; its promises are zeromq.js's own. */
class ZeromqjsSocket implements EngineSocket {
  readonly released: Promise<void>;
  private releaseOnClose: (() => void) | null = null;
  private readonly retriesLostRaces: boolean;
  /** radio and dish: the group travels beside the message */
  private readonly grouped: boolean;

  constructor(
    readonly type: SocketType,
    /** the zeromq.js socket itself, for a Proxy of this module; nothing else touches it */
    readonly socket: ZmqSocket,
    onEvent: ((event: SocketEvent) => void) | undefined,
    sendTimeout: number | undefined,
  ) {
    this.retriesLostRaces = SEND_TO_ANY_PEER.has(type) && (sendTimeout === undefined || sendTimeout < 0);
    this.grouped = isDraftType(type);
    if (onEvent) {
      // Keep the observer itself: `socket.events` throws ENOTSOCK once the socket is closed.
      // Never close it by hand (later connections of the process fail, docs/zeromq-traps.md 1):
      // it ends by itself once the socket is closed, and `released` waits for that.
      const observer = socket.events;
      for (const type of SOCKET_EVENT_TYPES) observer.on(type, (e: { address?: string }) => onEvent({ type, address: e.address ?? '' }));
      this.released = new Promise<void>((resolve) => observer.on('end', () => resolve()));
    } else {
      this.released = new Promise<void>((resolve) => (this.releaseOnClose = resolve));
    }
  }

  get closed(): boolean {
    return this.socket.closed;
  }

  get writable(): boolean {
    return this.socket.writable;
  }

  get lastEndpoint(): string {
    return connectableEndpoint(this.socket.lastEndpoint ?? '');
  }

  bind(address: string): Promise<void> {
    return this.socket.bind(address);
  }

  connect(address: string): void {
    this.socket.connect(address);
  }

  subscribe(prefixes: readonly string[]): void {
    (this.socket as unknown as zmq.Subscriber).subscribe(...prefixes);
  }

  join(groups: readonly string[]): void {
    (this.socket as unknown as Draft.Dish).join(...groups);
  }

  /** The socket's own send, with a RADIO's group beside the body. */
  private sendOnce(message: Outgoing): Promise<void> {
    return this.grouped ? (this.socket as unknown as Draft.Radio).send(...radioMessage(message)) : this.socket.send(message);
  }

  /**
   * zeromq.js sends once the socket looks writable, with ZMQ_DONTWAIT: a PUSH, DEALER or REQ whose
   * last peer goes away between that check and the send gets EAGAIN, although its send timeout
   * says to wait for ever (trap 27). Such a send is tried again, and then waits as it should.
   */
  send(message: Outgoing, onWait?: () => void): Promise<void> {
    const sending = this.sendOnce(message);
    return this.retriesLostRaces ? sending.catch((e: unknown) => this.sendAfterLostRace(e, message, onWait)) : sending;
  }

  private async sendAfterLostRace(error: unknown, message: Outgoing, onWait: (() => void) | undefined): Promise<void> {
    if (errorCode(error) !== 'EAGAIN' || this.socket.closed) throw error;
    onWait?.();
    for (;;) {
      await yieldToLoop(); // a socket that still looks writable must not spin the loop
      try {
        return await this.sendOnce(message);
      } catch (e) {
        if (errorCode(e) !== 'EAGAIN' || this.socket.closed) throw e;
      }
    }
  }

  /**
   * zeromq.js asks libzmq only once the socket is writable, which a REQ before its reply (or a
   * REP before a receive) never becomes: with the default send timeout (-1) such a send never
   * settles (docs/zeromq-traps.md 7). A timeout of 0 for this one send makes it fail at once.
   */
  async sendNow(message: Outgoing): Promise<void> {
    const timeout = this.socket.sendTimeout;
    this.socket.sendTimeout = 0;
    try {
      await this.sendOnce(message);
    } finally {
      if (!this.socket.closed) this.socket.sendTimeout = timeout;
    }
  }

  receive(): Promise<Buffer[]> {
    if (!this.grouped) return this.socket.receive();
    // a DISH answers [body, { group }]: the group goes first, like a topic frame
    return (this.socket as unknown as Draft.Dish).receive().then(([body, { group }]) => [group, body]);
  }

  readOptions(names: readonly SocketOptionName[]): Record<string, unknown> {
    const source = this.socket as unknown as Record<string, unknown>;
    return Object.fromEntries(names.map((n) => [n, source[ZMQ_OPTION_NAMES[n]]]));
  }

  /** A Proxy closes its sockets itself when it ends: such a socket is released all the same. */
  close(): void {
    if (!this.socket.closed) this.socket.close();
    this.releaseOnClose?.();
  }
}

/** The zeromq.js socket behind an engine socket of this engine. */
function zmqSocketOf(socket: EngineSocket): zmq.Socket {
  if (!(socket instanceof ZeromqjsSocket)) throw new Error('a zeromq.js proxy needs sockets of the zeromq.js engine');
  return socket.socket;
}

/**
 * zeromq.js's Proxy: zmq_proxy_steerable on a libuv threadpool thread, steered through a DEALER
 * control socket of its own (so no STATISTICS can be read back), and closing both sockets when
 * it ends. It takes no capture socket. A terminate after its end would throw EBADF: it is dropped.
 */
function runZeromqjsProxy(sockets: ProxySockets): EngineProxy {
  if (sockets.capture !== null) throw new Error("zeromq.js's Proxy takes no capture socket (validation refuses one)");
  const proxy = new zmq.Proxy(zmqSocketOf(sockets.frontend), zmqSocketOf(sockets.backend));
  let running = true;
  const done = proxy.run().finally(() => {
    running = false;
  });
  return {
    done,
    counters: () => null,
    terminate: () => {
      if (running) proxy.terminate();
    },
  };
}

function readZeromqJsVersion(): string {
  // The package has no exports map, so its package.json is reachable through require.
  try {
    return (createRequire(import.meta.url)('zeromq/package.json') as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** zeromq.js sends Buffers above this size without a copy (trap 3). */
const ZERO_COPY_ABOVE_BYTES = 128;

export const zeromqjsEngine: SocketEngine = {
  name: 'zeromq.js',
  synchronous: false,
  draftUnavailable: DRAFT_UNAVAILABLE,
  versions: { zeromqJs: readZeromqJsVersion(), libzmq: zmq.version },

  curveKeyPair(): CurveKeyPair {
    const { publicKey, secretKey } = zmq.curveKeyPair();
    return { publicKey, secretKey };
  },

  open(spec: SocketSpec, onEvent?: (event: SocketEvent) => void): EngineSocket {
    return new ZeromqjsSocket(spec.type, createSocket(spec), onEvent, spec.options.sndtimeo);
  },

  /**
   * A received frame above 128 bytes wraps memory libzmq still owns and frees when the Buffer
   * is collected; sending it as it is hands the same memory to libzmq a second time, zero-copy,
   * with a release of its own: over inproc that is a double free ("double free or corruption",
   * SIGABRT) in a pipeline worker or an echoing REP/ROUTER (docs/zeromq-traps.md 3). A frame
   * already sent is in libzmq's hands the same way. Small frames are copied by zeromq.js anyway.
   */
  resendable(frames: readonly Buffer[]): Buffer[] {
    return frames.map((f) => (f.length > ZERO_COPY_ABOVE_BYTES ? Buffer.from(f) : f));
  },

  runProxy: runZeromqjsProxy,
};
