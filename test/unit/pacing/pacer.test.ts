import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Clock } from '../../../src/core/clock.js';
import type { RateShape } from '../../../src/scenario/schema.js';
import {
  burstPacer,
  constantRatePacer,
  rampPacer,
  shapePacer,
  shapeStartPacer,
  stepPacer,
  unpacedPacer,
  type Pacer,
} from '../../../src/pacing/pacer.js';

const START = 5_000_000_000n;
const MS = 1_000_000n;

/** A clock the test moves by hand. */
function manualClock(ns: bigint): Clock & { set(ns: bigint): void } {
  let now = ns;
  return { nowNs: () => now, set: (t) => (now = t) };
}

/** The intended times of messages 0 .. n-1, in ns after START. */
function times(p: Pacer, n: number): bigint[] {
  return Array.from({ length: n }, () => p.next() - START);
}

/** The intended time of message `at` (0-based), in ns after START. */
function timeOf(p: Pacer, at: number): bigint {
  for (let i = 0; i < at; i++) p.next();
  return p.next() - START;
}

const noClock: Clock = { nowNs: () => assert.fail('this pacer must not read the clock') };

describe('constantRatePacer', () => {
  it('message i is due at start + i / rate, whatever came before (unchanged)', () => {
    assert.deepEqual(times(constantRatePacer(1000, START), 4), [0n, MS, 2n * MS, 3n * MS]);
    assert.deepEqual(times(constantRatePacer(3, START), 3), [0n, 333_333_333n, 666_666_667n]);
    assert.equal(timeOf(constantRatePacer(50_000, START), 500_000), 10_000n * MS);
  });
});

describe('rampPacer', () => {
  it('message n is due when the integral of the linear rate reaches n', () => {
    // 1000 → 3000 msgs/s over 1 s: ∫ = 1000·t + 1000·t², 2000 messages in the ramp
    const at = (n: number) => timeOf(rampPacer(1000, 3000, 1000, START), n);
    assert.equal(at(0), 0n);
    assert.equal(at(750), 500n * MS); // 1000·0.5 + 1000·0.25
    assert.equal(at(2000), 1000n * MS); // the end of the ramp
    // then 3000 msgs/s: 300 more take 100 ms
    assert.equal(at(2300), 1100n * MS);
    // message 1: 1000·t + 1000·t² = 1 → t = (√5 - 1) / 2 ms… to the nearest ns
    assert.equal(at(1), BigInt(Math.round(((-1000 + Math.sqrt(1000 ** 2 + 4000)) / 2000) * 1e9)));
  });

  it('ramps down as well, and a flat ramp is a constant rate', () => {
    // 3000 → 1000 over 1 s: ∫ = 3000·t - 1000·t²
    const at = (n: number) => timeOf(rampPacer(3000, 1000, 1000, START), n);
    assert.deepEqual([at(1250), at(2000), at(2100)], [500n * MS, 1000n * MS, 1100n * MS]);
    assert.deepEqual(times(rampPacer(1000, 1000, 500, START), 5), times(constantRatePacer(1000, START), 5));
    assert.equal(timeOf(rampPacer(1000, 1000, 500, START), 700), 700n * MS);
  });

  it('the times only grow, through the end of the ramp', () => {
    const p = rampPacer(1000, 20_000, 5000, START);
    let prev = -1n;
    for (let i = 0; i < 150_000; i++) {
      const t = p.next();
      assert.ok(t >= prev, `message ${i}`);
      prev = t;
    }
    // 52,500 messages in the ramp, then 20,000/s: message 149,999 at 5 s + 97,499 / 20,000 s
    assert.equal(prev - START, 9_874_950_000n);
  });
});

describe('burstPacer', () => {
  it('message n is due at floor(n / size) · every', () => {
    const at = (n: number) => timeOf(burstPacer(100, 50, START), n);
    assert.deepEqual([at(0), at(99), at(100), at(199), at(250)], [0n, 0n, 50n * MS, 50n * MS, 100n * MS]);
    assert.deepEqual(times(burstPacer(2, 0.25, START), 5), [0n, 0n, 250_000n, 250_000n, 500_000n]);
  });
});

