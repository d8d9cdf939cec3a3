import { readFile } from 'node:fs/promises';
import { endianness } from 'node:os';

/**
 * Kernel-side queues of tcp connections, read from /proc/net/tcp and /proc/net/tcp6 (Linux).
 * They answer "where are my messages?": bytes waiting in ZeroMQ's own queues are not here,
 * bytes the kernel holds (unsent/unacknowledged by the sender, unread at the receiver) are.
 *
 * Only tcp is covered: unix-domain sockets (ipc://) have no per-socket counters in
 * /proc/net/unix, and inproc:// never touches the kernel at all.
 */

/** One row of /proc/net/tcp or /proc/net/tcp6. */
export interface TcpSocketQueue {
  localAddress: string;
  localPort: number;
  remoteAddress: string;
  remotePort: number;
  /** Kernel TCP state number (include/net/tcp_states.h): 0x01 ESTABLISHED, 0x0A LISTEN, ... */
  state: number;
  /** tx_queue: bytes written but not yet acknowledged by the peer (sent-unacked + unsent). */
  sendQueueBytes: number;
  /** rx_queue: bytes received but not yet read by the application. */
  recvQueueBytes: number;
}

export const TCP_ESTABLISHED = 0x01;

export type ByteOrder = 'LE' | 'BE';

/**
 * Decodes one `/proc/net/tcp*` address (the part before `:port`): 8 hex digits for IPv4,
 * 32 for IPv6. The kernel prints each 32-bit word of the network-order address as a host-order
 * integer, so on little-endian hosts every word's bytes come out reversed.
 */
export function decodeProcNetAddress(hex: string, byteOrder: ByteOrder = endianness()): string {
  if (!/^[0-9A-Fa-f]+$/.test(hex) || (hex.length !== 8 && hex.length !== 32)) {
    throw new Error(`not a /proc/net/tcp address: ${hex}`);
  }
  const bytes: number[] = [];
  for (let w = 0; w < hex.length; w += 8) {
    const word = Number.parseInt(hex.slice(w, w + 8), 16);
    const wordBytes = [(word >>> 24) & 0xff, (word >>> 16) & 0xff, (word >>> 8) & 0xff, word & 0xff];
    if (byteOrder === 'LE') wordBytes.reverse();
    bytes.push(...wordBytes);
  }
  return bytes.length === 4 ? bytes.join('.') : formatIpv6(bytes);
}

/** RFC 5952 text: lowercase, no leading zeros, longest zero run (≥ 2 groups) as `::`, IPv4-mapped as `::ffff:a.b.c.d`. */
function formatIpv6(bytes: number[]): string {
  const isMapped = bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
  if (isMapped) return `::ffff:${bytes.slice(12).join('.')}`;
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((bytes[i]! << 8) | bytes[i + 1]!);
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestLen < 2) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

/**
 * Parses the text of /proc/net/tcp or /proc/net/tcp6. The first line is the header; each
 * other line is `sl local_address rem_address st tx_queue:rx_queue ...`. Lines that do not
 * look like a row are skipped rather than thrown on: the file is read while it changes.
 */
export function parseProcNetTcp(text: string, byteOrder: ByteOrder = endianness()): TcpSocketQueue[] {
  const rows: TcpSocketQueue[] = [];
  const lines = text.split('\n');
  for (let i = 1; i < lines.length; i++) {
    const f = lines[i]!.trim().split(/\s+/);
    if (f.length < 5 || !f[0]!.endsWith(':')) continue;
    const local = splitHostPort(f[1]!);
    const remote = splitHostPort(f[2]!);
    const queues = /^([0-9A-Fa-f]+):([0-9A-Fa-f]+)$/.exec(f[4]!);
    if (!local || !remote || !queues || !/^[0-9A-Fa-f]+$/.test(f[3]!)) continue;
    try {
      rows.push({
        localAddress: decodeProcNetAddress(local.host, byteOrder),
        localPort: local.port,
        remoteAddress: decodeProcNetAddress(remote.host, byteOrder),
        remotePort: remote.port,
        state: Number.parseInt(f[3]!, 16),
        sendQueueBytes: Number.parseInt(queues[1]!, 16),
        recvQueueBytes: Number.parseInt(queues[2]!, 16),
      });
    } catch {
      // A malformed address: skip the row, as above.
    }
  }
  return rows;
}

function splitHostPort(field: string): { host: string; port: number } | undefined {
  const m = /^([0-9A-Fa-f]{8}|[0-9A-Fa-f]{32}):([0-9A-Fa-f]{4})$/.exec(field);
  return m ? { host: m[1]!, port: Number.parseInt(m[2]!, 16) } : undefined;
}

export const PROC_NET_TCP_FILES: readonly string[] = ['/proc/net/tcp', '/proc/net/tcp6'];

/**
 * The tables that can hold these targets' sockets. Reading one walks every bucket of the
 * kernel's tcp hash, however few sockets there are: 1.1 ms per file on this 2-core machine
 * (262,144 buckets; each read() walks again, the last one only to find the end), every sample,
 * on a core a round trip needs (docs/performance.md, "A REQ client's tail"). Sockets on IPv4
 * addresses are AF_INET (ZeroMQ opens IPv6 sockets only with its ipv6 option, which zmq-bench
 * never sets), so they are only in /proc/net/tcp.
 */
export function procNetTcpFilesFor(targets: Iterable<TcpTarget>): string[] {
  let v4 = false;
  let v6 = false;
  for (const t of targets) {
    if (t.host.includes(':')) v6 = true;
    else v4 = true;
  }
  return PROC_NET_TCP_FILES.filter((f) => (f.endsWith('6') ? v6 : v4));
}

