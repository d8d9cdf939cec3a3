/**
 * Monotonic nanosecond clock. process.hrtime.bigint() reads CLOCK_MONOTONIC, which every
 * thread and process on one host shares, so a send time stamped in one worker can be
 * subtracted from a receive time read in another.
 */
export interface Clock {
  nowNs(): bigint;
}

export const monotonicClock: Clock = { nowNs: () => process.hrtime.bigint() };

/**
 * The monotonic clock of another host's timeline: this host's minus `offsetNs` (this host's
 * clock minus that one's). Workers on an agent read the coordinator's timeline through it.
 */
export function offsetClock(offsetNs: bigint): Clock {
  return offsetNs === 0n ? monotonicClock : { nowNs: () => process.hrtime.bigint() - offsetNs };
}

/**
 * Sleeps `ms`. With a signal it wakes early when the signal aborts (resolving, not rejecting:
 * an early stop is not an error), and clears its timer so that nothing keeps the process alive.
 */
export function sleep(ms: number, options: { signal?: AbortSignal } = {}): Promise<void> {
  const { signal } = options;
  if (!signal) return new Promise((resolve) => setTimeout(resolve, ms));
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const wake = (): void => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', wake);
      resolve();
    }, ms);
    signal.addEventListener('abort', wake, { once: true });
  });
}

/**
 * Sleeps, but wakes early when `wake` settles, and then clears its timer so that nothing
 * keeps the process (or a worker) alive. Resolves true when it slept the whole time.
 */
export async function sleepUnless(ms: number, wake: Promise<unknown>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const slept = await Promise.race([
    new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), ms))),
    wake.then(
      () => false,
      () => false,
    ),
  ]);
  clearTimeout(timer);
  return slept;
}
