import { createRequire } from 'node:module';
import type { CurveKeyPair } from '../../scenario/plan.js';
import { isDraftType, type SocketOptionName } from '../../scenario/schema.js';
import type { EngineProxy, EngineSocket, ProxySockets, SocketEngine, SocketEvent, SocketSpec } from '../engine.js';
import {
  toNativeValue,
  ZMQ_CURVE_PUBLICKEY,
  ZMQ_CURVE_SECRETKEY,
  ZMQ_CURVE_SERVER,
  ZMQ_CURVE_SERVERKEY,
  ZMQ_LINGER,
  ZMQ_OPTION_IDS,
  ZMQ_SOCKET_TYPES,
} from './constants.js';
import { adoptNativeContext, nativeContext, shareNativeContext } from './context.js';
import { libraryCandidates } from './library-path.js';
import { type Libzmq, loadLibzmq, ZMQ_MSG_BYTES, type ZmqPointer } from './libzmq.js';
import { Monitor } from './monitor.js';
import { NativeSocket, type ThreadKit, zmqError } from './native-socket.js';
import { NativeProxy } from './proxy.js';
import { Waiter } from './waiter.js';

/**
 * The native engine: libzmq's C API called synchronously through koffi, on the libzmq the
 * zeromq package ships. A send or receive that libzmq completes at once answers at once (no
 * promise, no tick); one that must wait is polled by the thread's Waiter.
 */
export interface NativeEngine extends SocketEngine {
  /** the library file loaded */
  readonly library: string;
  /** The process's context, to hand to worker threads (see context.ts). */
  shareContext(): SharedArrayBuffer;
  /** In a worker thread, before its first socket: use the context another thread shared. */
  adoptContext(shared: SharedArrayBuffer): void;
}

function setInt(lib: Libzmq, socket: ZmqPointer, option: number, value: number): void {
  const bytes = Buffer.alloc(4);
  bytes.writeInt32LE(value);
  if (lib.setsockopt(socket, option, bytes, 4) !== 0) throw zmqError(lib, `setsockopt ${option}`);
}

function setText(lib: Libzmq, socket: ZmqPointer, option: number, value: string): void {
  const bytes = Buffer.from(value);
  if (lib.setsockopt(socket, option, bytes, bytes.length) !== 0) throw zmqError(lib, `setsockopt ${option}`);
}

/** Options, linger 0 unless given (like zeromq.js with blocky off), then CURVE before any bind or connect. */
function configure(lib: Libzmq, socket: ZmqPointer, spec: SocketSpec): void {
  setInt(lib, socket, ZMQ_LINGER, 0);
  for (const [name, value] of Object.entries(spec.options) as Array<[SocketOptionName, number | boolean | string | undefined]>) {
    // off by default; and ZMQ_XPUB_VERBOSER set to 0 after ZMQ_XPUB_VERBOSE would turn that off too
    if (value === undefined || (value === false && (name === 'xpubVerbose' || name === 'xpubVerboser'))) continue;
    const option = ZMQ_OPTION_IDS[name];
    const bytes = toNativeValue(option, value);
    if (lib.setsockopt(socket, option.id, bytes, bytes.length) !== 0) throw zmqError(lib, `setsockopt ${name}`);
  }
  const curve = spec.curve;
  if (curve?.as === 'server') {
    setInt(lib, socket, ZMQ_CURVE_SERVER, 1);
    setText(lib, socket, ZMQ_CURVE_SECRETKEY, curve.secretKey);
  } else if (curve?.as === 'client') {
    setText(lib, socket, ZMQ_CURVE_SERVERKEY, curve.serverKey);
    setText(lib, socket, ZMQ_CURVE_PUBLICKEY, curve.publicKey);
    setText(lib, socket, ZMQ_CURVE_SECRETKEY, curve.secretKey);
  }
}

function zeromqPackageVersion(): string {
  try {
    return (createRequire(import.meta.url)('zeromq/package.json') as { version: string }).version;
  } catch {
    return 'none';
  }
}

