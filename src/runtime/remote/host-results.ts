import type { Environment, GroupResult, HostResult, TimeSeries } from '../../core/types.js';
import { isRoundTrip, type Scenario } from '../../scenario/schema.js';
import type { TopologyPlan } from '../../scenario/plan.js';
import type { AgentLink } from './agent-link.js';

const nsToMs = (ns: bigint): number => Number(ns) / 1e6;

/** Every declared host of the run: its agent, or this host ("local") for labels without one. */
export function hostResults(
  scenario: Scenario,
  agents: ReadonlyMap<string, AgentLink>,
  local: { environment: Environment; address: string },
): HostResult[] {
  return scenario.hosts.map((label) => {
    const link = agents.get(label);
    if (!link?.facts || !link.clock) return { label, agent: 'local', address: local.address, facts: local.environment, clock: null };
    const { address, pid: _pid, ...facts } = link.facts;
    const c = link.clock;
    return {
      label,
      agent: link.target.url,
      address,
      facts,
      clock: { offsetMs: nsToMs(c.offsetNs), uncertaintyMs: nsToMs(c.uncertaintyNs), rttMs: nsToMs(c.rttNs), samples: c.samples },
    };
  });
}

/**
 * Each group's host, and for one-way latency whose senders ran on another host than the
 * receiver, the uncertainty the clocks add (the two hosts' offset uncertainties; 0 here).
 */
export function withHosts(groups: GroupResult[], scenario: Scenario, plan: TopologyPlan, hosts: readonly HostResult[]): GroupResult[] {
  if (scenario.hosts.length === 0) return groups;
  const uncertainty = (label: string | null): number => hosts.find((h) => h.label === label)?.clock?.uncertaintyMs ?? 0;
  return groups.map((g) => {
    const spec = scenario.groups.find((s) => s.name === g.name);
    if (!spec) return g;
    let across: number | null = null;
    if (!isRoundTrip(spec.type)) {
      for (const role of plan.roles.filter((r) => r.group === g.name)) {
        for (const { sourceId } of role.streams) {
          const source = plan.roles[sourceId];
          if (source && source.host !== role.host) across = Math.max(across ?? 0, uncertainty(role.host) + uncertainty(source.host));
        }
      }
    }
    return {
      ...g,
      ...(spec.hosts.length > 0 ? { host: spec.hosts.length === 1 ? spec.hosts[0]! : spec.hosts } : {}),
      ...(across !== null ? { clockUncertaintyMs: Math.round(across * 1000) / 1000 } : {}),
    };
  });
}

/** Each worker's series says which host it ran on (worker ids are slots). */
export function workersWithHosts(series: TimeSeries, plan: TopologyPlan): TimeSeries {
  const workers = Object.fromEntries(
    Object.entries(series.workers).map(([slot, w]) => {
      const host = plan.slots[Number(slot)]?.host;
      return [slot, host ? { host, ...w } : w];
    }),
  );
  return { ...series, workers };
}
