import { networkInterfaces } from 'node:os';
import type { AgentTarget } from '../runtime/remote/agent-link.js';

/**
 * The command-line values of agents: `--agents label=tcp://host:port,...`, `--listen
 * tcp://address:port` and the IP an agent advertises. Each parser answers a value or one line
 * saying what was expected.
 */

const TCP_ADDRESS = /^tcp:\/\/(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/;
const LABEL = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

export function parseTcpAddress(text: string): { host: string; port: number } | string {
  const m = TCP_ADDRESS.exec(text);
  const port = m ? Number(m[2]) : NaN;
  if (!m || port < 1 || port > 65535) return `expected tcp://<address>:<port> with a port from 1 to 65535, got ${JSON.stringify(text)}`;
  return { host: m[1]!.replace(/^\[|\]$/g, ''), port };
}

/** `a=tcp://198.18.0.2:7000,b=tcp://...`, added to the targets given before (the flag may be repeated). */
export function parseAgentsArgument(text: string, previous: readonly AgentTarget[] = []): AgentTarget[] | string {
  const targets = [...previous];
  for (const part of text.split(',').map((p) => p.trim())) {
    const eq = part.indexOf('=');
    const label = eq > 0 ? part.slice(0, eq) : '';
    const url = part.slice(eq + 1);
    if (!LABEL.test(label)) return `expected label=tcp://<address>:<port> (a label of the scenario's hosts), got ${JSON.stringify(part)}`;
    const address = parseTcpAddress(url);
    if (typeof address === 'string') return `${label}: ${address}`;
    if (targets.some((t) => t.label === label)) return `${label} is given twice`;
    targets.push({ label, url });
  }
  return targets;
}

/** What an agent's groups bind when --advertise is not given: the --listen address, or with a wildcard the first outside IPv4. */
export function defaultAdvertise(listenHost: string): string | null {
  if (listenHost !== '0.0.0.0' && listenHost !== '*' && listenHost !== '::') return listenHost === 'localhost' ? '127.0.0.1' : listenHost;
  for (const addresses of Object.values(networkInterfaces()))
    for (const a of addresses ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  return null;
}
