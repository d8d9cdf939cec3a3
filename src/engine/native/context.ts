import { ZMQ_BLOCKY, ZMQ_MAX_SOCKETS, ZMQ_SOCKET_LIMIT } from './constants.js';
import type { Libzmq, ZmqPointer } from './libzmq.js';

/**
 * One libzmq context for the whole process: inproc endpoints live in a context, so a native
 * group in one worker thread reaches another thread's only through the same context.
 *
 * A module's state is per thread (each worker has its own module instances), so the context
 * travels as its address in a SharedArrayBuffer: the thread that creates it calls
 * `shareNativeContext()` and hands the buffer to its workers (workerData), which call
 * `adoptNativeContext(buffer)` before opening a socket. A thread that adopts nothing creates a
 * context of its own on its first socket (inproc then works within that thread only).
 *
 * The context is never terminated: zmq_ctx_term waits for every socket of every thread, and
 * with linger 0 nothing is left to flush at exit. Sockets are closed one by one.
 */

let context: ZmqPointer | null = null;

function create(lib: Libzmq): ZmqPointer {
  const ctx = lib.ctxNew();
  if (ctx === null) throw new Error(`zmq_ctx_new failed: ${lib.strerror(lib.errno())}`);
  // like zeromq.js with blocky off: a socket closed with messages unsent never holds up exit
  lib.ctxSet(ctx, ZMQ_BLOCKY, 0);
  // the default 1,023 sockets is too few for large scenarios (a monitor costs two more)
  lib.ctxSet(ctx, ZMQ_MAX_SOCKETS, Math.min(lib.ctxGet(ctx, ZMQ_SOCKET_LIMIT), 65_535));
  return ctx;
}

/** This thread's context, created on first use unless one was adopted. */
export function nativeContext(lib: Libzmq): ZmqPointer {
  context ??= create(lib);
  return context;
}

/** The context's address in shared memory, for the threads that should share it. */
export function shareNativeContext(lib: Libzmq): SharedArrayBuffer {
  const shared = new SharedArrayBuffer(8);
  new BigUint64Array(shared)[0] = lib.address(nativeContext(lib));
  return shared;
}

/** Use the context another thread shared. Throws when this thread has made one of its own already. */
export function adoptNativeContext(lib: Libzmq, shared: SharedArrayBuffer): void {
  const address = new BigUint64Array(shared)[0] ?? 0n;
  if (address === 0n) throw new Error('the shared native context is empty');
  if (context !== null && lib.address(context) !== address) throw new Error('this thread has a native context of its own already');
  context = lib.pointerAt(address);
}
