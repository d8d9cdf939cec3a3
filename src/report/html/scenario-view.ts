import type { RunResult } from '../../core/types.js';
import { parseSizeBytes } from '../../core/units.js';
import type { GroupSpec, ScenarioFile } from '../../scenario/schema.js';
import { formatBytes, formatRate } from '../../core/format.js';
import type { TopologyInput } from './topology-layout.js';
import { DEFAULT_ENGINE, engineOf } from '../../results/engines.js';
import { endpointTransportsText, transportOf } from '../../results/facts.js';

/**
 * result.json keeps the scenario as it ran, in the scenario file format, typed `unknown` (a
 * result may come from another version). This reads what the report shows from it, with
 * defaults for anything missing, never trusting its shape.
 */

type Refs = string | string[] | undefined;
const refs = (r: Refs): string[] => (r === undefined ? [] : Array.isArray(r) ? r.filter((x) => typeof x === 'string') : [r]);

function scenarioFile(r: RunResult): Partial<ScenarioFile> {
  return typeof r.scenario === 'object' && r.scenario !== null ? (r.scenario as Partial<ScenarioFile>) : {};
}

function groupSpecs(r: RunResult): Partial<GroupSpec>[] {
  const groups = scenarioFile(r).topology?.groups;
  return Array.isArray(groups) ? groups.filter((g): g is GroupSpec => typeof g === 'object' && g !== null) : [];
}

/**
 * A proxy drawn as a stage: its frontend is the group's own socket (type "proxy xsub"), its
 * backend the forward, and a capture socket's endpoints are the forward's too (both send).
 */
function asStage(g: Partial<GroupSpec>): Partial<GroupSpec> {
  if (g.type !== 'proxy' || !g.frontend || !g.backend) return g;
  const list = (ref: string | string[] | undefined): string[] => (ref === undefined ? [] : typeof ref === 'string' ? [ref] : ref);
  const capture = g.capture;
  return {
    ...g,
    type: `proxy ${g.frontend.type}` as GroupSpec['type'],
    bind: g.frontend.bind,
    connect: g.frontend.connect,
    forward: {
      type: g.backend.type as 'push' | 'pub',
      bind: [...list(g.backend.bind), ...list(capture?.bind)],
      connect: [...list(g.backend.connect), ...list(capture?.connect)],
    },
  };
}

