import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { sleep, type Clock } from '../core/clock.js';
import type { RateShape } from '../scenario/schema.js';

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

/**
 * `ramp`: the rate goes linearly from `fromPerSec` to `toPerSec` over `overMs`, then stays at
 * `toPerSec`. Message n is due when the integral of the rate reaches n: with
 * r(t) = a + k·t (k = (b - a) / T), a·t + k·t²/2 = n, so t = 2n / (a + √(a² + 2kn)) (the form
 * without a cancelling subtraction, good for k < 0 and k = 0 too). The ramp holds
 * (a + b)·T / 2 messages; after it, message n is due at T + (n - (a + b)·T / 2) / b.
 */
export function rampPacer(fromPerSec: number, toPerSec: number, overMs: number, startNs: bigint): Pacer {
  const a = fromPerSec;
  const seconds = overMs / 1000;
  const k = (toPerSec - a) / seconds;
  const inRamp = ((a + toPerSec) * seconds) / 2;
  let n = 0;
  return {
    next: () => {
      const i = n++;
      const t = i <= inRamp ? (2 * i) / (a + Math.sqrt(a * a + 2 * k * i)) : seconds + (i - inRamp) / toPerSec;
      return startNs + BigInt(Math.round(t * 1e9));
    },
  };
}

/** `bursts`: message n is due at floor(n / size) · every, so each burst is due at once at the start of its period. */
export function burstPacer(size: number, everyMs: number, startNs: bigint): Pacer {
  const everyNs = BigInt(Math.round(everyMs * 1e6));
  let n = 0;
  return { next: () => startNs + BigInt(Math.floor(n++ / size)) * everyNs };
}

/**
 * `steps`: constant rates one after the other. Step j starts when step j-1 ends (the sum of the
 * `for`s before it); its message m is due at its start + m / rate, for as long as that is
 * before its end; the last step goes on for ever. A `max` step hands out "now" (never before
 * its start) until the clock passes its end.
 */
export function stepPacer(steps: ReadonlyArray<{ ratePerSec: number | null; forMs: number | null }>, startNs: bigint, clock: Clock): Pacer {
  if (steps.length === 0) throw new Error('a step pacer needs at least one step');
  let j = 0;
  let stepStartNs = startNs;
  let m = 0;
  const endOf = (i: number, from: bigint): bigint | null => {
    const forMs = steps[i]!.forMs;
    return i === steps.length - 1 || forMs === null ? null : from + BigInt(Math.round(forMs * 1e6));
  };
  let endNs = endOf(0, startNs);
  let intervalNs = steps[0]!.ratePerSec === null ? 0 : 1e9 / steps[0]!.ratePerSec;
  return {
    next: () => {
      for (;;) {
        const rate = steps[j]!.ratePerSec;
        let due: bigint;
        if (rate === null) {
          const now = clock.nowNs();
          due = now > stepStartNs ? now : stepStartNs;
        } else due = stepStartNs + BigInt(Math.round(m * intervalNs));
        if (endNs === null || due < endNs) {
          m++;
          return due;
        }
        j++;
        stepStartNs = endNs;
        endNs = endOf(j, stepStartNs);
        m = 0;
        const next = steps[j]!.ratePerSec;
        intervalNs = next === null ? 0 : 1e9 / next;
      }
    },
  };
}

/** The pacer of a rate shape, timed from `startNs` (the start of measurement). */
export function shapePacer(shape: RateShape, startNs: bigint, clock: Clock): Pacer {
  switch (shape.kind) {
    case 'ramp':
      return rampPacer(shape.fromPerSec, shape.toPerSec, shape.overMs, startNs);
    case 'bursts':
      return burstPacer(shape.size, shape.everyMs, startNs);
    case 'steps':
      return stepPacer(shape.steps, startNs, clock);
  }
}

/**
 * Warm-up under a rate shape: its first rate held (the ramp's `from`, the first step's rate;
 * bursts stay bursts), so that measurement starts the shape from its beginning.
 */
export function shapeStartPacer(shape: RateShape, startNs: bigint, clock: Clock): Pacer {
  switch (shape.kind) {
    case 'ramp':
      return constantRatePacer(shape.fromPerSec, startNs);
    case 'bursts':
      return burstPacer(shape.size, shape.everyMs, startNs);
    case 'steps': {
      const first = shape.steps[0]!.ratePerSec;
      return first === null ? unpacedPacer(clock) : constantRatePacer(first, startNs);
    }
  }
}

/** `rate: max`: every message is due the moment the sender gets to it. */
export function unpacedPacer(clock: Clock): Pacer {
  return { next: () => clock.nowNs() };
}

/**
 * Waits until `dueNs`. Timers are only ms-accurate, so the last millisecond is spent
 * yielding to the event loop (never a blocking spin: other roles share the thread). That keeps
 * the thread busy: a sender whose messages are less than 2 ms apart uses about a core. Sleeping
 * closer to the due time (a 0.3 ms margin) halves that below ~800 msgs/s, but timers that wake
 * late under load then put the send lag p99 in milliseconds: measured, and not worth it.
 */
export async function waitUntil(dueNs: bigint, clock: Clock): Promise<void> {
  for (;;) {
    const aheadNs = dueNs - clock.nowNs();
    if (aheadNs <= 0n) return;
    if (aheadNs > 2_000_000n) await sleep(Number(aheadNs / 1_000_000n) - 1);
    else await yieldToLoop();
  }
}
