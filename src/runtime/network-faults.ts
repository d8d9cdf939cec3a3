import { messageOf } from '../core/errors.js';
import type { TimelineEntry } from '../core/types.js';
import type { NetworkFault, Scenario } from '../scenario/schema.js';
import type { TopologyPlan } from '../scenario/plan.js';
import { parseTarget } from '../scenario/validate.js';
import { NetFaults, type Applied } from '../transport/net-faults.js';
import { establishedConnections, flowOf, type Endpoint } from '../transport/tcp-connections.js';

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
}

const pairKey = (groups: readonly string[]) => [...groups].sort().join('\u0000');

export class NetworkFaultScheduler {
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly entries: TimelineEntry[] = [];
  private readonly active = new Map<string, Applied>();
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
    await this.tool.removeAll();
    this.active.clear();
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
      const key = pairKey(fault.groups);
      if (fault.action === 'heal') {
        await this.active.get(key)?.remove();
        this.active.delete(key);
      } else {
        const addresses = this.boundBetween(fault.groups);
        const flows = (await establishedConnections()).filter((c) => addresses.has(`${c.local.ip}:${c.local.port}`)).map(flowOf);
        if (flows.length === 0) throw new Error(`no tcp connection between ${fault.groups.join(' and ')} on this host`);
        await this.active.get(key)?.remove();
        this.active.delete(key);
        if (fault.action === 'cut') await this.tool.cut(flows);
        // a partition drops the binder's addresses, reconnects included (no other group meets the pair there)
        else if (fault.action === 'partition') this.active.set(key, await this.tool.partitionAddresses([...addresses.values()]));
        else this.active.set(key, await this.tool.slow(flows, fault.bandwidthBps!));
      }
      this.entries.push(entry);
    } catch (e) {
      this.entries.push({ ...entry, error: messageOf(e) });
    }
  }

  /** The addresses one group (or one socket of it) bound at the endpoints the other connects to, by `ip:port`. */
  private boundBetween(groups: readonly [string, string]): Map<string, Endpoint> {
    const { scenario, plan, boundAt } = this.host;
    const bound = new Map<string, Endpoint>();
    const [ta, tb] = groups.map((t) => parseTarget(t) ?? { group: t, instance: null });
    for (const [binder, connector] of [
      [ta!, tb!],
      [tb!, ta!],
    ] as const) {
      const b = scenario.groups.find((g) => g.name === binder.group);
      const c = scenario.groups.find((g) => g.name === connector.group);
      if (!b || !c) continue;
      const endpoints = [...b.bind, ...(b.forward?.bind ?? [])].filter((e) => [...c.connect, ...(c.forward?.connect ?? [])].includes(e));
      // one socket of the binder (workers[1]): only the address it bound
      for (const role of plan.roles.filter((r) => r.group === binder.group && (binder.instance === null || r.instance === binder.instance)))
        for (const e of endpoints) {
          const address = boundAt.get(`${role.roleId}:${e}`);
          const m = address === undefined ? null : /^tcp:\/\/\[?([^\]]+?)\]?:(\d+)$/.exec(address);
          if (m) bound.set(`${m[1]}:${m[2]}`, { ip: m[1]!, port: Number(m[2]) });
        }
    }
    return bound;
  }
}
