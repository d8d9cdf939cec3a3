import { invalidInput } from '../core/errors.js';
import {
  ENGINES,
  isSender,
  LIMITS,
  PLACEMENTS,
  PROXIES_PER_PROCESS,
  RATE_RANGE_MESSAGE,
  TRANSPORTS,
  UDP_DATAGRAM_BYTES,
  UDP_GROUP_MAX_BYTES,
  type EngineName,
  type Group,
  type Placement,
  type Scenario,
  type TransportName,
} from './schema.js';
import { endpointTransport } from './transports.js';
import { endpointsOf } from './routes.js';

/** Command-line settings that replace the scenario's own. */
export interface Overrides {
  transport?: TransportName;
  durationMs?: number;
  warmupMs?: number;
  /** the constant rate of every sending group, replacing any rate shape; null: as fast as possible (`max`) */
  ratePerSec?: number | null;
  /** the placement of every group (`--placement`) */
  placement?: Placement;
  /** the engine of every group (`--engine`) */
  engine?: EngineName;
  /** group name → the constant rate of each of its sockets, replacing any rate shape (a rate search's step) */
  groupRates?: Readonly<Record<string, number>>;
}

/**
 * A copy of the scenario with the overrides applied; the input is left untouched. What the
 * overrides make impossible (inproc across processes or with CURVE, events after the end) is
 * refused here, naming the flag, since validation saw the file only.
 */
export function applyOverrides(s: Scenario, o: Overrides): Scenario {
  const problems = [...valueProblems(o), ...groupRateProblems(s, o.groupRates ?? {})];
  if (problems.length > 0) throw invalidInput(problems);
  const copy = structuredClone(s);
  if (o.engine !== undefined) for (const g of copy.groups) g.engine = o.engine;
  // the run-wide transport replaces every endpoint's own (external ones keep their address)
  if (o.transport !== undefined) {
    copy.transport = o.transport;
    copy.endpointTransports = {};
  }
  if (o.durationMs !== undefined) copy.durationMs = Math.round(o.durationMs * 1000) / 1000;
  if (o.warmupMs !== undefined) copy.warmupMs = Math.round(o.warmupMs * 1000) / 1000;
  if (o.ratePerSec !== undefined) {
    for (const g of copy.groups) {
      if (!isSender(g.type, g.side)) continue;
      g.ratePerSec = o.ratePerSec;
      g.rateShape = null;
    }
  }
  for (const g of copy.groups) {
    const rate = o.groupRates?.[g.name];
    if (rate === undefined) continue;
    g.ratePerSec = rate;
    g.rateShape = null;
  }
  if (o.placement !== undefined) {
    for (const g of copy.groups) {
      g.placement = o.placement;
      // threads mean nothing in processes; 1, as validation leaves them, keeps the as-run file valid
      if (o.placement === 'process') g.threads = 1;
    }
  }

  const scenario = JSON.stringify(s.name);
  problems.push(...transportProblems(copy, o));
  const lastAtMs = Math.max(copy.events.at(-1)?.atMs ?? 0, copy.networkFaults.at(-1)?.atMs ?? 0);
  if (o.durationMs !== undefined && lastAtMs > copy.durationMs) {
    problems.push(
      `--duration ${durationText(copy.durationMs)} is too short for scenario ${scenario}: its last event happens at ${durationText(lastAtMs)}, and events must happen within the duration`,
    );
  }
  problems.push(...proxyOverrideProblems(copy, o));
  if (problems.length > 0) throw invalidInput(problems);
  return copy;
}

/** What validation says of proxies, for the engine and placement the flags give (validate/proxies.ts). */
function proxyOverrideProblems(s: Scenario, o: Overrides): string[] {
  const problems: string[] = [];
  const scenario = JSON.stringify(s.name);
  const captured = s.groups.find((g) => g.proxy?.capture && g.engine !== 'native');
  if (o.engine !== undefined && captured)
    problems.push(
      `--engine ${o.engine} cannot be used with scenario ${scenario}: proxy ${JSON.stringify(captured.name)} has a capture socket, which needs engine native (zeromq.js's Proxy takes none)`,
    );
  const inThreads = s.groups.filter((g) => g.proxy !== null && g.placement === 'thread');
  if (o.placement === 'thread' && inThreads.length > PROXIES_PER_PROCESS)
    problems.push(
      `--placement thread cannot be used with scenario ${scenario}: it has ${inThreads.length} proxies, and at most ${PROXIES_PER_PROCESS} run in threads of one process (each holds one of libuv's 4 threadpool threads)`,
    );
  return problems;
}

