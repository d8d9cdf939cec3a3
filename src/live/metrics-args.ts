import { isIPv4, isIPv6 } from 'node:net';
import { InvalidArgumentError, Option } from 'commander';
import { formatDurationMs, parseDurationMs } from '../core/units.js';
import { isLoopbackAddress } from '../scenario/validate-external.js';
import type { ListenAddress } from './prometheus-server.js';

/**
 * `run --metrics [host:]port`, `--otlp <url>` and `--metrics-linger <time>`: their parsing, and
 * the loopback rule (another host only with --allow-remote, as for external endpoints).
 */

export interface MetricsOptions {
  /** --metrics: serve /metrics there */
  listen?: ListenAddress;
  /** --otlp: push the same metrics to this OTLP/HTTP URL */
  otlp?: string;
  /** --metrics-linger: how long /metrics keeps serving the final figures after the last run */
  lingerMs?: number;
}

/** One scrape interval of most Prometheus set-ups: a scraper then reads the end state at least once. */
export const DEFAULT_LINGER_MS = 15_000;
const MAX_LINGER_MS = 3_600_000;

/** What is wrong with a flag's value, as a sentence. */
export interface Problem {
  problem: string;
}

const HOST_NAME = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/** ":9464", "9464" (both on 127.0.0.1), "0.0.0.0:9464", "localhost:9464", "[::1]:9464"; a problem as a sentence otherwise. */
export function parseListenAddress(text: string): ListenAddress | Problem {
  const m = /^(?:(\[[^\]]*\]|[^:[\]]*):)?([0-9]{1,5})$/.exec(text.trim());
  if (!m) return { problem: 'Expected [host:]port, e.g. :9464 or 127.0.0.1:9464.' };
  const port = Number(m[2]);
  if (port > 65535) return { problem: `Port ${port} is not a port (0 to 65535; 0: any free port).` };
  const host = m[1] === undefined || m[1] === '' ? '127.0.0.1' : m[1];
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  const valid = host.startsWith('[') ? isIPv6(bare) : isIPv4(host) || (!/^[0-9.]+$/.test(host) && HOST_NAME.test(host));
  if (!valid) return { problem: `${JSON.stringify(host)} is not a host name or address (IPv6 in brackets: [::1]:9464).` };
  return { host, port };
}

/** An http(s) URL; a bare collector address gets OTLP's metrics path, /v1/metrics. */
export function parseOtlpUrl(text: string): string | Problem {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return { problem: 'Expected an http URL such as http://127.0.0.1:4318/v1/metrics.' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return { problem: `Expected http:// or https:// (OTLP over HTTP), not ${url.protocol}//.` };
  if (url.pathname === '/' || url.pathname === '') url.pathname = '/v1/metrics';
  return url.href;
}

export function parseLingerMs(text: string): number | Problem {
  const ms = parseDurationMs(text);
  if (ms === undefined) return { problem: 'Expected a duration such as 0s, 5s or 1m.' };
  if (ms > MAX_LINGER_MS) return { problem: `At most ${formatDurationMs(MAX_LINGER_MS)}.` };
  return ms;
}

/** Problems of the flags together (exit 104): another host without --allow-remote, a linger without --metrics. */
export function metricsProblems(o: MetricsOptions, allowRemote: boolean): string[] {
  const problems: string[] = [];
  if (o.lingerMs !== undefined && o.listen === undefined)
    problems.push('--metrics-linger: only with --metrics, whose /metrics it keeps serving');
  if (allowRemote) return problems;
  if (o.listen && !isLoopbackAddress(`tcp://${o.listen.host}:${o.listen.port}`))
    problems.push(
      `--metrics ${o.listen.host}:${o.listen.port}: not a loopback address, so other hosts could read the metrics; serving them there needs --allow-remote`,
    );
  if (o.otlp !== undefined) {
    const host = new URL(o.otlp).hostname;
    if (!isLoopbackAddress(`tcp://${host}:0`))
      problems.push(`--otlp ${o.otlp}: ${host} is not on this machine; sending metrics to another host needs --allow-remote`);
  }
  return problems;
}

function parser<T>(parse: (text: string) => T | Problem): (text: string) => T {
  return (text) => {
    const parsed = parse(text);
    if (isProblem(parsed)) throw new InvalidArgumentError(parsed.problem);
    return parsed;
  };
}

export function isProblem(x: unknown): x is Problem {
  return typeof x === 'object' && x !== null && 'problem' in x;
}

/** The flags' values as commander gives them (metricsCliOptions). */
export interface MetricsFlags {
  metrics?: ListenAddress;
  otlp?: string;
  metricsLinger?: number;
}

export function metricsOptionsOf(flags: MetricsFlags): MetricsOptions {
  return { listen: flags.metrics, otlp: flags.otlp, lingerMs: flags.metricsLinger };
}

/** The flags, for `run` (cli.ts adds them): their values arrive as MetricsFlags. */
export function metricsCliOptions(): Option[] {
  return [
    new Option(
      '--metrics <[host:]port>',
      'serve live Prometheus metrics at http://host:port/metrics while the runs go, e.g. :9464 (host 127.0.0.1 by default; docs/metrics.md)',
    ).argParser(parser(parseListenAddress)),
    new Option('--otlp <url>', 'push the same metrics over OTLP/HTTP, e.g. http://127.0.0.1:4318/v1/metrics (docs/metrics.md)').argParser(
      parser(parseOtlpUrl),
    ),
    new Option(
      '--metrics-linger <time>',
      `keep serving /metrics this long after the last run, so a scraper reads the final figures; default ${formatDurationMs(DEFAULT_LINGER_MS)}`,
    ).argParser(parser(parseLingerMs)),
  ];
}
