import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { sleep, type Clock } from '../core/clock.js';

/**
 * Hands out intended send times (open-loop load, as wrk2 does): message i of a constant-rate
 * sender is due at start + i / rate, whatever happened to message i-1, so a stalled sender
 * shows up as latency measured from the intended time instead of being hidden.
 */
export interface Pacer {
  /** Intended send time of the next message, in ns on the monotonic clock. */
  next(): bigint;
}

export function constantRatePacer(ratePerSec: number, startNs: bigint): Pacer {
  const intervalNs = 1e9 / ratePerSec;
  let i = 0;
  return { next: () => startNs + BigInt(Math.round(i++ * intervalNs)) };
}

/** `rate: max`: every message is due the moment the sender gets to it. */
export function unpacedPacer(clock: Clock): Pacer {
  return { next: () => clock.nowNs() };
}

/**
 * Waits until `dueNs`. Timers are only ms-accurate, so the last millisecond is spent
 * yielding to the event loop (never a blocking spin: other roles share the thread).
 */
export async function waitUntil(dueNs: bigint, clock: Clock): Promise<void> {
  for (;;) {
    const aheadNs = dueNs - clock.nowNs();
    if (aheadNs <= 0n) return;
    if (aheadNs > 2_000_000n) await sleep(Number(aheadNs / 1_000_000n) - 1);
    else await yieldToLoop();
  }
}
