import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mannWhitneyU, minimumPValue } from '../../../src/ci/mann-whitney.js';

/** Independent reference: U by counting pairs, the exact p by enumerating every split of the pooled values. */
function pairU(a: readonly number[], b: readonly number[]): number {
  let u = 0;
  for (const x of a) for (const y of b) u += x > y ? 1 : x === y ? 0.5 : 0;
  return u;
}

function enumeratedExactP(a: readonly number[], b: readonly number[]): number {
  const pooled = [...a, ...b];
  const n = pooled.length;
  const u = pairU(a, b);
  let atMost = 0;
  let atLeast = 0;
  let total = 0;
  for (let mask = 0; mask < 1 << n; mask++) {
    const x = pooled.filter((_, i) => (mask >> i) & 1);
    if (x.length !== a.length) continue;
    const y = pooled.filter((_, i) => !((mask >> i) & 1));
    const uSplit = pairU(x, y);
    total++;
    if (uSplit <= u) atMost++;
    if (uSplit >= u) atLeast++;
  }
  return Math.min(1, (2 * Math.min(atMost, atLeast)) / total);
}

/** Two-sided normal tail by Simpson's rule on the density: no shared code with the module. */
function twoSidedNormalTail(z: number): number {
  const to = Math.abs(z);
  const steps = 20_000;
  const h = to / steps;
  const f = (x: number) => Math.exp((-x * x) / 2) / Math.sqrt(2 * Math.PI);
  let s = f(0) + f(to);
  for (let i = 1; i < steps; i++) s += (i % 2 === 1 ? 4 : 2) * f(i * h);
  return 1 - 2 * ((s * h) / 3);
}

function normalReferenceP(a: readonly number[], b: readonly number[]): number {
  const n1 = a.length;
  const n2 = b.length;
  const n = n1 + n2;
  const counts = new Map<number, number>();
  for (const v of [...a, ...b]) counts.set(v, (counts.get(v) ?? 0) + 1);
  const tie = [...counts.values()].reduce((s, t) => s + (t * t * t - t), 0);
  const variance = ((n1 * n2) / 12) * (n + 1 - tie / (n * (n - 1)));
  const d = pairU(a, b) - (n1 * n2) / 2;
  const z = (d - Math.sign(d) * 0.5) / Math.sqrt(variance);
  return twoSidedNormalTail(z);
}

