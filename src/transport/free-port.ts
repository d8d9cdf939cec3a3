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
 */
export async function reserveLoopbackPorts(count: number, range: PortRange = portsBelowEphemeral()): Promise<number[]> {
  const servers: Server[] = [];
  try {
    const ports: number[] = [];
    const tried = new Set<number>();
    while (ports.length < count) {
      if (tried.size >= range.last - range.first + 1) throw new Error(`no free loopback port between ${range.first} and ${range.last}`);
      const port = range.first + Math.floor(Math.random() * (range.last - range.first + 1));
      if (tried.has(port)) continue;
      tried.add(port);
      const server = createServer();
      if (await listens(server, port)) {
        servers.push(server);
        ports.push(port);
      }
    }
    return ports;
  } finally {
    await Promise.all(servers.map((s) => new Promise<void>((resolve) => (s.listening ? s.close(() => resolve()) : resolve()))));
  }
}

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

/** Whether the server could listen on the port (it then stays listening); false when taken. */
function listens(server: Server, port: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => (e.code === 'EADDRINUSE' || e.code === 'EACCES' ? resolve(false) : reject(e)));
    // exclusive: a port shared with a cluster primary would not be ours alone
    server.listen({ host: '127.0.0.1', port, exclusive: true }, () => resolve(true));
  });
}