function makeEngine(lib: Libzmq): NativeEngine {
  let kit: ThreadKit | null = null;
  const threadKit = (): ThreadKit => {
    if (kit === null) {
      const msg = Buffer.alloc(ZMQ_MSG_BYTES);
      lib.msgInit(msg);
      kit = { lib, waiter: new Waiter(lib), msg };
    }
    return kit;
  };
  return {
    name: 'native',
    synchronous: true,
    library: lib.path,
    draftUnavailable: typeof lib.draft === 'string' ? lib.draft : null,
    // the zeromq package's version names the build whose libzmq is loaded (none: a system libzmq)
    versions: { zeromqJs: lib.path.includes('zeromq') ? zeromqPackageVersion() : 'none', libzmq: lib.version },

    curveKeyPair(): CurveKeyPair {
      const publicKey = Buffer.alloc(41);
      const secretKey = Buffer.alloc(41);
      if (lib.curveKeypair(publicKey, secretKey) !== 0) throw zmqError(lib, 'zmq_curve_keypair');
      return { publicKey: publicKey.toString('latin1', 0, 40), secretKey: secretKey.toString('latin1', 0, 40) };
    },

    open(spec: SocketSpec, onEvent?: (event: SocketEvent) => void): EngineSocket {
      if (isDraftType(spec.type) && typeof lib.draft === 'string') throw new Error(lib.draft);
      const ctx = nativeContext(lib);
      const socket = lib.socket(ctx, ZMQ_SOCKET_TYPES[spec.type]);
      if (socket === null) throw zmqError(lib, `zmq_socket ${spec.type}`);
      try {
        configure(lib, socket, spec);
        const k = threadKit();
        const monitor = onEvent ? new Monitor(lib, ctx, socket, k.msg, onEvent) : null;
        const timeouts = { send: spec.options.sndtimeo ?? -1, receive: spec.options.rcvtimeo ?? -1 };
        return new NativeSocket(spec.type, socket, k, timeouts, monitor);
      } catch (e) {
        lib.close(socket);
        throw e;
      }
    },

    /** Received frames are copies in JS memory and sends copy into libzmq: every frame is safe to send again. */
    resendable(frames: readonly Buffer[]): Buffer[] {
      return [...frames];
    },

    runProxy(sockets: ProxySockets): EngineProxy {
      const pointer = (socket: EngineSocket, which: string): ZmqPointer => {
        const p = socket instanceof NativeSocket ? socket.pointer : null;
        if (p === null) throw new Error(`a native proxy needs an open socket of the native engine as its ${which}`);
        return p;
      };
      const k = threadKit();
      return new NativeProxy(lib, nativeContext(lib), k.waiter, k.msg, {
        frontend: pointer(sockets.frontend, 'frontend'),
        backend: pointer(sockets.backend, 'backend'),
        capture: sockets.capture === null ? null : pointer(sockets.capture, 'capture'),
      });
    },

    shareContext: () => shareNativeContext(lib),
    adoptContext: (shared) => adoptNativeContext(lib, shared),
  };
}

export type NativeEngineLoad = { engine: NativeEngine } | { reason: string };

let loaded: NativeEngineLoad | null = null;

/** The engine from a list of library files to try, best first (tests simulate a missing library with it). */
export function loadNativeEngineFrom(candidates: readonly string[]): NativeEngineLoad {
  const result = loadLibzmq(candidates);
  return 'lib' in result ? { engine: makeEngine(result.lib) } : { reason: `the native engine is not available: ${result.reason}` };
}

/**
 * The native engine of this thread, or one line saying why it cannot be had (no koffi for this
 * platform, no libzmq with the C API exported). Loads once per thread; never throws.
 */
export function loadNativeEngine(): NativeEngineLoad {
  loaded ??= loadNativeEngineFrom(libraryCandidates());
  return loaded;
}