/** Deterministic pseudo-random numbers (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let t = seed;
  return () => {
    t = (t + 0x6d2b79f5) | 0;
    let r = Math.imul(t ^ (t >>> 15), 1 | t);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}

describe('mannWhitneyU', () => {
  // Known values: R's wilcox.test(x, y, exact = TRUE), confirmed with scipy.stats.mannwhitneyu.
  const known: Array<{ a: number[]; b: number[]; u: number; p: number }> = [
    { a: [1, 2, 3], b: [4, 5, 6], u: 0, p: 0.1 },
    { a: [4, 5, 6], b: [1, 2, 3], u: 9, p: 0.1 },
    { a: [1, 2, 3, 4, 5], b: [6, 7, 8, 9, 10], u: 0, p: 2 / 252 },
    { a: [1.1, 2.2, 3.3, 4.4], b: [0.5, 5.5, 6.6, 7.7], u: 4, p: 24 / 70 },
    { a: [3, 1, 4, 1.5, 5, 9, 2.6], b: [5.3, 5.8, 9.7, 9.3, 2.38, 4.6, 2.64, 3.3], u: 16, p: 0.1892773892773893 },
  ];
  for (const k of known) {
    it(`exact: ${JSON.stringify(k.a)} vs ${JSON.stringify(k.b)} → U = ${k.u}, p = ${k.p.toFixed(6)}`, () => {
      const r = mannWhitneyU(k.a, k.b);
      assert.equal(r.method, 'exact');
      assert.equal(r.u, k.u);
      assert.ok(Math.abs(r.pValue - k.p) < 1e-12, `p = ${r.pValue}`);
    });
  }

  it('agrees with enumeration of every split for random tie-free samples', () => {
    const next = random(42);
    for (let trial = 0; trial < 40; trial++) {
      const n1 = 1 + Math.floor(next() * 6);
      const n2 = 1 + Math.floor(next() * 6);
      const a = Array.from({ length: n1 }, () => next());
      // A shift now and then, so small p-values are covered too.
      const shift = trial % 3 === 0 ? 0.5 : 0;
      const b = Array.from({ length: n2 }, () => next() + shift);
      const r = mannWhitneyU(a, b);
      assert.equal(r.method, 'exact');
      assert.equal(r.u, pairU(a, b));
      assert.ok(Math.abs(r.pValue - enumeratedExactP(a, b)) < 1e-12, `trial ${trial}: ${r.pValue} vs ${enumeratedExactP(a, b)}`);
    }
  });

  it('is symmetric: swapping the samples gives the same p and U = n1·n2 − U', () => {
    const cases: Array<[number[], number[]]> = [
      [
        [1.1, 2.2, 3.3, 4.4],
        [0.5, 5.5, 6.6, 7.7],
      ],
      [
        [1, 2, 2, 3, 5],
        [2, 4, 4, 6, 7, 8],
      ],
      [
        [10, 20, 30],
        [15, 25, 35, 45],
      ],
    ];
    for (const [a, b] of cases) {
      const ab = mannWhitneyU(a, b);
      const ba = mannWhitneyU(b, a);
      assert.equal(ab.pValue, ba.pValue);
      assert.equal(ab.u + ba.u, a.length * b.length);
    }
  });

  it('uses the normal approximation with tie and continuity corrections when there are ties', () => {
    const cases: Array<{ a: number[]; b: number[]; scipy?: number }> = [
      // scipy.stats.mannwhitneyu(a, b, method='asymptotic') = 0.07934368319771502
      { a: [1, 2, 2, 3, 5], b: [2, 4, 4, 6, 7, 8], scipy: 0.07934368319771502 },
      { a: [5, 5, 6, 7, 7, 7], b: [7, 8, 8, 9] },
      { a: [100, 100, 101], b: [99, 100, 102, 102, 103] },
    ];
    for (const c of cases) {
      const r = mannWhitneyU(c.a, c.b);
      assert.equal(r.method, 'normal');
      assert.equal(r.u, pairU(c.a, c.b));
      assert.ok(Math.abs(r.pValue - normalReferenceP(c.a, c.b)) < 1e-6, `${r.pValue} vs ${normalReferenceP(c.a, c.b)}`);
      if (c.scipy !== undefined) assert.ok(Math.abs(r.pValue - c.scipy) < 1e-6);
    }
  });

  it('gives p = 1 when every value is the same', () => {
    assert.deepEqual(mannWhitneyU([10, 10, 10], [10, 10, 10]), { u: 4.5, pValue: 1, method: 'normal' });
  });

  it('uses the normal approximation for large samples', () => {
    const a = Array.from({ length: 25 }, (_, i) => i * 2);
    const b = Array.from({ length: 25 }, (_, i) => i * 2 + 1);
    const r = mannWhitneyU(a, b);
    assert.equal(r.method, 'normal');
    assert.ok(Math.abs(r.pValue - normalReferenceP(a, b)) < 1e-6);
  });

  it('caps p at 1', () => {
    const r = mannWhitneyU([1, 4], [2, 3]);
    assert.equal(r.pValue, 1);
  });

  it('refuses empty samples and non-numbers', () => {
    assert.throws(() => mannWhitneyU([], [1, 2]), /two non-empty samples \(got 0 and 2 values\)/);
    assert.throws(() => mannWhitneyU([1], []), /two non-empty samples/);
    assert.throws(() => mannWhitneyU([1, Number.NaN], [2]), /finite numbers/);
  });
});

describe('minimumPValue', () => {
  const table: Array<[number, number, number]> = [
    [1, 1, 1],
    [2, 2, 1 / 3],
    [3, 3, 0.1],
    [4, 4, 2 / 70],
    [5, 5, 2 / 252],
    [3, 5, 2 / 56],
  ];
  for (const [n1, n2, p] of table) {
    it(`${n1} and ${n2} runs → ${p.toFixed(4)}`, () => {
      assert.ok(Math.abs(minimumPValue(n1, n2) - p) < 1e-15);
      // The exact test reaches it with completely separated samples.
      const a = Array.from({ length: n1 }, (_, i) => i);
      const b = Array.from({ length: n2 }, (_, i) => 100 + i);
      assert.ok(Math.abs(mannWhitneyU(a, b).pValue - p) < 1e-12);
    });
  }
});
