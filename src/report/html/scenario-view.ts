import type { RunResult } from '../../core/types.js';
import { parseSizeBytes } from '../../core/units.js';
import type { GroupSpec, ScenarioFile } from '../../scenario/schema.js';
import { formatBytes, formatRate } from '../format.js';
import type { TopologyInput } from './topology-svg.js';

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

export function scenarioDescription(r: RunResult): string {
  const d = scenarioFile(r).description;
  return typeof d === 'string' ? d.trim() : '';
}

/** One line on what a group does: "1.00 KiB at 10.0k/s", "64 B as fast as possible", "delay 1ms". */
function groupDetail(g: Partial<GroupSpec>): string | undefined {
  if (g.rate !== undefined || g.size !== undefined) {
    const bytes = g.size === undefined ? undefined : parseSizeBytes(g.size);
    const size = bytes === undefined ? '' : `${formatBytes(bytes)} `;
    const rate = g.rate === undefined || g.rate === 'max' ? 'as fast as possible' : typeof g.rate === 'number' ? `at ${formatRate(g.rate)}/s` : '';
    return `${size}${rate}`.trim() || undefined;
  }
  if (typeof g.delay === 'string' && g.delay !== '0s') return `delay ${g.delay}`;
  if (Array.isArray(g.delay) || (typeof g.delay === 'object' && g.delay !== null)) return 'delay varies';
  return undefined;
}

export function topologyInput(r: RunResult): TopologyInput {
  const file = scenarioFile(r);
  const declared = Array.isArray(file.topology?.endpoints) ? file.topology.endpoints.filter((e) => typeof e === 'string') : [];
  const names = [...new Set([...declared, ...Object.keys(r.endpoints)])];
  return {
    transport: typeof file.transport === 'string' ? file.transport : '?',
    endpoints: names.map((name) => ({ name, addresses: r.endpoints[name] ?? [] })),
    groups: groupSpecs(r).map((g) => {
      const detail = groupDetail(g);
      return {
        name: String(g.name ?? '?'),
        type: String(g.type ?? '?'),
        count: typeof g.count === 'number' ? g.count : 1,
        placement: typeof g.placement === 'string' ? g.placement : 'thread',
        bind: refs(g.bind),
        connect: refs(g.connect),
        ...(g.forward ? { forward: { type: String(g.forward.type), bind: refs(g.forward.bind), connect: refs(g.forward.connect) } } : {}),
        ...(detail ? { detail } : {}),
      };
    }),
  };
}

/** group name → its placement as it ran (thread or process). */
export function placements(r: RunResult): Map<string, string> {
  return new Map(groupSpecs(r).map((g) => [String(g.name), typeof g.placement === 'string' ? g.placement : 'thread']));
}