export function scenarioDescription(r: RunResult): string {
  const d = scenarioFile(r).description;
  return typeof d === 'string' ? d.trim() : '';
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** One payload frame in a few words: `"Hello"`, `json`, `file body.bin`, `random 256 B`. */
function partText(p: unknown): string | undefined {
  if (!isObject(p)) return undefined;
  if (typeof p['string'] === 'string') return JSON.stringify(p['string'].length > 24 ? `${p['string'].slice(0, 23)}…` : p['string']);
  if ('json' in p) return 'json';
  if (typeof p['file'] === 'string') return `file ${p['file']}`;
  const random = typeof p['random'] === 'number' || typeof p['random'] === 'string' ? parseSizeBytes(p['random']) : undefined;
  if (random !== undefined) return `random ${formatBytes(random)}`;
  return undefined;
}

/** What a payload sends instead of the header: its one frame, or how many frames. */
function payloadText(payload: unknown): string | undefined {
  if (!isObject(payload)) return undefined;
  if (Array.isArray(payload['frames']))
    return payload['frames'].length === 1 ? partText(payload['frames'][0]) : `${payload['frames'].length} frames`;
  return partText(payload);
}

/** One line on what a group does: "1.00 KiB at 10.0k/s", "64 B as fast as possible", '"Hello" at 200/s', "delay 1ms". */
function groupDetail(g: Partial<GroupSpec>): string | undefined {
  if (g.rate !== undefined || g.size !== undefined || g.payload !== undefined) {
    // a payload decides what is sent: its size is not the scenario's `size`
    const payload = payloadText(g.payload);
    const bytes = g.size === undefined ? undefined : parseSizeBytes(g.size);
    const what = payload !== undefined ? `${payload} ` : bytes === undefined ? '' : `${formatBytes(bytes)} `;
    const rate =
      g.rate === undefined || g.rate === 'max' ? 'as fast as possible' : typeof g.rate === 'number' ? `at ${formatRate(g.rate)}/s` : '';
    return `${what}${rate}`.trim() || undefined;
  }
  if (typeof g.delay === 'string' && g.delay !== '0s') return `delay ${g.delay}`;
  if (Array.isArray(g.delay) || (typeof g.delay === 'object' && g.delay !== null)) return 'delay varies';
  return undefined;
}

/** endpoint name → the address of a service zmq-bench did not start, as the scenario ran against it. */
function externalEndpoints(file: Partial<ScenarioFile>): Map<string, string> {
  const list: unknown[] = Array.isArray(file.topology?.endpoints) ? file.topology.endpoints : [];
  return new Map(
    list.flatMap((e) =>
      isObject(e) && typeof e['name'] === 'string' && typeof e['external'] === 'string' ? [[e['name'], e['external']] as const] : [],
    ),
  );
}

export function topologyInput(r: RunResult): TopologyInput {
  const file = scenarioFile(r);
  const list: unknown[] = Array.isArray(file.topology?.endpoints) ? file.topology.endpoints : [];
  const declared = list.flatMap((e) => (typeof e === 'string' ? [e] : isObject(e) && typeof e['name'] === 'string' ? [e['name']] : []));
  const external = externalEndpoints(file);
  const names = [...new Set([...declared, ...Object.keys(r.endpoints)])];
  const mixed = endpointTransportsText(r) !== undefined;
  // the engine each group ran on, as result.json says (the scenario may have left it to --engine)
  const engines = new Map(r.groups.map((g) => [g.name, engineOf(g)]));
  // where each group ran, as result.json says (runs with hosts only)
  const hostOf = new Map(r.groups.map((g) => [g.name, refs(g.host)]));
  return {
    transport: transportOf(r),
    endpoints: names.map((name) => {
      const address = external.get(name);
      // each endpoint's transport, when they differ (the run's transport says it otherwise)
      const transport = mixed ? r.endpointTransports?.[name] : undefined;
      return {
        name,
        addresses: r.endpoints[name] ?? (address === undefined ? [] : [address]),
        ...(address === undefined ? {} : { external: true }),
        ...(transport === undefined ? {} : { transport }),
      };
    }),
    groups: groupSpecs(r)
      .map(asStage)
      .map((g) => {
        const detail = groupDetail(g);
        const engine = engines.get(String(g.name)) ?? DEFAULT_ENGINE;
        return {
          name: String(g.name ?? '?'),
          type: String(g.type ?? '?'),
          ...(typeof g.side === 'string' ? { side: g.side } : {}),
          count: typeof g.count === 'number' ? g.count : 1,
          placement: typeof g.placement === 'string' ? g.placement : 'thread',
          ...(engine !== DEFAULT_ENGINE ? { engine } : {}),
          bind: refs(g.bind),
          connect: refs(g.connect),
          ...(g.forward ? { forward: { type: String(g.forward.type), bind: refs(g.forward.bind), connect: refs(g.forward.connect) } } : {}),
          ...(detail ? { detail } : {}),
          ...(r.hosts && (hostOf.get(String(g.name))?.length ?? 0) > 0 ? { host: hostOf.get(String(g.name))! } : {}),
        };
      }),
    ...(r.hosts ? { hosts: topologyHosts(r) } : {}),
  };
}

/** The run's hosts, and the coordinator's own host when a group ran there (one without `host`). */
function topologyHosts(r: RunResult): NonNullable<TopologyInput['hosts']> {
  const hosts = (r.hosts ?? []).map((h) => ({ label: h.label, hostname: h.facts.hostname, agent: h.agent }));
  const here = r.groups.some((g) => refs(g.host).length === 0);
  return here ? [...hosts, { label: 'coordinator', hostname: r.environment.hostname, agent: 'local', coordinator: true as const }] : hosts;
}

/** group name → its placement as it ran (thread or process). */
export function placements(r: RunResult): Map<string, string> {
  return new Map(groupSpecs(r).map((g) => [String(g.name), typeof g.placement === 'string' ? g.placement : 'thread']));
}
