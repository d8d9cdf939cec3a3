import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mulberry32 } from '../../../src/core/prng.js';
import { createDelaySampler, isPausedAt } from '../../../src/pacing/delay.js';
import type { DelayModel, DelaySpec, Pause } from '../../../src/scenario/schema.js';

const one = (spec: DelaySpec): DelayModel => ({ phases: [{ untilMs: null, spec }] });
const fixed = (ms: number): DelaySpec => ({ kind: 'fixed', ms });

/** Mean of n samples at one time. */
function meanOf(sample: (elapsedMs: number) => number, n: number): number {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += sample(1000);
  return sum / n;
}

const noRandom = () => assert.fail('a fixed delay must not draw random numbers');

describe('createDelaySampler', () => {
  it('returns a fixed delay at any time, warm-up included', () => {
    const sample = createDelaySampler(one(fixed(1.5)), noRandom);
    for (const t of [-500, 0, 1, 1e9]) assert.equal(sample(t), 1.5);
    assert.equal(createDelaySampler(one(fixed(0)), noRandom)(10), 0);
    assert.equal(createDelaySampler({ phases: [] }, noRandom)(10), 0);
  });

  it('picks the phase by time since the start of measurement; a phase ends at its untilMs', () => {
    const model: DelayModel = {
      phases: [
        { untilMs: 5000, spec: fixed(0) },
        { untilMs: 6000, spec: fixed(1) },
        { untilMs: null, spec: fixed(2) },
      ],
    };
    const sample = createDelaySampler(model, noRandom);
    const at = (t: number) => sample(t);
    // forwards, as a run goes, then backwards and jumping (the cursor must not hide a phase)
    const times = [-100, 0, 4999.999, 5000, 5999, 6000, 1e7, 4999, -1, 5500, 7000, 0];
    assert.deepEqual(times.map(at), [0, 0, 0, 1, 1, 2, 2, 0, 0, 1, 2, 0]);
  });

  it('keeps the last phase going after its own end', () => {
    const sample = createDelaySampler(
      {
        phases: [
          { untilMs: 100, spec: fixed(0) },
          { untilMs: 200, spec: fixed(3) },
        ],
      },
      noRandom,
    );
    assert.deepEqual([99, 100, 199, 200, 1e6].map(sample), [0, 3, 3, 3, 3]);
    const single = createDelaySampler({ phases: [{ untilMs: 100, spec: { kind: 'exponential', meanMs: 1 } }] }, () => 0.5);
    assert.equal(single(1e6), -Math.log(0.5));
  });

  it('draws uniform delays within [min, max), with the right mean', () => {
    const sample = createDelaySampler(one({ kind: 'uniform', minMs: 0.1, maxMs: 2 }), mulberry32(42));
    let sum = 0;
    let lo = Infinity;
    let hi = -Infinity;
    const n = 100_000;
    for (let i = 0; i < n; i++) {
      const v = sample(i);
      sum += v;
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    assert.ok(lo >= 0.1 && hi < 2, `${lo}..${hi}`);
    assert.ok(lo < 0.11 && hi > 1.99, `spread over the whole range: ${lo}..${hi}`);
    const mean = sum / n;
    assert.ok(Math.abs(mean - 1.05) / 1.05 < 0.01, `mean ${mean}`);
    // the ends of [0, 1) map to the ends of the range
    assert.equal(createDelaySampler(one({ kind: 'uniform', minMs: 1, maxMs: 3 }), () => 0)(0), 1);
    assert.equal(createDelaySampler(one({ kind: 'uniform', minMs: 1, maxMs: 1 }), () => 0.7)(0), 1);
  });

  it('draws exponential delays by inverse transform, with the right mean', () => {
    const mean = meanOf(createDelaySampler(one({ kind: 'exponential', meanMs: 2 }), mulberry32(7)), 100_000);
    assert.ok(Math.abs(mean - 2) / 2 < 0.02, `mean ${mean}`);
    const at = (u: number) => createDelaySampler(one({ kind: 'exponential', meanMs: 2 }), () => u)(0);
    assert.equal(at(0), 0);
    assert.equal(at(0.5), 2 * Math.LN2);
    assert.ok(Number.isFinite(at(1 - 2 ** -32)), 'the largest draw of mulberry32 stays finite');
  });

  it('draws from random only in random phases, and repeats with the same seed', () => {
    const model: DelayModel = {
      phases: [
        { untilMs: 1000, spec: fixed(0) },
        { untilMs: null, spec: { kind: 'uniform', minMs: 0, maxMs: 10 } },
      ],
    };
    let draws = 0;
    const counting = createDelaySampler(model, () => (draws++, 0.5));
    for (let t = 0; t < 1000; t++) counting(t);
    assert.equal(draws, 0);
    assert.equal(counting(1000), 5);
    assert.equal(draws, 1);
    const run = (seed: number) => {
      const s = createDelaySampler(model, mulberry32(seed));
      return [1000, 1001, 1002].map(s);
    };
    assert.deepEqual(run(3), run(3));
    assert.notDeepEqual(run(3), run(4));
  });
});

describe('isPausedAt', () => {
  const pauses: Pause[] = [
    { atMs: 0, forMs: 100 },
    { atMs: 2000, forMs: 1000 },
    { atMs: 3000, forMs: 0.5 },
    { atMs: 10_000, forMs: 5000 },
  ];

  it('returns the ms left of the pause the time falls in, 0 outside pauses', () => {
    const cases: [number, number][] = [
      [-1, 0], // warm-up: pauses count from the start of measurement
      [0, 100],
      [99.5, 0.5],
      [100, 0],
      [1999, 0],
      [2000, 1000],
      [2999, 1],
      [3000, 0.5], // the next pause starts where the last one ends
      [3000.5, 0],
      [9999, 0],
      [12_500, 2500],
      [15_000, 0],
      [1e9, 0],
    ];
    for (const [t, left] of cases) assert.equal(isPausedAt(pauses, t), left, `at ${t}`);
  });

  it('is 0 without pauses', () => {
    assert.equal(isPausedAt([], 0), 0);
    assert.equal(isPausedAt([{ atMs: 5, forMs: 1 }], 4), 0);
    assert.equal(isPausedAt([{ atMs: 5, forMs: 1 }], 5), 1);
  });
});
