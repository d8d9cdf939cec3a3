import { sleep } from '../../core/clock.js';
import { formatDurationMs } from '../../core/units.js';
import type { RunSession } from '../run-session.js';
import { bindAddresses, collectEndpoints, movedEndpoints, plannedEndpoints } from './addresses.js';
import { startSending } from './measure.js';

/**
 * start: connect-first: how long the connecting sockets' connections stay pending before the
 * binders bind. libzmq retries a refused connect every 100 ms (reconnect_ivl), so by then each
 * has failed at least once and waits for its retry: the connects are really ahead of the binds.
 */
export const CONNECT_FIRST_SETTLE_MS = 100;

/**
 * Set up: the binders bind, then everything connects. With `start: connect-first` the
 * connecting sockets dial first, to addresses fixed up front, and the binders bind a moment
 * later (B2). Without the barrier the senders start before the connects.
 */
export async function setUp(session: RunSession): Promise<void> {
  const { scenario, plan, record } = session;
  const connectFirst = scenario.startOrder === 'connect-first';
  const bindPlan = await bindAddresses(plan, scenario, session.allocator, connectFirst, (roleId) => session.bindIpOf(roleId));
  let dialled: Record<string, string[]> = {};
  if (connectFirst) {
    // Nothing is bound yet: every connect is refused (tcp) or finds no file (ipc) and retries.
    if (scenario.barrier) session.handshakes.open();
    dialled = plannedEndpoints(plan, bindPlan, scenario.external);
    await session.callAll({ kind: 'dial', addresses: dialled });
    session.log(`connected before any bind; binding in ${formatDurationMs(CONNECT_FIRST_SETTLE_MS)}`);
    await sleep(CONNECT_FIRST_SETTLE_MS, { signal: session.signal });
  }
  const bound = await session.callAll({ kind: 'bind', addresses: bindPlan });
  record.boundAtMs = session.since();
  record.endpoints = collectEndpoints(plan, bound, scenario.external);
  if (connectFirst) for (const problem of movedEndpoints(dialled, record.endpoints, scenario.external)) session.fail(problem);
  for (const r of bound) if (r.kind === 'bound') for (const a of r.addresses) record.boundAt.set(`${a.roleId}:${a.endpoint}`, a.address);
  // a socket that could not bind has failed the run with its own line
  if (!session.signal.aborted)
    session.log(
      `bound ${Object.entries(record.endpoints)
        .map(([e, a]) => `${e}=${a.join(',')}`)
        .join(' ')}`,
    );
  // Without the barrier, senders start while the others are still connecting: the slow
  // joiner (B7) and a pub with nobody yet to send to (B6) show as head loss.
  if (!scenario.barrier) await startSending(session);
  if (scenario.barrier) session.handshakes.open();
  await session.callAll({ kind: 'connect', addresses: record.endpoints });
}