describe('stepPacer', () => {
  it('constant rates one after the other, each for its for; the last goes on', () => {
    const steps = [
      { ratePerSec: 1000, forMs: 2 },
      { ratePerSec: 4000, forMs: 1 },
      { ratePerSec: 500, forMs: null },
    ];
    const t = times(stepPacer(steps, START, noClock), 10);
    assert.deepEqual(t, [0n, MS, 2n * MS, 2_250_000n, 2_500_000n, 2_750_000n, 3n * MS, 5n * MS, 7n * MS, 9n * MS]);
  });

  it('a step whose rate leaves a remainder ends at its end: the next starts on time', () => {
    // 3/s for 1 s: due at 0, 333.3, 666.7 ms; then 10/s from 1 s
    const t = times(
      stepPacer(
        [
          { ratePerSec: 3, forMs: 1000 },
          { ratePerSec: 10, forMs: null },
        ],
        START,
        noClock,
      ),
      5,
    );
    assert.deepEqual(t, [0n, 333_333_333n, 666_666_667n, 1000n * MS, 1100n * MS]);
  });

  it('one step is a constant rate; the last step goes on past its own for', () => {
    assert.deepEqual(times(stepPacer([{ ratePerSec: 3, forMs: null }], START, noClock), 50), times(constantRatePacer(3, START), 50));
    assert.equal(timeOf(stepPacer([{ ratePerSec: 1000, forMs: 1 }], START, noClock), 10), 10n * MS);
  });

  it('a max step hands out now (never before its start) until the clock passes its end', () => {
    const clock = manualClock(START);
    const p = stepPacer(
      [
        { ratePerSec: 1000, forMs: 1 },
        { ratePerSec: null, forMs: 2 },
        { ratePerSec: 1000, forMs: null },
      ],
      START,
      clock,
    );
    assert.equal(p.next() - START, 0n);
    // the sender is early for the max step: its first message waits for the step to start
    assert.equal(p.next() - START, MS);
    clock.set(START + 1_500_000n);
    assert.equal(p.next() - START, 1_500_000n);
    assert.equal(p.next() - START, 1_500_000n);
    clock.set(START + 3n * MS);
    // the max step is over: the last step starts at 3 ms, on its own schedule
    assert.deepEqual(times(p, 3), [3n * MS, 4n * MS, 5n * MS]);
  });
});

describe('shapePacer and shapeStartPacer', () => {
  it('pick the pacer of the shape; warm-up holds the first rate', () => {
    const clock = manualClock(START);
    const ramp: RateShape = { kind: 'ramp', fromPerSec: 1000, toPerSec: 3000, overMs: 1000 };
    const bursts: RateShape = { kind: 'bursts', size: 3, everyMs: 10 };
    const steps: RateShape = {
      kind: 'steps',
      steps: [
        { ratePerSec: 2000, forMs: 1 },
        { ratePerSec: 10, forMs: null },
      ],
    };
    assert.equal(timeOf(shapePacer(ramp, START, clock), 750), 500n * MS);
    assert.deepEqual(times(shapePacer(bursts, START, clock), 4), [0n, 0n, 0n, 10n * MS]);
    assert.deepEqual(times(shapePacer(steps, START, clock), 3), [0n, 500_000n, MS]);
    // warm-up: the ramp's from, the first step's rate for ever, bursts as they are
    assert.deepEqual(times(shapeStartPacer(ramp, START, clock), 3), [0n, MS, 2n * MS]);
    assert.deepEqual(times(shapeStartPacer(steps, START, clock), 4), [0n, 500_000n, MS, 1_500_000n]);
    assert.deepEqual(times(shapeStartPacer(bursts, START, clock), 4), [0n, 0n, 0n, 10n * MS]);
    const maxFirst: RateShape = {
      kind: 'steps',
      steps: [
        { ratePerSec: null, forMs: 5 },
        { ratePerSec: 10, forMs: null },
      ],
    };
    clock.set(START + 42n);
    assert.equal(shapeStartPacer(maxFirst, START, clock).next() - START, 42n);
  });

  it('unpacedPacer: every message is due now', () => {
    const clock = manualClock(START);
    const p = unpacedPacer(clock);
    clock.set(START + 7n);
    assert.equal(p.next(), START + 7n);
  });
});
