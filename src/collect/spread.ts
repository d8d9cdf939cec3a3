import type { Spread } from '../core/types.js';
import type { RoleReport } from '../protocol/control.js';
import type { RolePlan } from '../scenario/plan.js';

/**
 * How evenly messages spread over sockets (B14: PUSH round robin over workers) and over the
 * sources a receiver reads (B9: a SUB on several PUBs; B15: a PULL fair-queuing several
 * PUSHes). Pure.
 */

export function spreadOf(counts: Record<string, number>): Spread | undefined {
  const values = Object.values(counts);
  if (values.length < 2) return undefined;
  const total = values.reduce((a, b) => a + b, 0);
  const mean = total / values.length;
  return {
    counts,
    maxShare: total === 0 ? 0 : round4(Math.max(...values) / total),
    maxDeviation: mean === 0 ? 0 : round4(Math.max(...values.map((v) => Math.abs(v - mean))) / mean),
  };
}

/** Messages per socket of a group that receives (received) or only sends (sent): name[i] → count. */
export function perSocket(
  group: string,
  reports: readonly RoleReport[],
  plans: readonly RolePlan[],
  what: 'received' | 'sent',
): Spread | undefined {
  const counts: Record<string, number> = {};
  for (const plan of [...plans].sort((a, b) => a.instance - b.instance)) {
    const r = reports.find((x) => x.roleId === plan.roleId);
    counts[`${group}[${plan.instance}]`] = r ? r[what] : 0;
  }
  return spreadOf(counts);
}

/**
 * Messages a receiving group got from each sending socket, from the sequence tallies (only
 * messages with zmq-bench's header carry their source). Sources are named name[i].
 */
export function perSource(reports: readonly RoleReport[], allRoles: readonly RolePlan[]): Spread | undefined {
  const label = new Map<number, string>();
  for (const r of allRoles) label.set(r.sourceId, `${r.group}[${r.instance}]`);
  const counts: Record<string, number> = {};
  for (const t of reports.flatMap((r) => r.tallies)) {
    const name = label.get(t.sourceId) ?? `source ${t.sourceId}`;
    counts[name] = (counts[name] ?? 0) + t.received;
  }
  return spreadOf(counts);
}

function round4(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}
