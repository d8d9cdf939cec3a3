/**
 * Monotonic nanosecond clock. process.hrtime.bigint() reads CLOCK_MONOTONIC, which every
 * thread and process on one host shares, so a send time stamped in one worker can be
 * subtracted from a receive time read in another.
 */
export interface Clock {
  nowNs(): bigint;
}

export const monotonicClock: Clock = { nowNs: () => process.hrtime.bigint() };

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

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
