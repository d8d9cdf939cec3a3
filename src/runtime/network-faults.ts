import { messageOf } from '../core/errors.js';
import type { TimelineEntry } from '../core/types.js';
import type { NetworkFault, Scenario } from '../scenario/schema.js';
import type { TopologyPlan } from '../scenario/plan.js';
import { networkPairKey, parseTarget } from '../scenario/validate.js';
import type { AgentLink } from './remote/agent-link.js';
import { tcpTarget } from '../transport/kernel-queues.js';
import { NetFaults, type Applied } from '../transport/net-faults.js';
import type { Endpoint } from '../transport/tcp-connections.js';

/**
 * Carries out the scenario's network faults (partition, cut, slow, heal) on their timeline, on the
 * real tcp connections between two groups on this host: those of the addresses the one group's
 * sockets bound at the endpoints the other connects to (validation made sure no third group
 * connects there). What was done, and when, goes to the timeline; whether and when the fault was
 * noticed and traffic came back is worked out at the end (network-fault-figures.ts).
 */

export interface NetworkFaultHost {
  scenario: Scenario;
  plan: TopologyPlan;
  /** `roleId:endpoint` → the address that role bound */
  boundAt: ReadonlyMap<string, string>;
  /** ms since the start of measurement */
  now(): number;
  /** host label → its agent (a pair on agents' hosts is faulted there) */
  agents: ReadonlyMap<string, AgentLink>;
  /** each entry as soon as it is made (live listeners) */
  recorded?(entry: TimelineEntry): void;
}

/** What a partition or slow put in place: here, and on agents' hosts. */
interface Active {
  local?: Applied;
  links: AgentLink[];
}

export class NetworkFaultScheduler {
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly entries: TimelineEntry[] = [];
  private readonly active = new Map<string, Active>();
  private chain: Promise<void> = Promise.resolve();
  private readonly tool = new NetFaults();

  constructor(private readonly host: NetworkFaultHost) {}

  start(): void {
    for (const fault of this.host.scenario.networkFaults) {
      this.at(fault.atMs, () => this.run(fault));
      if (fault.forMs !== null)
        this.at(fault.atMs + fault.forMs, () =>
          this.run({ ...fault, action: 'heal', atMs: fault.atMs + fault.forMs!, forMs: null, bandwidthBps: null }),
        );
    }
  }

  /** Stops what has not happened, waits for what is happening, and heals everything. */
  async stop(): Promise<TimelineEntry[]> {
    for (const t of this.timers) clearTimeout(t);
    await this.chain;
    for (const key of [...this.active.keys()]) await this.heal(key).catch(() => {});
    await this.tool.removeAll();
    return this.entries;
  }

  private at(atMs: number, action: () => Promise<void>): void {
    const delay = Math.max(0, atMs - this.host.now());
    // one at a time, in order: a heal must follow its partition
    this.timers.push(setTimeout(() => (this.chain = this.chain.then(action)), delay));
  }

  private async run(fault: NetworkFault): Promise<void> {
    const tMs = Math.round(this.host.now() * 1000) / 1000;
    const entry: TimelineEntry = {
      tMs,
      kind: 'fault',
      action: fault.action,
      target: fault.groups.join(' ↔ '),
      plannedMs: fault.atMs,
      ...(fault.bandwidthBps !== null ? { what: `${fault.bandwidthBps} bit/s` } : {}),
    };
    try {
      const key = networkPairKey(fault.groups);
      await this.heal(key);
      if (fault.action !== 'heal') await this.apply(fault, key);
      this.record({ ...entry, tookMs: Math.round((this.host.now() - tMs) * 1000) / 1000 });
    } catch (e) {
      this.record({ ...entry, error: messageOf(e) });
    }
  }

  /**
   * A partition drops every packet to and from the binder's addresses on every host of the pair
   * (on each, the packets arriving there: both directions die, reconnects included); a cut resets
   * the connections where the binder is; a slow link is shaped on every host of the pair, each
   * limiting what it sends. On an agent's host the agent does it (on its own host).
   */
  private async apply(fault: NetworkFault, key: string): Promise<void> {
    const { addresses, binderHosts, hosts } = this.between(fault.groups);
    const agentOf = (h: string | null) => (h === null ? undefined : this.host.agents.get(h));
    const links = [...hosts].flatMap((h) => agentOf(h) ?? []);
    const here = [...hosts].some((h) => agentOf(h) === undefined);
    const list = [...addresses.values()];
    if (fault.action === 'cut') {
      for (const h of binderHosts) {
        const link = agentOf(h);
        if (link) await link.netFault(key, 'cut', list);
        else await this.tool.cutAddresses(list);
      }
    } else if (fault.action === 'partition') {
      const active: Active = { links: [] };
      this.active.set(key, active);
      // every host at once: the fault is in place only when the last one has it
      await Promise.all([
        here ? this.tool.partitionAddresses(list).then((a) => void (active.local = a)) : undefined,
        ...links.map((link) => link.netFault(key, 'partition', list).then(() => void active.links.push(link))),
      ]);
    } else {
      // each host of the pair shapes what it sends on the pair's connections
      const active: Active = { links: [] };
      this.active.set(key, active);
      await Promise.all([
        here ? this.tool.slowConnections(list, fault.bandwidthBps!).then((a) => void (active.local = a)) : undefined,
        ...links.map((link) => link.netFault(key, 'slow', list, fault.bandwidthBps!).then(() => void active.links.push(link))),
      ]);
    }
  }

  private record(entry: TimelineEntry): void {
    this.entries.push(entry);
    this.host.recorded?.(entry);
  }

  private async heal(key: string): Promise<void> {
    const active = this.active.get(key);
    this.active.delete(key);
    await active?.local?.remove();
    for (const link of active?.links ?? []) await link.netFault(key, 'heal', []);
  }

  /** The addresses one group (or one socket of it) bound at the endpoints the other connects to, by `ip:port`, and the hosts of both sides. */
  private between(groups: readonly [string, string]): {
    addresses: Map<string, Endpoint>;
    binderHosts: Set<string | null>;
    hosts: Set<string | null>;
  } {
    const { scenario, plan, boundAt } = this.host;
    const bound = new Map<string, Endpoint>();
    const binderHosts = new Set<string | null>();
    const hosts = new Set<string | null>();
    const [ta, tb] = groups.map((t) => parseTarget(t) ?? { group: t, instance: null });
    for (const [binder, connector] of [
      [ta!, tb!],
      [tb!, ta!],
    ] as const) {
      const b = scenario.groups.find((g) => g.name === binder.group);
      const c = scenario.groups.find((g) => g.name === connector.group);
      if (!b || !c) continue;
      const endpoints = [...b.bind, ...(b.forward?.bind ?? [])].filter((e) => [...c.connect, ...(c.forward?.connect ?? [])].includes(e));
      if (endpoints.length === 0) continue;
      for (const role of plan.roles.filter((r) => r.group === connector.group)) hosts.add(role.host);
      // one socket of the binder (workers[1]): only the address it bound
      for (const role of plan.roles.filter(
        (r) => r.group === binder.group && (binder.instance === null || r.instance === binder.instance),
      )) {
        binderHosts.add(role.host);
        hosts.add(role.host);
        for (const e of endpoints) {
          const address = boundAt.get(`${role.roleId}:${e}`);
          const target = address === undefined ? undefined : tcpTarget(address);
          if (target) bound.set(`${target.host}:${target.port}`, { ip: target.host, port: target.port });
        }
      }
    }
    return { addresses: bound, binderHosts, hosts };
  }
}
