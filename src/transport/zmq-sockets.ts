import { createRequire } from 'node:module';
import * as zmq from 'zeromq';
import type { CurveKeyPair, CurveSocketPlan } from '../scenario/plan.js';
import type { SocketType, SocketOptions, SocketOptionName } from '../scenario/schema.js';
import { ZMQ_OPTION_NAMES } from '../scenario/socket-options.js';

/**
 * The only module that imports `zeromq`. Roles get sockets from here, already configured,
 * and never see the library's classes directly.
 */

// One undeliverable message would otherwise hang process exit forever (ZEROMQ-NOTES trap 2):
// with blocky off, new sockets default to linger 0.
zmq.context.blocky = false;
// libzmq allows 1,023 sockets per context by default, and every socket zmq-bench monitors brings
// two more (the monitor's PAIR ends): a 1,000-socket scenario failed with "Too many open file
// descriptors" long before the process's fd limit. Raise it as far as libzmq allows.
zmq.context.maxSockets = Math.min(zmq.context.maxSocketsLimit, 65_535);

export type ZmqSocket = zmq.Socket & zmq.Readable & zmq.Writable;
export type ZmqEvent = zmq.Event;

const CONSTRUCTORS: Record<SocketType, new () => zmq.Socket> = {
  pub: zmq.Publisher,
  sub: zmq.Subscriber,
  push: zmq.Push,
  pull: zmq.Pull,
  req: zmq.Request,
  rep: zmq.Reply,
  dealer: zmq.Dealer,
  router: zmq.Router,
};


/**
 * Options are set as properties after construction, never through the constructor: a
 * constructor options object that throws can crash the process at exit (trap 1). Validation
 * has already checked them against the socket type. CURVE is set here too, before the socket
 * binds or connects (libzmq takes the mechanism when a connection starts).
 */
export function createSocket(spec: { type: SocketType; options: SocketOptions; curve: CurveSocketPlan | null }): ZmqSocket {
  const socket = new CONSTRUCTORS[spec.type]() as ZmqSocket;
  const target = socket as unknown as Record<string, unknown>;
  for (const [name, value] of Object.entries(spec.options) as Array<[SocketOptionName, unknown]>) {
    if (value !== undefined) target[ZMQ_OPTION_NAMES[name]] = value;
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

/** A new CURVE key pair (Z85 text), for one run. */
export function curveKeyPair(): CurveKeyPair {
  const { publicKey, secretKey } = zmq.curveKeyPair();
  return { publicKey, secretKey };
}

/** The options as the socket reports them after setting, for result.json. */
export function effectiveOptions(socket: ZmqSocket, names: readonly SocketOptionName[]): Record<string, unknown> {
  const source = socket as unknown as Record<string, unknown>;
  return Object.fromEntries(names.map((n) => [n, source[ZMQ_OPTION_NAMES[n]]]));
}

export function subscribe(socket: ZmqSocket, prefixes: readonly string[]): void {
  (socket as unknown as zmq.Subscriber).subscribe(...prefixes);
}

export function lastEndpoint(socket: ZmqSocket): string {
  return socket.lastEndpoint ?? '';
}

export const versions = { zeromqJs: readZeromqJsVersion(), libzmq: zmq.version };

function readZeromqJsVersion(): string {
  // The package has no exports map, so its package.json is reachable through require.
  try {
    return (createRequire(import.meta.url)('zeromq/package.json') as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** zeromq.js sends Buffers above this size without a copy (ZEROMQ-NOTES trap 3). */
const ZERO_COPY_ABOVE_BYTES = 128;

/**
 * Frames that were received, made safe to send again. A received frame above 128 bytes wraps
 * memory libzmq still owns and frees when the Buffer is collected; sending it as it is hands
 * the same memory to libzmq a second time, zero-copy, with a release of its own: over inproc
 * that is a double free ("double free or corruption", SIGABRT) in a pipeline worker or an
 * echoing REP/ROUTER. Small frames are copied by zeromq.js anyway.
 */
export function resendable(frames: readonly Buffer[]): Buffer[] {
  return frames.map((f) => (f.length > ZERO_COPY_ABOVE_BYTES ? Buffer.from(f) : f));
}
