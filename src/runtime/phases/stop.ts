import type { LastSeq } from '../../protocol/control.js';
import { CONTROL_TIMEOUT_MS, type RunSession } from '../run-session.js';

/** Interrupted: a sender blocked in send is given up after this instead of after the drain time. */
const INTERRUPTED_GRACE_MS = 300;

/**
 * Stop: the fault events that have not happened are called off, the senders stop, and every
 * receiver is told the last sequence number of every stream (to tell loss from lateness).
 */
export async function stopSenders(session: RunSession): Promise<void> {
  const { scenario, record } = session;
  const graceMs = session.interrupted ? Math.min(scenario.drainMs, INTERRUPTED_GRACE_MS) : scenario.drainMs;
  record.faultEntries = [...((await session.faults?.stop()) ?? []), ...((await session.networkFaults?.stop()) ?? [])];
  const stopped = await session.callAll({ kind: 'stop-senders', graceMs }, graceMs + CONTROL_TIMEOUT_MS);
  const answered = stopped.flatMap((r) => (r.kind === 'senders-stopped' ? r.lastSeqs : []));
  const unanswered = (slot: number) =>
    session.handles[slot]?.killed === true || session.plan.slots[slot]?.placement === 'process' || session.isRemote(slot);
  record.lastSeqs = withLastSampled(answered, session.sampler?.latestStreamsSent ?? new Map(), unanswered);
  await session.callAll({ kind: 'streams-ended', lastSeqs: record.lastSeqs });
}

/**
 * The last sequence numbers the senders answered with, plus, for the slots in `fromSamples`
 * (a killed process cannot answer), the streams they had sent by their last sample that no
 * answer covers: what those sent by then is all that is known.
 */
export function withLastSampled(
  answered: LastSeq[],
  latestStreamsSent: ReadonlyMap<number, LastSeq[]>,
  fromSamples: (slot: number) => boolean,
): LastSeq[] {
  const lastSeqs = [...answered];
  const known = new Set(answered.map((l) => `${l.sourceId}:${l.stream}`));
  for (const [slot, sent] of latestStreamsSent) {
    if (fromSamples(slot)) lastSeqs.push(...sent.filter((l) => !known.has(`${l.sourceId}:${l.stream}`)));
  }
  return lastSeqs;
}
