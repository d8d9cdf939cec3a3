import { isIPv4, isIPv6 } from 'node:net';
import { parseSizeBytes } from '../core/units.js';
import {
  EXTERNAL_ADDRESS_MESSAGE,
  EXTERNAL_ADDRESS_PATTERN,
  EXTERNAL_LIMITS,
  TEMPLATE_FIELDS,
  type CheckSpec,
  type ContentCheck,
  type PayloadPart,
  type PayloadPartSpec,
  type PayloadSpec,
  type SequenceLocation,
  type SequenceSpec,
} from './external-schema.js';
import type { Scenario } from './schema.js';
import { got, isRecord } from './problem-text.js';

/**
 * The rules of external targets that span fields (docs/external.md), and their normalization.
 * Pure: file contents are read by load.ts, the loopback rule is judged at run time because
 * `--allow-remote` is a flag of the command, not of the file.
 */

type Add = (pointer: string, text: string) => void;

const TEMPLATE_FIELD = /\{\{\s*([^}]*?)\s*\}\}/g;

/** Problems of one group's payload, check and sequence; `sound(p)` says the schema found nothing wrong there. */
export function externalGroupProblems(g: Record<string, unknown>, gp: string, sound: (pointer: string) => boolean, add: Add): void {
  const payload = g['payload'];
  if (payload !== undefined) {
    if (g['size'] !== undefined) add(`${gp}/size`, `cannot be used with payload, which decides what is sent${got(g['size'])}`);
    if (isRecord(payload) && sound(`${gp}/payload`)) {
      const frames = Array.isArray(payload['frames']) ? payload['frames'] : [payload];
      const base = Array.isArray(payload['frames']) ? `${gp}/payload/frames/` : `${gp}/payload`;
      frames.forEach((part: unknown, k) => {
        if (isRecord(part)) partProblems(part, Array.isArray(payload['frames']) ? `${base}${k}` : base, add);
      });
    }
  }
  const check = g['check'];
  if (isRecord(check) && typeof check['matches'] === 'string') {
    const problem = regexProblem(check['matches']);
    if (problem) add(`${gp}/check/matches`, `must be a regular expression: ${problem}${got(check['matches'])}`);
  }
  const sequence = g['sequence'];
  if (isRecord(sequence) && sound(`${gp}/sequence`)) {
    if (sequence['json'] !== undefined && (sequence['offset'] !== undefined || sequence['type'] !== undefined)) {
      add(`${gp}/sequence`, 'must be either { offset, type } or { json }, not both');
    } else if (sequence['json'] === undefined && sequence['offset'] === undefined) {
      add(`${gp}/sequence/offset`, 'required field is missing (with type, where the binary sequence number is)');
    }
  }
}

