import type { SocketRole } from '../roles/role.js';

/**
 * A sample costs this thread the encoding of three histograms, and the coordinator their
 * decoding and merging: a burst of work on a 2-core machine where a round trip needs both
 * cores. Taken while a request waits for its reply, it lands in that round trip. So a sample
 * waits until the requests in flight have their replies, for at most this long (a closed loop
 * or a dead server always has one in flight). With this and the sampler's changes, a REQ at
 * 200/s against a Python REP server went from 2.8× to 1.8× pyzmq's p99 (bench/req-tail.ts,
 * docs/performance.md).
 */
export const SAMPLE_WAITS_FOR_REPLIES_MS = 20;

/** Resolves when every request in flight has its reply, or after `limitMs`, whichever comes first. */
export async function roundTripsSettled(roles: ReadonlyArray<Pick<SocketRole, 'roundTripInFlight'>>, limitMs: number): Promise<void> {
  const inFlight = roles.map((r) => r.roundTripInFlight()).filter((p): p is Promise<void> => p !== null);
  if (inFlight.length === 0) return;
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<void>((resolve) => (timer = setTimeout(resolve, limitMs)));
  try {
    await Promise.race([Promise.all(inFlight), limit]);
  } finally {
    clearTimeout(timer);
  }
}
