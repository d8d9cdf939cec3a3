import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareVariants } from '../../../src/ci/compare.js';
import { environmentDifferences } from '../../../src/ci/environment-match.js';
import { figureStats } from '../../../src/ci/figures.js';
import { FIGURE_NAMES, type FigureName } from '../../../src/ci/types.js';
import type { Environment, FlowFigures, RunResult } from '../../../src/core/types.js';
import { LAT, NO_LATENCY, flow, pipeline } from '../../support/sample-result.js';

/** One repeat's headline figures; latency null = the run measured none. */
interface Sample {
  tp?: number;
  p50?: number | null;
  p99?: number;
  lost?: number;
  expected?: number;
  latencyKind?: FlowFigures['latencyKind'];
}

function run(s: Sample): RunResult {
  const latency = s.p50 === null ? NO_LATENCY : { ...LAT, p50: s.p50 ?? LAT.p50, p99: s.p99 ?? LAT.p99 };
  return pipeline({
    totals: flow({
      expected: s.expected ?? 10_000,
      lost: s.lost ?? 0,
      throughput: { msgsPerSec: s.tp ?? 1_000, bytesPerSec: (s.tp ?? 1_000) * 64 },
      latency,
      latencyKind: s.latencyKind ?? (s.p50 === null ? 'none' : 'one-way'),
    }),
  });
}

const variant = (name: string, samples: Sample[]) => ({ name, figures: figureStats(samples.map(run)) });
const tps = (...xs: number[]): Sample[] => xs.map((tp) => ({ tp }));
const p50s = (...xs: number[]): Sample[] => xs.map((p50) => ({ p50 }));
const O = { alpha: 0.05, tolerancePct: 10 };

describe('figureStats', () => {
  it('takes the median, min and max over the repeats, keeping the values in run order', () => {
    const f = figureStats([run({ tp: 100, p50: 30, p99: 90 }), run({ tp: 300, p50: 10, p99: 70 }), run({ tp: 200, p50: 20, p99: 80 })]);
    assert.deepEqual(f.throughput, { median: 200, min: 100, max: 300, values: [100, 300, 200], unit: 'msgs/s', better: 'higher' });
    assert.deepEqual(f.latency_p50, { median: 20, min: 10, max: 30, values: [30, 10, 20], unit: 'us', better: 'lower' });
    assert.deepEqual(f.latency_p99, { median: 80, min: 70, max: 90, values: [90, 70, 80], unit: 'us', better: 'lower' });
    assert.deepEqual(Object.keys(f), [...FIGURE_NAMES]);
  });

  it('leaves latency out of runs that did not measure it (none, mixed, or no samples)', () => {
    const f = figureStats([run({ p50: 10 }), run({ p50: null }), run({ p50: 40, latencyKind: 'mixed' }), run({ p50: 30 })]);
    assert.deepEqual(f.latency_p50.values, [10, null, null, 30]);
    assert.equal(f.latency_p50.median, 20);
    const none = figureStats([run({ p50: null }), run({ p50: null })]);
    assert.deepEqual(none.latency_p99, { median: null, min: null, max: null, values: [null, null], unit: 'us', better: 'lower' });
  });

  it('gives the loss rate as a fraction of what was expected, 0 when nothing was', () => {
    const f = figureStats([run({ lost: 200, expected: 10_000 }), run({ lost: 0, expected: 0 }), run({ lost: 50, expected: 1_000 })]);
    assert.deepEqual(f.loss_rate, { median: 0.02, min: 0, max: 0.05, values: [0.02, 0, 0.05], unit: 'fraction', better: 'lower' });
  });

  it('gives nulls for no runs', () => {
    assert.equal(figureStats([]).throughput.median, null);
  });
});

describe('environmentDifferences', () => {
  const env: Environment = pipeline().environment;
  const table: Array<{ title: string; now: Partial<Environment>; expected: string[] }> = [
    { title: 'the same environment', now: {}, expected: [] },
    { title: 'another hostname and memory', now: { hostname: 'runner-7', totalMemoryBytes: 64e9 }, expected: [] },
    { title: 'another node patch release', now: { node: 'v20.0.9' }, expected: [] },
    { title: 'padding in the CPU model', now: { cpuModel: 'test  ' }, expected: [] },
    { title: 'more cores', now: { cores: 4 }, expected: ['cores: 2 in the baseline, 4 now'] },
    { title: 'another node minor', now: { node: 'v20.11.1' }, expected: ['node: v20.0.0 in the baseline, v20.11.1 now'] },
    {
      title: 'everything else that counts',
      now: { cpuModel: 'AMD EPYC 7763', node: 'v22.1.0', zeromqJs: '6.9.0', libzmq: '4.3.4', os: 'Darwin', arch: 'arm64' },
      expected: [
        'cpuModel: test in the baseline, AMD EPYC 7763 now',
        'node: v20.0.0 in the baseline, v22.1.0 now',
        'zeromqJs: 6.8.0 in the baseline, 6.9.0 now',
        'libzmq: 4.3.5 in the baseline, 4.3.4 now',
        'os: Linux in the baseline, Darwin now',
        'arch: x64 in the baseline, arm64 now',
      ],
    },
  ];
  for (const t of table) {
    it(t.title, () => assert.deepEqual(environmentDifferences(env, { ...env, ...t.now }), t.expected));
  }
});