/** Each override's own value, out of range or unknown: one line each. */
function valueProblems(o: Overrides): string[] {
  const problems: string[] = [];
  if (o.transport !== undefined && !TRANSPORTS.includes(o.transport)) {
    problems.push(`transport: must be one of ${TRANSPORTS.map((t) => JSON.stringify(t)).join(', ')}, got ${JSON.stringify(o.transport)}`);
  }
  // durations keep whole microseconds, as validation leaves them: 0.0000001s is no duration
  if (o.durationMs !== undefined && !(Math.round(o.durationMs * 1000) >= 1 && o.durationMs <= LIMITS.durationMs)) {
    problems.push(`duration: must be from 1us to ${durationText(LIMITS.durationMs)}, got ${o.durationMs}ms`);
  }
  if (o.warmupMs !== undefined && !(Number.isFinite(o.warmupMs) && o.warmupMs >= 0 && o.warmupMs <= LIMITS.durationMs)) {
    problems.push(`warmup: must be from 0s to ${durationText(LIMITS.durationMs)}, got ${o.warmupMs}ms`);
  }
  if (
    o.ratePerSec !== undefined &&
    o.ratePerSec !== null &&
    !(o.ratePerSec >= LIMITS.minRatePerSecond && o.ratePerSec <= LIMITS.ratePerSecond)
  ) {
    problems.push(`rate: ${RATE_RANGE_MESSAGE}, or "max", got ${o.ratePerSec}`);
  }
  if (o.placement !== undefined && !PLACEMENTS.includes(o.placement)) {
    problems.push(`placement: must be ${PLACEMENTS.map((p) => JSON.stringify(p)).join(' or ')}, got ${JSON.stringify(o.placement)}`);
  }
  if (o.engine !== undefined && !ENGINES.includes(o.engine)) {
    problems.push(`engine: must be ${ENGINES.map((e) => JSON.stringify(e)).join(' or ')}, got ${JSON.stringify(o.engine)}`);
  }
  return problems;
}

/**
 * What --transport or --placement make impossible, per endpoint: inproc across processes, with
 * CURVE or between engines; udp with CURVE or anything but RADIO and DISH; inproc or ipc across hosts; network faults off tcp.
 */
function transportProblems(copy: Scenario, o: Overrides): string[] {
  const problems: string[] = [];
  const scenario = JSON.stringify(copy.name);
  const why = '(inproc does not cross processes)';
  const inprocOf = (g: Group) => endpointsOf(g).find((e) => endpointTransport(copy, e) === 'inproc');
  const inProcesses = copy.groups.find((g) => g.placement === 'process' && inprocOf(g) !== undefined);
  if ((o.transport !== undefined || o.placement !== undefined) && inProcesses) {
    const endpoint = inprocOf(inProcesses)!;
    if (o.placement !== undefined && o.transport !== undefined)
      problems.push(`--placement process cannot be used with --transport inproc ${why}`);
    else if (o.placement !== undefined)
      problems.push(
        `--placement process cannot be used with scenario ${scenario}, whose ${copy.endpointTransports[endpoint] === undefined ? 'transport' : `endpoint ${JSON.stringify(endpoint)}`} is inproc ${why}`,
      );
    else
      problems.push(
        `--transport inproc cannot be used with scenario ${scenario}: group ${JSON.stringify(inProcesses.name)} has placement: process ${why}; add --placement thread`,
      );
  }
  if ((o.transport === 'inproc' || o.transport === 'udp') && copy.curve.enabled) {
    problems.push(
      `--transport ${o.transport} cannot be used with scenario ${scenario}, which has curve on (CURVE needs tcp or ipc; ${o.transport} has no security handshake)`,
    );
  }
  if (o.transport === 'udp') problems.push(...udpProblems(copy));
  const engines = o.transport === 'inproc' ? enginesApart(copy) : undefined;
  if (engines !== undefined) {
    const [first, other] = engines;
    problems.push(
      `--transport inproc cannot be used with scenario ${scenario}: group ${JSON.stringify(other.name)} has engine ${other.engine} and group ${JSON.stringify(first.name)} ${first.engine} (inproc connects sockets of one engine's context only); add --engine ${first.engine}`,
    );
  }
  const acrossHosts = transportAcrossHosts(copy, o.transport);
  if (acrossHosts !== null) problems.push(acrossHosts);
  if (o.transport !== undefined && o.transport !== 'tcp' && copy.networkFaults.length > 0)
    problems.push(`--transport ${o.transport} cannot be used with scenario ${scenario}: its network faults act on tcp connections`);
  return problems;
}

