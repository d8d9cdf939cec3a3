import { sleep } from '../../core/clock.js';
import type { LastSeq, RoleStatus } from '../../protocol/control.js';
import { expectedPerGroup, type TopologyPlan } from '../../scenario/plan.js';
import type { RunSession } from '../run-session.js';

const DRAIN_POLL_MS = 50;
/** nothing arrived for this long: the rest is lost */
export const DRAIN_IDLE_MS = 500;

/**
 * Drain: the receivers catch up after the senders stopped. Only the interrupt cuts it short:
 * a run that stopped early for any other reason still collects what is on its way.
 */
export async function drain(session: RunSession): Promise<void> {
  const start = session.since();
  await drainUntilCaughtUp(
    session.plan,
    session.record.lastSeqs,
    () => session.statuses(),
    session.scenario.drainMs,
    session.options.signal,
  );
  session.record.drainedMs = session.since() - start;
}

/**
 * Polls the receivers until every receiving group has what was sent to it, or nothing arrived
 * for a while (the rest is lost), or `drainMs` passed, or `signal` aborts.
 */
export async function drainUntilCaughtUp(
  plan: TopologyPlan,
  lastSeqs: LastSeq[],
  statuses: () => Promise<RoleStatus[]>,
  drainMs: number,
  signal?: AbortSignal,
): Promise<void> {
  const sentOn = new Map(lastSeqs.map((l) => [`${l.sourceId}:${l.stream}`, l.lastSeq + 1]));
  const expectedByGroup = expectedPerGroup(plan, (k) => sentOn.get(`${k.sourceId}:${k.stream}`) ?? 0);
  const start = performance.now();
  let lastTotal = -1;
  let lastChange = start;
  while (performance.now() - start < drainMs && !signal?.aborted) {
    const status = await statuses();
    const receivedByGroup = new Map<string, number>();
    let total = 0;
    for (const s of status) {
      const group = plan.roles[s.roleId]!.group;
      total += s.received;
      receivedByGroup.set(group, (receivedByGroup.get(group) ?? 0) + s.received);
    }
    if ([...expectedByGroup].every(([g, n]) => (receivedByGroup.get(g) ?? 0) >= n)) return;
    if (total !== lastTotal) {
      lastTotal = total;
      lastChange = performance.now();
    } else if (performance.now() - lastChange > DRAIN_IDLE_MS) return;
    await sleep(DRAIN_POLL_MS, { signal });
  }
}