describe('compareVariants', () => {
  it('finds the throughput regression against a baseline twice as fast, the other figures unchanged', () => {
    const base = variant('pipeline-tcp', tps(2000, 2010, 1990, 2020, 1980));
    const cur = variant('pipeline-tcp', tps(1000, 1005, 995, 1010, 990));
    const c = compareVariants([base], [cur], O);
    assert.deepEqual(
      c.changes.map((x) => [x.figure, x.verdict, x.method, x.reason]),
      [
        ['throughput', 'regression', 'mann-whitney', '-50.0% (beyond ±10%), p = 0.008 < 0.05'],
        ['latency_p50', 'unchanged', 'mann-whitney', '+0.0% (within ±10%)'],
        ['latency_p99', 'unchanged', 'mann-whitney', '+0.0% (within ±10%)'],
        ['loss_rate', 'unchanged', 'mann-whitney', '0 in the baseline and now'],
      ],
    );
    const tp = c.changes[0]!;
    assert.equal(tp.variant, 'pipeline-tcp');
    assert.equal(tp.changePct, -50);
    assert.ok(Math.abs(tp.pValue! - 2 / 252) < 1e-12);
    assert.equal(tp.baseline, base.figures.throughput);
    assert.equal(tp.current, cur.figures.throughput);
    assert.deepEqual(c.notes, []);
    assert.equal(c.alpha, 0.05);
    assert.equal(c.tolerancePct, 10);
  });

  // One figure per row: what the baseline and the current runs measured, and what the comparison says.
  const table: Array<{
    title: string;
    figure: FigureName;
    base: Sample[];
    cur: Sample[];
    verdict: string;
    reason: string;
    method?: string;
    notes?: string[];
  }> = [
    {
      title: 'half the latency in the baseline → latency regression',
      figure: 'latency_p50',
      base: p50s(40, 41, 42, 43, 44),
      cur: p50s(84, 82, 80, 86, 88),
      verdict: 'regression',
      reason: '+100.0% (beyond ±10%), p = 0.008 < 0.05',
    },
    {
      title: 'twice as fast now → throughput improvement',
      figure: 'throughput',
      base: tps(1000, 1001, 1002, 1003, 1004),
      cur: tps(2004, 2000, 2002, 2006, 2008),
      verdict: 'improvement',
      reason: '+100.0% (beyond ±10%), p = 0.008 < 0.05',
    },
    {
      title: 'equal → unchanged',
      figure: 'throughput',
      base: tps(1000, 1000, 1000),
      cur: tps(1000, 1000, 1000),
      verdict: 'unchanged',
      reason: '+0.0% (within ±10%)',
      notes: ['with 3 and 3 runs, p cannot go below 0.100: at alpha 0.05 no change can be significant; use --repeat 5 or more'],
    },
    {
      title: 'significant but within the tolerance → unchanged',
      figure: 'throughput',
      base: tps(100, 101, 102, 103, 104),
      cur: tps(105, 106, 107, 108, 109),
      verdict: 'unchanged',
      reason: '+4.9% (within ±10%)',
    },
    {
      title: 'beyond the tolerance but not significant → unchanged',
      figure: 'throughput',
      base: tps(100, 120, 110),
      cur: tps(85, 130, 80),
      verdict: 'unchanged',
      reason: '-22.7% beyond ±10% but p = 0.700 ≥ 0.05: not significant',
      notes: ['with 3 and 3 runs, p cannot go below 0.100: at alpha 0.05 no change can be significant; use --repeat 5 or more'],
    },
    {
      title: 'no repeats, beyond the tolerance → regression by the tolerance alone',
      figure: 'throughput',
      base: tps(1000),
      cur: tps(850),
      verdict: 'regression',
      reason: '-15.0% (beyond ±10%)',
      method: 'tolerance only',
      notes: ['no repeats: changes are judged by the tolerance alone (±10%)'],
    },
    {
      title: 'repeats on one side only, within the tolerance → unchanged',
      figure: 'throughput',
      base: tps(1000, 1010, 990),
      cur: tps(968),
      verdict: 'unchanged',
      reason: '-3.2% (within ±10%)',
      method: 'tolerance only',
      notes: ['no repeats: changes are judged by the tolerance alone (±10%)'],
    },
    {
      title: 'loss appeared',
      figure: 'loss_rate',
      base: [{ lost: 0 }, { lost: 0 }],
      cur: [{ lost: 200 }, { lost: 300 }],
      verdict: 'regression',
      reason: 'loss appeared: 0 → 2.5%',
      notes: ['with 2 and 2 runs, p cannot go below 0.333: at alpha 0.05 no change can be significant; use --repeat 8 or more'],
    },
    {
      title: 'loss doubled',
      figure: 'loss_rate',
      base: [{ lost: 100 }, { lost: 110 }, { lost: 90 }, { lost: 95 }, { lost: 105 }],
      cur: [{ lost: 200 }, { lost: 210 }, { lost: 190 }, { lost: 220 }, { lost: 205 }],
      verdict: 'regression',
      reason: '+105.0% (beyond ±10%), p = 0.008 < 0.05',
    },
    {
      title: 'no latency in the baseline → not comparable',
      figure: 'latency_p99',
      base: [{ p50: null }, { p50: null }],
      cur: p50s(10, 11),
      verdict: 'not comparable',
      reason: 'not measured in the baseline',
      method: 'tolerance only',
      notes: ['with 2 and 2 runs, p cannot go below 0.333: at alpha 0.05 no change can be significant; use --repeat 8 or more'],
    },
    {
      title: 'no latency now → not comparable',
      figure: 'latency_p50',
      base: [{ p50: 10 }],
      cur: [{ p50: null }],
      verdict: 'not comparable',
      reason: 'not measured now',
      method: 'tolerance only',
      notes: ['no repeats: changes are judged by the tolerance alone (±10%)'],
    },
    {
      title: 'no latency on either side → not comparable',
      figure: 'latency_p50',
      base: [{ p50: null }],
      cur: [{ p50: null }],
      verdict: 'not comparable',
      reason: 'not measured in the baseline or now',
      method: 'tolerance only',
      notes: ['no repeats: changes are judged by the tolerance alone (±10%)'],
    },
    {
      title: 'a baseline throughput of 0 → not comparable',
      figure: 'throughput',
      base: tps(0),
      cur: tps(500),
      verdict: 'not comparable',
      reason: 'the baseline is 0: no relative change',
      method: 'tolerance only',
      notes: ['no repeats: changes are judged by the tolerance alone (±10%)'],
    },
  ];
  for (const t of table) {
    it(t.title, () => {
      const c = compareVariants([variant('v', t.base)], [variant('v', t.cur)], O);
      const change = c.changes.find((x) => x.figure === t.figure)!;
      assert.equal(change.verdict, t.verdict);
      assert.equal(change.reason, t.reason);
      assert.equal(change.method, t.method ?? 'mann-whitney');
      assert.equal(change.pValue === null, change.method === 'tolerance only');
      assert.deepEqual(c.notes, t.notes ?? []);
    });
  }

  it('has changePct null where there is no relative change', () => {
    const c = compareVariants([variant('v', [{ lost: 0, p50: null }])], [variant('v', [{ lost: 10 }])], O);
    assert.deepEqual(
      c.changes.map((x) => x.changePct),
      [0, null, null, null],
    );
  });

  it('says each note once, and the repeats needed given the baseline', () => {
    const flat = (n: number) => tps(...Array.from({ length: n }, (_, i) => 1000 + i));
    const c = compareVariants(
      [variant('a', flat(3)), variant('b', flat(3)), variant('c', flat(1))],
      [variant('a', flat(4)), variant('b', flat(4)), variant('c', flat(1))],
      O,
    );
    assert.deepEqual(c.notes, [
      'with 3 and 4 runs, p cannot go below 0.057: at alpha 0.05 no change can be significant; use --repeat 5 or more',
      'no repeats: changes are judged by the tolerance alone (±10%)',
    ]);
    // 3 and 5 can reach 2/56 < 0.05: no note.
    assert.deepEqual(compareVariants([variant('a', flat(3))], [variant('a', flat(5))], O).notes, []);
    // A stricter alpha needs more repeats.
    assert.deepEqual(compareVariants([variant('a', flat(4))], [variant('a', flat(4))], { alpha: 0.01, tolerancePct: 5 }).notes, [
      'with 4 and 4 runs, p cannot go below 0.029: at alpha 0.01 no change can be significant; use --repeat 6 or more',
    ]);
  });

  it('matches variants by name, lists the unmatched, and orders changes by baseline variant then figure', () => {
    const c = compareVariants(
      [variant('b', tps(1)), variant('gone', tps(1)), variant('a', tps(1))],
      [variant('a', tps(1)), variant('new', tps(1)), variant('b', tps(1))],
      O,
    );
    assert.deepEqual(
      c.changes.map((x) => `${x.variant}/${x.figure}`),
      ['b', 'a'].flatMap((v) => FIGURE_NAMES.map((f) => `${v}/${f}`)),
    );
    assert.deepEqual(c.onlyInBaseline, ['gone']);
    assert.deepEqual(c.onlyInCurrent, ['new']);
  });

  it('uses the tolerance as given', () => {
    const c = compareVariants([variant('v', tps(1000))], [variant('v', tps(970))], { alpha: 0.05, tolerancePct: 2.5 });
    assert.equal(c.changes[0]!.reason, '-3.0% (beyond ±2.5%)');
    assert.deepEqual(c.notes, ['no repeats: changes are judged by the tolerance alone (±2.5%)']);
  });
});
