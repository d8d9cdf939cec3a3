import { createRequire } from 'node:module';
import * as zmq from 'zeromq';
import type { SocketType, SocketOptions, SocketOptionName } from '../scenario/schema.js';
import { ZMQ_OPTION_NAMES } from '../scenario/socket-options.js';

/**
 * The only module that imports `zeromq`. Roles get sockets from here, already configured,
 * and never see the library's classes directly.
 */

// One undeliverable message would otherwise hang process exit forever (ZEROMQ-NOTES trap 2):
// with blocky off, new sockets default to linger 0.
zmq.context.blocky = false;

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
 * has already checked them against the socket type.
 */
export function createSocket(type: SocketType, options: SocketOptions): ZmqSocket {
  const socket = new CONSTRUCTORS[type]() as ZmqSocket;
  const target = socket as unknown as Record<string, unknown>;
  for (const [name, value] of Object.entries(options) as Array<[SocketOptionName, unknown]>) {
    if (value !== undefined) target[ZMQ_OPTION_NAMES[name]] = value;
  }
  return socket;
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
