import { execFile } from 'node:child_process';

/**
 * Established tcp connections of this host (or of one network namespace), read from
 * `ss -tnpH state established`: the 4-tuples that network faults act on.
 */

export interface Endpoint {
  ip: string;
  port: number;
}

/** One tcp connection, in either direction: `a` and `b` are its two ends. */
export interface Flow {
  a: Endpoint;
  b: Endpoint;
}

export interface TcpConnection {
  local: Endpoint;
  remote: Endpoint;
  /** Processes holding the socket (ss shows them only to root, or for one's own processes). */
  pids: number[];
}

/** `127.0.0.1:5555`, `[::1]:5555`, `[::ffff:127.0.0.1]:5555` (an IPv4 peer of a dual-stack socket: IPv4 on the wire). */
export function parseSsEndpoint(text: string): Endpoint | undefined {
  const m = /^\[?([^\]]*?)\]?:(\d+)$/.exec(text);
  if (!m) return undefined;
  let ip = m[1]!;
  // A socket bound to one interface is shown as `addr%dev`.
  ip = ip.replace(/%.*$/, '');
  if (/^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(ip)) ip = ip.slice(7);
  return { ip, port: Number(m[2]) };
}

/** Lines of `ss -tnpH state established`: `Recv-Q Send-Q local remote [users:(("node",pid=1,fd=2),...)]`. */
export function parseSsEstablished(text: string): TcpConnection[] {
  const out: TcpConnection[] = [];
  for (const line of text.split('\n')) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 4) continue;
    const local = parseSsEndpoint(fields[2]!);
    const remote = parseSsEndpoint(fields[3]!);
    if (!local || !remote) continue;
    const pids = [...line.matchAll(/pid=(\d+)/g)].map((p) => Number(p[1]));
    out.push({ local, remote, pids: [...new Set(pids)] });
  }
  return out;
}

/**
 * The established tcp connections, optionally inside network namespace `netns` (`ip netns exec`).
 * `processes`: with the processes holding each (`ss -p` walks every process's descriptors, which
 * takes seconds on a busy machine: network faults, timed, do without).
 */
export function establishedConnections(netns?: string, { processes = false } = {}): Promise<TcpConnection[]> {
  const [cmd, ...args] = inNetns(netns, ['ss', processes ? '-tnpH' : '-tnH', 'state', 'established']);
  return new Promise((resolve, reject) => {
    execFile(cmd!, args, { timeout: 5000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${[cmd, ...args].join(' ')} failed: ${(stderr || error.message).trim()}`));
      else resolve(parseSsEstablished(stdout));
    });
  });
}

/** `argv` run inside network namespace `netns`, or as is. */
export function inNetns(netns: string | undefined, argv: string[]): string[] {
  return netns === undefined ? argv : ['ip', 'netns', 'exec', netns, ...argv];
}

/** The flow of a connection seen from one of its ends. */
export function flowOf(c: TcpConnection): Flow {
  return { a: c.local, b: c.remote };
}

/** Whether a connection is the flow (in either direction). */
export function isFlow(c: TcpConnection, f: Flow): boolean {
  const same = (x: Endpoint, y: Endpoint) => x.ip === y.ip && x.port === y.port;
  return (same(c.local, f.a) && same(c.remote, f.b)) || (same(c.local, f.b) && same(c.remote, f.a));
}
