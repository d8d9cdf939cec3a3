import { randomUUID } from 'node:crypto';
import { invalidInput, invalidMeasurement, messageOf } from '../../core/errors.js';
import type { Scenario } from '../../scenario/schema.js';
import { AgentLink, type AgentTarget, type CoordinatorKeys } from './agent-link.js';
import { localAddressToward } from './local-address.js';

export interface AgentOptions {
  targets: AgentTarget[];
  /** null: no CURVE (agents on loopback only) */
  keys: CoordinatorKeys | null;
  /** how long each agent may take to answer at the start (--agent-timeout) */
  timeoutMs: number;
}

/** The agents of one run, by host label, and this host's address toward them. */
export interface RunAgents {
  links: Map<string, AgentLink>;
  /** what the sockets bound here bind, so that the agents can reach them */
  localAddress?: string;
}

/**
 * Connects to every agent the run uses (the labels of its groups' hosts that --agents binds),
 * all at once. One that cannot be used fails the run before anything starts (exit 97), naming
 * it; the others are let go again.
 */
export async function openAgents(scenario: Scenario, options: AgentOptions | undefined, log: (line: string) => void): Promise<RunAgents> {
  const used = new Set(scenario.groups.flatMap((g) => g.hosts));
  const targets = (options?.targets ?? []).filter((t) => used.has(t.label));
  if (targets.length === 0) return { links: new Map() };
  if (scenario.startOrder === 'connect-first')
    throw invalidInput([
      `scenario ${JSON.stringify(scenario.name)}: start: connect-first cannot be used with --agents yet (ports are reserved on this host only)`,
    ]);
  const runId = randomUUID();
  const opened = await Promise.allSettled(targets.map((t) => AgentLink.open(t, options!.keys, options!.timeoutMs, runId)));
  const failures = opened.flatMap((o) => (o.status === 'rejected' ? [messageOf(o.reason)] : []));
  const links = new Map(opened.flatMap((o, i) => (o.status === 'fulfilled' ? [[targets[i]!.label, o.value] as const] : [])));
  if (failures.length > 0) {
    await Promise.all([...links.values()].map((l) => l.close()));
    throw invalidMeasurement(failures);
  }
  for (const link of links.values()) log(describeLink(link));
  const unbound = [...used].filter((label) => !links.has(label));
  if (unbound.length > 0) log(`host ${unbound.join(', ')}: no agent given (--agents), runs here`);
  return { links, localAddress: await localAddressToward(links.values().next().value!.address) };
}

export async function closeAgents(agents: RunAgents): Promise<void> {
  await Promise.all([...agents.links.values()].map((l) => l.close()));
}

function describeLink(link: AgentLink): string {
  const f = link.facts!;
  const c = link.clock!;
  const ms = (ns: bigint) => (Number(ns) / 1e6).toFixed(3);
  return `agent ${link.label} (${link.target.url}): ${f.hostname}, ${f.cores} cores, binds ${f.address}; clock offset ${ms(c.offsetNs)} ms ± ${ms(c.uncertaintyNs)} ms`;
}
