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
