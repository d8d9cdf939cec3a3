import { execFile } from 'node:child_process';

/**
 * Bytes that crossed the wire on the harness's own tcp connections, from the kernel's
 * TCP_INFO as `ss -ti` prints it (bytes_sent, bytes_received of each established socket).
 * This shows where ZeroMQ does work: with a subscription filter, a PUB sends only what
 * matches, so fewer bytes leave the binding side (B8). tcp only: ipc and inproc have no
 * such counters.
 */

import type { WireBytes } from '../core/types.js';

/** Sums the bytes_sent / bytes_received of every socket in `ss -tinH` output. */
export function parseSsInfo(text: string): WireBytes {
  let connections = 0;
  let bytesSent = 0;
  let bytesReceived = 0;
  for (const line of text.split('\n')) {
    if (/^\S/.test(line) || /^ESTAB/.test(line)) {
      if (line.trim() !== '') connections++;
      continue;
    }
    bytesSent += Number(/\bbytes_sent:(\d+)/.exec(line)?.[1] ?? 0);
    bytesReceived += Number(/\bbytes_received:(\d+)/.exec(line)?.[1] ?? 0);
  }
  return { connections, bytesSent, bytesReceived };
}

/** The port of a tcp://host:port address, undefined for other transports. */
function portOf(address: string): number | undefined {
  const m = /^tcp:\/\/.*:(\d+)$/.exec(address);
  return m ? Number(m[1]) : undefined;
}

/**
 * Per endpoint, the binding side's bytes on its established connections (every address
 * bound for it). Endpoints without tcp addresses, or a machine without `ss`, give none.
 */
export async function readWireBytes(endpoints: Record<string, string[]>): Promise<Record<string, WireBytes>> {
  const out: Record<string, WireBytes> = {};
  for (const [name, addresses] of Object.entries(endpoints)) {
    const ports = addresses.map(portOf).filter((p): p is number => p !== undefined);
    if (ports.length === 0) continue;
    const total: WireBytes = { connections: 0, bytesSent: 0, bytesReceived: 0 };
    for (const port of ports) {
      const text = await ss(['-tinH', 'state', 'established', 'sport', '=', `:${port}`]);
      if (text === undefined) return {};
      const w = parseSsInfo(text);
      total.connections += w.connections;
      total.bytesSent += w.bytesSent;
      total.bytesReceived += w.bytesReceived;
    }
    out[name] = total;
  }
  return out;
}

function ss(args: string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('ss', args, { timeout: 2000 }, (error, stdout) => resolve(error ? undefined : stdout));
  });
}
