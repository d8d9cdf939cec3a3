import { isIP } from 'node:net';
import { InvalidArgumentError, Option } from 'commander';

/**
 * `run --live [[host:]port]`: where the live page listens. Loopback unless a host is named;
 * a host that is not loopback is allowed (a page on another machine's screen), and the console
 * says that anyone who reaches it can watch the run.
 */

export interface LiveAddress {
  host: string;
  port: number;
}

export const DEFAULT_LIVE_HOST = '127.0.0.1';
/** `--live` alone; next to 9464, the usual port of Prometheus exporters (`--metrics`). */
export const DEFAULT_LIVE_PORT = 9465;

export const LIVE_ADDRESS_HELP = `expected [host:]port, e.g. ${DEFAULT_LIVE_PORT}, 0 (a free port) or 127.0.0.1:${DEFAULT_LIVE_PORT}`;

/** "9465", ":9465", "localhost:9465", "[::1]:9465" → the address; anything else → why not. */
export function parseLiveAddress(text: string): LiveAddress | string {
  const m = /^(?:(\[[0-9a-fA-F:.]+\]|[^:[\]\s]*):)?(\d{1,5})$/.exec(text.trim());
  const port = m ? Number(m[2]) : Number.NaN;
  if (!m || !(port >= 0 && port <= 65535)) {
    const hint = /\.(ya?ml|json)$/i.test(text) ? ' (scenario files go before --live, or give --live a port)' : '';
    return `${LIVE_ADDRESS_HELP}; got "${text}"${hint}`;
  }
  const host = (m[1] ?? '').replace(/^\[(.*)\]$/, '$1');
  return { host: host === '' ? DEFAULT_LIVE_HOST : host, port };
}

/** Only this machine can connect: 127.0.0.0/8, ::1 and localhost. */
export function isLoopback(host: string): boolean {
  const h = host.toLowerCase();
  if (h === 'localhost' || h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  return isIP(h) === 4 && h.startsWith('127.');
}

/** The page's URL for a bound address (IPv6 in brackets). */
export function liveUrl(host: string, port: number): string {
  return `http://${isIP(host) === 6 ? `[${host}]` : host}:${port}/`;
}

/** For the CLI parser: the address, or throws the reason for the parser to print. */
export function liveAddressArgument(text: string): LiveAddress {
  const parsed = parseLiveAddress(text);
  if (typeof parsed === 'string') throw new InvalidArgumentError(`${parsed[0]!.toUpperCase()}${parsed.slice(1)}.`);
  return parsed;
}

/** `run --live [[host:]port]`; alone, loopback on DEFAULT_LIVE_PORT. */
export function liveOption(): Option {
  return new Option(
    '--live [[host:]port]',
    `serve a page that shows each run as it goes and then its report (docs/reports.md); default 127.0.0.1:${DEFAULT_LIVE_PORT}`,
  )
    .preset(String(DEFAULT_LIVE_PORT))
    .argParser(liveAddressArgument);
}

/** What the CLI parser collects for it. */
export interface LiveFlags {
  live?: LiveAddress;
}
