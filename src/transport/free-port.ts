import { createSocket, type Socket as DgramSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';

/**
 * Free loopback tcp ports, for runs whose connecting sockets dial before anything binds
 * (`start: connect-first`): their address must be known before the bind.
 *
 * The ports come from below the kernel's ephemeral range (ip_local_port_range), not from it:
 * a socket that keeps dialling a port inside that range can be given that very port as its own
 * source port and connect to itself (tcp simultaneous open), and any outgoing connection of
 * the machine could take it meanwhile. Each candidate is tried by listening on it; every
 * listener stays open until all `count` ports are found (so no port comes twice), then all are
 * closed and the ports handed out. Another program could still bind one in the moment before
 * zmq does: the bind then fails with EADDRINUSE, which fails the run with that message.
 *
 * `udp`: free udp ports, tried the same way with a datagram socket. libzmq's udp transport
 * cannot bind a wildcard port (`udp://127.0.0.1:*` binds nothing real and reports `:*` back),
 * so a DISH always binds a port found here.
 */
export async function reserveLoopbackPorts(
  count: number,
  range: PortRange = portsBelowEphemeral(),
  protocol: 'tcp' | 'udp' = 'tcp',
): Promise<number[]> {
  const holders: Holder[] = [];
  try {
    const ports: number[] = [];
    const tried = new Set<number>();
    while (ports.length < count) {
      if (tried.size >= range.last - range.first + 1) throw new Error(`no free loopback port between ${range.first} and ${range.last}`);
      const port = range.first + Math.floor(Math.random() * (range.last - range.first + 1));
      if (tried.has(port)) continue;
      tried.add(port);
      const holder = protocol === 'tcp' ? await listens(createServer(), port) : await receives(createSocket('udp4'), port);
      if (holder !== null) {
        holders.push(holder);
        ports.push(port);
      }
    }
    return ports;
  } finally {
    await Promise.all(holders.map((close) => close()));
  }
}

/** Closes what holds a port, once every port is found. */
type Holder = () => Promise<void>;

export interface PortRange {
  first: number;
  last: number;
}

/** Linux's default ephemeral range starts at 32768; below it, ports no outgoing connection is given. */
const DEFAULT_EPHEMERAL_FIRST = 32768;
/** The lowest port tried: clear of the well-known and most registered service ports. */
const LOWEST = 20000;

/** The ports between LOWEST and the start of this machine's ephemeral range. */
export function portsBelowEphemeral(rangeFile = '/proc/sys/net/ipv4/ip_local_port_range'): PortRange {
  let ephemeralFirst = DEFAULT_EPHEMERAL_FIRST;
  try {
    const first = Number.parseInt(readFileSync(rangeFile, 'utf8').trim().split(/\s+/)[0] ?? '', 10);
    if (Number.isInteger(first) && first > 0) ephemeralFirst = first;
  } catch {
    // not Linux: keep the default
  }
  // A range configured to start very low leaves the ports below it, down to 1024.
  const first = Math.min(LOWEST, Math.max(1024, ephemeralFirst - 1000));
  return { first, last: Math.max(first, ephemeralFirst - 1) };
}

/** The server listening on the port (it then stays listening until its holder is called); null when taken. */
function listens(server: Server, port: number): Promise<Holder | null> {
  return new Promise((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => (e.code === 'EADDRINUSE' || e.code === 'EACCES' ? resolve(null) : reject(e)));
    // exclusive: a port shared with a cluster primary would not be ours alone
    server.listen({ host: '127.0.0.1', port, exclusive: true }, () =>
      resolve(() => new Promise<void>((done) => server.close(() => done()))),
    );
  });
}

/** A datagram socket bound to the port (it stays bound until its holder is called); null when taken. */
function receives(socket: DgramSocket, port: number): Promise<Holder | null> {
  return new Promise((resolve, reject) => {
    socket.once('error', (e: NodeJS.ErrnoException) => {
      socket.close();
      return e.code === 'EADDRINUSE' || e.code === 'EACCES' ? resolve(null) : reject(e);
    });
    socket.bind({ address: '127.0.0.1', port, exclusive: true }, () =>
      resolve(() => new Promise<void>((done) => socket.close(() => done()))),
    );
  });
}