function partProblems(part: Record<string, unknown>, pointer: string, add: Add): void {
  if (typeof part['string'] === 'string') templateProblems(part['string'], `${pointer}/string`, add);
  if (part['json'] !== undefined) {
    const walk = (v: unknown, p: string): void => {
      if (typeof v === 'string') templateProblems(v, p, add);
      else if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${p}/${i}`));
      else if (isRecord(v)) for (const [k, x] of Object.entries(v)) walk(x, `${p}/${k}`);
    };
    walk(part['json'], `${pointer}/json`);
    if (JSON.stringify(part['json']).length > EXTERNAL_LIMITS.templateBytes)
      add(`${pointer}/json`, `must be at most ${EXTERNAL_LIMITS.templateBytes} bytes as JSON`);
  }
  if (part['random'] !== undefined) {
    const bytes = parseSizeBytes(part['random'] as number | string);
    if (bytes === undefined || bytes > EXTERNAL_LIMITS.randomBytes)
      add(`${pointer}/random`, `must be a size up to 64MiB${got(part['random'])}`);
  }
}

function templateProblems(text: string, pointer: string, add: Add): void {
  for (const m of text.matchAll(TEMPLATE_FIELD)) {
    const field = m[1]!;
    if (!(TEMPLATE_FIELDS as readonly string[]).includes(field))
      add(pointer, `{{${field}}} is not a template field; known: ${TEMPLATE_FIELDS.map((f) => `{{${f}}}`).join(', ')}`);
  }
}

function regexProblem(pattern: string): string | undefined {
  try {
    new RegExp(pattern);
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message.replace(/^Invalid regular expression: /, '') : String(e);
  }
}

export function normalizePayload(p: PayloadSpec | undefined): PayloadPart[] | null {
  if (p === undefined) return null;
  return p.frames ? p.frames.map((f, k) => normalizePart(f, k)) : [normalizePart(p, undefined)];
}

function normalizePart(p: PayloadPartSpec, frame: number | undefined): PayloadPart {
  if (p.string !== undefined) return { kind: 'string', template: p.string };
  if (p.file !== undefined) return { kind: 'file', path: p.file, base64: '', ...(frame === undefined ? {} : { frame }) };
  if (p.random !== undefined) return { kind: 'random', bytes: parseSizeBytes(p.random)! };
  return { kind: 'json', template: p.json };
}

export function normalizeCheck(c: CheckSpec | undefined): ContentCheck | null {
  if (c === undefined) return null;
  if (c.equals !== undefined) return { kind: 'equals', text: c.equals };
  if (c.matches !== undefined) return { kind: 'matches', pattern: c.matches };
  return { kind: 'json', field: c.json!.field, equals: c.json!.equals };
}

export function normalizeSequence(s: SequenceSpec | undefined): SequenceLocation | null {
  if (s === undefined) return null;
  if (s.json !== undefined) return { kind: 'json', field: s.json };
  return { kind: 'binary', offset: s.offset ?? 0, type: s.type ?? 'u64be' };
}

/** The external endpoint each group touches, if any: senders towards one get a modest default rate. */
export function touchesExternal(external: Record<string, string>, endpoints: readonly string[]): boolean {
  return endpoints.some((e) => e in external);
}

/** The longest ipc path: a Unix socket address holds 108 bytes with the closing NUL (Linux). */
export const IPC_PATH_BYTES = 107;

const HOST_NAME = /^(?=.{1,253}\.?$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/;

/**
 * What is wrong with an external address that matched EXTERNAL_ADDRESS_PATTERN, for a socket
 * that binds or connects it; undefined when nothing is. libzmq takes a port as a 16-bit number
 * without complaint (70000 connects to 4464), so the range is checked here; port 0 and host
 * `*` mean "any" and only a bind can use them. `src;host:port` (a connect's source) is judged
 * by its host:port.
 */
export function addressProblem(address: string, use: 'bind' | 'connect'): string | undefined {
  if (address.startsWith('ipc://')) {
    const bytes = Buffer.byteLength(address.slice('ipc://'.length));
    return bytes > IPC_PATH_BYTES
      ? `the ipc path must be at most ${IPC_PATH_BYTES} bytes (the size of a Unix socket address); this one has ${bytes}`
      : undefined;
  }
  const colon = address.lastIndexOf(':');
  const portText = address.slice(colon + 1);
  const port = Number(portText);
  const host = address.slice(address.lastIndexOf(';', colon) + 1, colon).replace(/^tcp:\/\//, '');
  if (port > 65_535 || (port === 0 && use === 'connect')) {
    const bindNote = use === 'bind' ? ' (or 0 for any free port)' : ' (0 means any free port, which only a bind can use)';
    return `the port must be from 1 to 65535${bindNote}; this one is ${portText}`;
  }
  if (host === '*')
    return use === 'bind' ? undefined : 'host * (every interface) is only for a bind; a connect needs a host name or address';
  if (host.startsWith('[') && host.endsWith(']')) return isIPv6(host.slice(1, -1)) ? undefined : `${host} is not an IPv6 address`;
  if (/^[0-9.]+$/.test(host)) return isIPv4(host) ? undefined : `${host} is not an IPv4 address (four numbers from 0 to 255)`;
  if (isIPv6(host) || HOST_NAME.test(host)) return undefined;
  return `${JSON.stringify(host)} is not a host name or address`;
}

/** Whether a scenario's groups (or forwards) bind this external endpoint, rather than connect to it. */
export function externalUse(scenario: Pick<Scenario, 'groups'>, endpoint: string): 'bind' | 'connect' {
  return scenario.groups.some((g) => g.bind.includes(endpoint) || (g.forward?.bind.includes(endpoint) ?? false)) ? 'bind' : 'connect';
}

const LOOPBACK_HOSTS = new Set(['localhost', '[::1]', '::1']);

/** tcp hosts that are not this machine; ipc paths are always local. */
export function isLoopbackAddress(address: string): boolean {
  if (!address.startsWith('tcp://')) return true;
  const host = address.slice('tcp://'.length, address.lastIndexOf(':'));
  return LOOPBACK_HOSTS.has(host) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** One problem per external endpoint that leaves this machine, unless remote targets are allowed. */
export function remoteTargetProblems(scenario: Scenario, allowRemote: boolean): string[] {
  if (allowRemote) return [];
  return scenario.endpoints.flatMap((name, i) => {
    const address = scenario.external[name];
    if (address === undefined || isLoopbackAddress(address)) return [];
    return [`topology.endpoints[${i}].external: ${address} is not on this machine; load-testing another host needs --allow-remote`];
  });
}

/**
 * `--endpoint name=address` points external endpoints somewhere else for this run, then every
 * external address is checked against the loopback rule. Problems name the flag or the
 * endpoint; an override that matches no scenario is one too, so a typo cannot pass unnoticed.
 */
export function retargetExternal(
  scenarios: readonly Scenario[],
  overrides: Readonly<Record<string, string>>,
  allowRemote: boolean,
): { scenarios: Scenario[]; problems: string[] } {
  const problems: string[] = [];
  for (const [name, address] of Object.entries(overrides)) {
    if (!new RegExp(EXTERNAL_ADDRESS_PATTERN).test(address)) problems.push(`--endpoint ${name}=${address}: ${EXTERNAL_ADDRESS_MESSAGE}`);
    else {
      for (const s of scenarios.filter((x) => x.external[name] !== undefined)) {
        const problem = addressProblem(address, externalUse(s, name));
        if (problem) problems.push(`--endpoint ${name}=${address}: ${problem}`);
      }
    }
    if (!scenarios.some((s) => s.external[name] !== undefined)) {
      const known = [...new Set(scenarios.flatMap((s) => Object.keys(s.external)))];
      problems.push(
        `--endpoint ${name}=${address}: no scenario has an external endpoint ${JSON.stringify(name)}${known.length > 0 ? ` (external endpoints: ${known.join(', ')})` : ''}`,
      );
    }
  }
  const valid = (s: Scenario, n: string, a: string) =>
    new RegExp(EXTERNAL_ADDRESS_PATTERN).test(a) && addressProblem(a, externalUse(s, n)) === undefined;
  const out = scenarios.map((s) => {
    // a bad address is reported once above, not again as "not on this machine"
    const names = Object.keys(s.external).filter((n) => overrides[n] !== undefined && valid(s, n, overrides[n]));
    if (names.length === 0) return s;
    return { ...s, external: { ...s.external, ...Object.fromEntries(names.map((n) => [n, overrides[n]!])) } };
  });
  for (const s of out) problems.push(...remoteTargetProblems(s, allowRemote).map((p) => `${s.name}: ${p}`));
  return { scenarios: out, problems: [...new Set(problems)] };
}

/** `name=address` of --endpoint; undefined when there is no `=`. */
export function parseEndpointArgument(text: string): { name: string; address: string } | undefined {
  const at = text.indexOf('=');
  if (at <= 0) return undefined;
  return { name: text.slice(0, at), address: text.slice(at + 1) };
}
