import { sleep } from '../../core/clock.js';
import { formatDurationMs } from '../../core/units.js';
import { CONTROL_TIMEOUT_MS, type RunSession } from '../run-session.js';

/** longest wait for the start barrier unless the run says otherwise */
export const BARRIER_TIMEOUT_MS = 10_000;

/**
 * The start barrier: every role connected (and every handshake done) before anyone sends.
 * Not reached in time fails the run with what each role still waits for. Skipped without a
 * barrier, or when the run is already stopping.
 */
export async function passBarrier(session: RunSession): Promise<void> {
  if (!session.scenario.barrier || session.signal.aborted) return;
  const timeoutMs = session.options.barrierTimeoutMs ?? BARRIER_TIMEOUT_MS;
  const reached = await barrierWithin(
    session.callAll({ kind: 'await-barrier' }, timeoutMs + CONTROL_TIMEOUT_MS),
    timeoutMs,
    session.signal,
  );
  session.handshakes.close();
  if (!reached && !session.signal.aborted) session.fail(await barrierProblem(session, timeoutMs));
  else if (reached)
    session.log(`start barrier reached ${formatDurationMs(Math.round(session.since() - session.record.boundAtMs))} after the binds`);
}

/**
 * True when `barrier` resolves within `timeoutMs`; false when the time runs out or `signal`
 * aborts first; rejects when the barrier does. The timer ends with whichever comes first, or
 * it would keep the process alive.
 */
export async function barrierWithin(barrier: Promise<unknown>, timeoutMs: number, signal: AbortSignal): Promise<boolean> {
  // First in line, so that a barrier reached wins over the timer it ends.
  const reached = barrier.then(() => true);
  const timer = new AbortController();
  const endTimer = (): void => timer.abort();
  barrier.then(endTimer, endTimer);
  if (signal.aborted) endTimer();
  signal.addEventListener('abort', endTimer, { once: true });
  try {
    return await Promise.race([reached, sleep(timeoutMs, { signal: timer.signal }).then(() => false)]);
  } finally {
    signal.removeEventListener('abort', endTimer);
  }
}

async function barrierProblem(session: RunSession, timeoutMs: number): Promise<string> {
  const { scenario } = session;
  const waiting = (await session.statuses()).filter((s) => s.waiting.length > 0);
  const detail = waiting.map((s) => `role ${s.roleId}: ${s.waiting.join('; ')}`).join(' | ');
  // No handshake error was seen (that fails the run at once), yet the handshakes never completed.
  const external = Object.values(scenario.external);
  const why = scenario.curve.enabled
    ? ' (curve is on: the CURVE handshakes never completed; the server key may be wrong)'
    : external.length > 0
      ? ` (is the service running at ${external.join(', ')}?)`
      : '';
  return `start barrier not reached within ${formatDurationMs(timeoutMs)}: ${detail || 'no role reported what it waits for'}${why}`;
}