/**
 * Reads every tcp socket of this network namespace (all processes, not only ours; grouping by
 * our endpoints' ports picks ours out). A missing or unreadable file (non-Linux, no IPv6)
 * contributes nothing; this never throws.
 */
export async function readTcpQueues(files: readonly string[] = PROC_NET_TCP_FILES): Promise<TcpSocketQueue[]> {
  const texts = await Promise.all(files.map((f) => readFile(f, 'utf8').catch(() => '')));
  return texts.flatMap((t) => parseProcNetTcp(t));
}

/** Kernel queue totals for one endpoint, summed over its established loopback connections. */
export interface EndpointKernelQueues {
  /** Not yet acknowledged by the connecting peers, on the binding side's sockets. */
  bindSendQueue: number;
  /** Received but not yet read by the binding side's ZeroMQ I/O thread. */
  bindRecvQueue: number;
  connectSendQueue: number;
  connectRecvQueue: number;
  /** Established connections accepted by the binding side. */
  connections: number;
}

interface TcpTarget {
  host: string;
  port: number;
}

const LOOPBACK_V4 = /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

/** Makes `::ffff:127.0.0.1` (an IPv4 peer of a dual-stack socket) compare equal to `127.0.0.1`. */
function normalizeHost(host: string): string {
  const h = host.toLowerCase();
  return h.startsWith('::ffff:') && LOOPBACK_V4.test(h.slice(7)) ? h.slice(7) : h;
}

function isLoopback(host: string): boolean {
  return LOOPBACK_V4.test(host) || host === '::1';
}

/** `tcp://198.18.0.2:41235` or `tcp://[::1]:41235` → host and port; anything else (ipc, inproc, wildcards) → undefined. */
export function tcpTarget(address: string): TcpTarget | undefined {
  const m = /^tcp:\/\/(?:\[([^\]]+)\]|([^:/[\]]+)):(\d+)$/.exec(address.trim());
  if (!m) return undefined;
  const raw = m[1] ?? m[2]!;
  // A bound `localhost` resolves to 127.0.0.1 here; ZeroMQ reports numeric addresses anyway.
  const host = raw === 'localhost' ? '127.0.0.1' : normalizeHost(raw);
  const port = Number(m[3]);
  return port <= 0 || port > 0xffff ? undefined : { host, port };
}

/** `tcp://127.0.0.1:41235` or `tcp://[::1]:41235` → host and port; anything else (ipc, inproc, wildcards, non-loopback) → undefined. */
export function loopbackTcpTarget(address: string): TcpTarget | undefined {
  const target = tcpTarget(address);
  return target && isLoopback(target.host) ? target : undefined;
}

function targetsByEndpoint(endpoints: Record<string, string[]>): Map<string, TcpTarget[]> {
  const out = new Map<string, TcpTarget[]>();
  for (const [name, addresses] of Object.entries(endpoints)) {
    const targets = addresses.map(loopbackTcpTarget).filter((t): t is TcpTarget => t !== undefined);
    if (targets.length > 0) out.set(name, targets);
  }
  return out;
}

function sumByTargets(queues: TcpSocketQueue[], targets: Map<string, TcpTarget[]>): Record<string, EndpointKernelQueues> {
  const out: Record<string, EndpointKernelQueues> = {};
  for (const [name, list] of targets) {
    const q: EndpointKernelQueues = { bindSendQueue: 0, bindRecvQueue: 0, connectSendQueue: 0, connectRecvQueue: 0, connections: 0 };
    for (const s of queues) {
      if (s.state !== TCP_ESTABLISHED) continue;
      // Matching the bound host as well as the port keeps an unrelated socket that happens to
      // use the same port number on another address (e.g. an outgoing ephemeral port) out.
      const local = normalizeHost(s.localAddress);
      const remote = normalizeHost(s.remoteAddress);
      for (const t of list) {
        if (s.localPort === t.port && local === t.host) {
          q.bindSendQueue += s.sendQueueBytes;
          q.bindRecvQueue += s.recvQueueBytes;
          q.connections++;
        } else if (s.remotePort === t.port && remote === t.host) {
          q.connectSendQueue += s.sendQueueBytes;
          q.connectRecvQueue += s.recvQueueBytes;
        }
      }
    }
    out[name] = q;
  }
  return out;
}

/**
 * Groups kernel queues per endpoint. For each loopback tcp address bound for an endpoint,
 * ESTABLISHED sockets whose local side is that address are the binding side; sockets whose
 * remote side is that address are the connecting side (both ends of a loopback connection are
 * in the same table). Endpoints with no loopback tcp address (ipc, inproc, ...) are left out.
 */
export function kernelQueuesByEndpoint(
  queues: TcpSocketQueue[],
  endpoints: Record<string, string[]>,
): Record<string, EndpointKernelQueues> {
  return sumByTargets(queues, targetsByEndpoint(endpoints));
}

/** Samples kernel queues for a fixed set of endpoints; free (no file reads) when none is tcp. */
export class KernelQueueSampler {
  private readonly targets: Map<string, TcpTarget[]>;
  private readonly read: () => Promise<TcpSocketQueue[]>;

  constructor(
    endpoints: Record<string, string[]>,
    // Injectable so tests can check when the tables are (not) read.
    read?: () => Promise<TcpSocketQueue[]>,
  ) {
    this.targets = targetsByEndpoint(endpoints);
    const files = procNetTcpFilesFor([...this.targets.values()].flat());
    this.read = read ?? (() => readTcpQueues(files));
  }

  /** True when at least one endpoint has a loopback tcp address to sample. */
  get active(): boolean {
    return this.targets.size > 0;
  }

  async sample(): Promise<Record<string, EndpointKernelQueues>> {
    if (this.targets.size === 0) return {};
    return sumByTargets(await this.read(), this.targets);
  }
}
