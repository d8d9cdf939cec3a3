import type { DelayModel, Pause } from '../scenario/schema.js';

/**
 * Consumer processing time and pauses (slow consumers). Pure: no timers, no clock; the caller
 * passes the time since the start of measurement (negative during warm-up). Called once per
 * message, so everything is worked out up front and a call allocates nothing.
 */

const FIXED = 0;
const UNIFORM = 1;
const EXPONENTIAL = 2;

/**
 * The delay in ms for a message processed `elapsedMs` after the start of measurement. Phase i
 * covers [end of phase i-1, untilMs of phase i); before the start (warm-up) the first phase
 * applies, and the last phase goes on for ever, whatever its untilMs. Uniform and exponential
 * draw from `random` (floats in [0, 1), e.g. mulberry32(seed), so that runs repeat).
 */
export function createDelaySampler(model: DelayModel, random: () => number): (elapsedMs: number) => number {
  const n = model.phases.length;
  if (n === 0) return () => 0;
  const first = model.phases[0]!;
  // the common cases: a fixed delay, or none
  if (n === 1 && first.spec.kind === 'fixed') {
    const fixed = first.spec.ms;
    return () => fixed;
  }

  // Parallel typed arrays: a phase lookup is a few number comparisons.
  const ends = new Float64Array(n);
  const kinds = new Uint8Array(n);
  const a = new Float64Array(n); // fixed: ms; uniform: min; exponential: mean
  const b = new Float64Array(n); // uniform: max - min
  model.phases.forEach((p, i) => {
    ends[i] = i === n - 1 || p.untilMs === null ? Infinity : p.untilMs;
    const s = p.spec;
    if (s.kind === 'fixed') {
      kinds[i] = FIXED;
      a[i] = s.ms;
    } else if (s.kind === 'uniform') {
      kinds[i] = UNIFORM;
      a[i] = s.minMs;
      b[i] = s.maxMs - s.minMs;
    } else {
      kinds[i] = EXPONENTIAL;
      a[i] = s.meanMs;
    }
  });

  // Time mostly moves forward, so the search starts at the phase of the last call.
  let cursor = 0;
  return (elapsedMs: number): number => {
    let i = cursor;
    if (i > 0 && elapsedMs < ends[i - 1]!) i = 0;
    while (elapsedMs >= ends[i]!) i++; // ends[n - 1] is Infinity: stops at the last phase
    cursor = i;
    switch (kinds[i]) {
      case UNIFORM:
        return a[i]! + b[i]! * random();
      case EXPONENTIAL:
        // inverse transform; 1 - u is in (0, 1], so the logarithm is finite (0 - …: never -0)
        return 0 - a[i]! * Math.log(1 - random());
      default:
        return a[i]!;
    }
  };
}

/**
 * The ms left of the pause that `elapsedMs` (since the start of measurement) falls in; 0 when
 * not paused. A pause covers [atMs, atMs + forMs). `pauses` must be sorted by atMs and not
 * overlap, as validation ensures: a binary search finds the last one that has started.
 */
export function isPausedAt(pauses: readonly Pause[], elapsedMs: number): number {
  let lo = 0;
  let hi = pauses.length; // the first pause with atMs > elapsedMs is in [lo, hi]
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (pauses[mid]!.atMs <= elapsedMs) lo = mid + 1;
    else hi = mid;
  }
  if (lo === 0) return 0;
  const p = pauses[lo - 1]!;
  const left = p.atMs + p.forMs - elapsedMs;
  return left > 0 ? left : 0;
}