/** Two groups that meet at an inproc endpoint on different engines (the earlier one first), if any. */
function enginesApart(s: Scenario): [Group, Group] | undefined {
  for (const [i, a] of s.groups.entries()) {
    const inproc = endpointsOf(a).filter((e) => endpointTransport(s, e) === 'inproc');
    const b = s.groups.slice(i + 1).find((g) => g.engine !== a.engine && endpointsOf(g).some((e) => inproc.includes(e)));
    if (b !== undefined) return [a, b];
  }
  return undefined;
}

/** A rate for a group the scenario does not have, that does not send, or out of range. */
function groupRateProblems(s: Scenario, rates: Readonly<Record<string, number>>): string[] {
  return Object.entries(rates).flatMap(([name, rate]) => {
    const g = s.groups.find((x) => x.name === name);
    if (g === undefined) return [`rate of group ${JSON.stringify(name)}: scenario ${JSON.stringify(s.name)} has no such group`];
    if (!isSender(g.type, g.side)) return [`rate of group ${JSON.stringify(name)}: a ${g.type} group does not send`];
    if (!(rate >= LIMITS.minRatePerSecond && rate <= LIMITS.ratePerSecond))
      return [`rate of group ${JSON.stringify(name)}: ${RATE_RANGE_MESSAGE}, got ${rate}`];
    return [];
  });
}

/**
 * --transport udp: every group a radio or a dish, each DISH binding and each RADIO connecting
 * (libzmq's udp transport, validate/radio-dish.ts), and the datagram limits of each radio.
 */
function udpProblems(s: Scenario): string[] {
  const scenario = JSON.stringify(s.name);
  return s.groups.flatMap((g) => {
    const name = JSON.stringify(g.name);
    if (g.type !== 'radio' && g.type !== 'dish')
      return [
        `--transport udp cannot be used with scenario ${scenario}: group ${name} is ${g.type} (libzmq's udp transport carries RADIO and DISH only)`,
      ];
    const wrong = g.type === 'radio' ? g.bind.length > 0 : g.connect.length > 0;
    if (wrong)
      return [
        `--transport udp cannot be used with scenario ${scenario}: group ${name} is a ${g.type} that ${g.type === 'radio' ? 'binds' : 'connects'} (over udp each DISH binds and RADIOs connect)`,
      ];
    const longest = Math.max(0, ...[...g.topics, ...g.join].map((t) => Buffer.byteLength(t)));
    if (longest > UDP_GROUP_MAX_BYTES)
      return [
        `--transport udp cannot be used with scenario ${scenario}: group ${name} has a group of ${longest} bytes (at most ${UDP_GROUP_MAX_BYTES} over udp)`,
      ];
    if (g.type === 'radio' && g.sizeBytes > UDP_DATAGRAM_BYTES - 1 - longest)
      return [
        `--transport udp cannot be used with scenario ${scenario}: group ${name} sends ${g.sizeBytes}-byte messages (at most ${UDP_DATAGRAM_BYTES - 1 - longest} with its groups in one udp datagram)`,
      ];
    return [];
  });
}

/** --transport inproc, ipc or udp where groups run on hosts: none crosses a host (nor, inproc, an agent's processes). */
function transportAcrossHosts(s: Scenario, transport: TransportName | undefined): string | null {
  if (transport === 'udp' && s.groups.some((g) => g.hosts.length > 0))
    return `--transport udp cannot be used with scenario ${JSON.stringify(s.name)}: its groups run on hosts, and zmq-bench runs udp on loopback only; use tcp`;
  if (transport !== 'inproc' && transport !== 'ipc') return null;
  const onHosts = s.groups.filter((g) => g.hosts.length > 0);
  const several = new Set(s.groups.map((g) => g.hosts.join(','))).size > 1 || onHosts.some((g) => g.hosts.length > 1);
  if (transport === 'inproc' ? onHosts.length === 0 : !several) return null;
  const why =
    transport === 'inproc'
      ? 'hosts (each in processes of its own there), and inproc does not cross processes'
      : 'several hosts, and ipc does not cross hosts';
  return `--transport ${transport} cannot be used with scenario ${JSON.stringify(s.name)}: its groups run on ${why}; use tcp`;
}

/**
 * A duration as the scenario format writes it, exact: parsing it back gives the same number
 * (validation keeps microsecond resolution).
 */
export function durationText(ms: number): string {
  if (Number.isInteger(ms)) {
    if (ms !== 0 && ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
    if (ms !== 0 && ms % 60_000 === 0) return `${ms / 60_000}m`;
    if (ms % 1000 === 0) return `${ms / 1000}s`;
    return `${ms}ms`;
  }
  return `${Math.round(ms * 1000)}us`;
}
