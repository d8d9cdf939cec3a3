import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareFigure, compareRuns, noiseVerdict, relativeSpread } from '../../../bench/ab/compare.js';
import { abTable, type AbReport } from '../../../bench/ab/report.js';

const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-9, `${a} ≠ ${b}`);

test('the ratio of a figure is candidate / base per round, with its median and range', () => {
  const c = compareFigure('throughput', [100, 200, 100], [110, 180, 105])!;
  assert.equal(c.ratios.length, 3);
  close(c.ratios[0]!, 1.1);
  close(c.ratios[1]!, 0.9);
  close(c.ratios[2]!, 1.05);
  close(c.ratio.median, 1.05);
  close(c.ratio.min, 0.9);
  close(c.ratio.max, 1.1);
  assert.deepEqual(c.base, { median: 100, min: 100, max: 200 });
  assert.deepEqual(c.candidate, { median: 110, min: 105, max: 180 });
});

test('a range of ratios that includes 1 is within noise, whatever the base spread', () => {
  const c = compareFigure('p50', [100, 100, 100], [90, 101, 95])!;
  assert.equal(c.baseSpread, 0);
  assert.equal(c.verdict, 'within noise');
});

test('a median ratio within ± the base spread of 1 is within noise even when every round went one way', () => {
  // base 100..110: spread 10 / 105 ≈ 9.5%; the candidate is 5% faster in every round
  const c = compareFigure('throughput', [100, 105, 110], [105, 110.25, 115.5])!;
  close(c.baseSpread, 10 / 105);
  close(c.ratio.min, 1.05);
  assert.equal(c.verdict, 'within noise');
});

test('beyond the noise, throughput is better higher and latency better lower', () => {
  // a steady base (spread 1%) and a candidate 10% higher in every round
  const base = [100, 101, 100.5];
  const higher = base.map((b) => b * 1.1);
  assert.equal(compareFigure('throughput', base, higher)!.verdict, 'better');
  assert.equal(compareFigure('p50', base, higher)!.verdict, 'worse');
  assert.equal(compareFigure('p99', higher, base)!.verdict, 'better');
  assert.equal(compareFigure('throughput', higher, base)!.verdict, 'worse');
});

test('one completed round is too few to judge, and none gives no comparison', () => {
  assert.equal(compareFigure('throughput', [100, null], [150, 150])!.verdict, 'too few rounds');
  assert.equal(compareFigure('throughput', [null, null], [150, 150]), null);
  assert.equal(compareFigure('p50', [], []), null);
});

test('the noise rule at its edges: a range touching 1 and a median exactly at the base spread', () => {
  assert.equal(noiseVerdict({ median: 1.05, min: 1, max: 1.1 }, 0, 3, true), 'within noise');
  assert.equal(noiseVerdict({ median: 1.5, min: 1.25, max: 1.75 }, 0.5, 3, true), 'within noise');
  assert.equal(noiseVerdict({ median: 1.5, min: 1.25, max: 1.75 }, 0.49, 3, true), 'better');
  assert.equal(noiseVerdict({ median: 0.5, min: 0.25, max: 0.75 }, 0.49, 3, true), 'worse');
  assert.equal(noiseVerdict({ median: 1, min: 1, max: 1 }, 0, 1, true), 'too few rounds');
});

test('the base spread is (max − min) / median, 0 when the median is not positive', () => {
  close(relativeSpread({ median: 200, min: 190, max: 230 }), 0.2);
  assert.equal(relativeSpread({ median: 0, min: 0, max: 0 }), 0);
  assert.equal(relativeSpread({ median: Number.NaN, min: Number.NaN, max: Number.NaN }), 0);
});

test('a failed run leaves its round out of every figure; a run without latency only out of p50 and p99', () => {
  const base = [{ throughput: 100, p50: 10, p99: 20 }, null, { throughput: 100, p50: null, p99: null }];
  const candidate = [
    { throughput: 100, p50: 10, p99: 20 },
    { throughput: 500, p50: 1, p99: 1 },
    { throughput: 100, p50: 10, p99: 20 },
  ];
  const r = compareRuns(base, candidate);
  assert.equal(r.throughput!.ratios.length, 2);
  assert.equal(r.p50!.ratios.length, 1);
  assert.equal(r.p99!.verdict, 'too few rounds');
});

test('the table gives each scenario its ratios, verdicts and failed runs, and states the rule', () => {
  const figures = compareRuns(
    [
      { throughput: 100, p50: 10, p99: 20 },
      { throughput: 101, p50: 10, p99: 20 },
    ],
    [
      { throughput: 120, p50: 10, p99: 20 },
      { throughput: 121, p50: 10, p99: 20 },
    ],
  );
  const report: AbReport = {
    startedAt: '2026-12-10T00:00:00.000Z',
    elapsedS: 42,
    base: { ref: 'main', commit: 'a'.repeat(40) },
    candidate: { commit: 'b'.repeat(40), uncommittedChanges: true },
    settings: { rounds: 3, duration: '2s', order: 'ABBA' },
    environment: {
      node: 'v20',
      zeromqJs: '6',
      libzmq: '4',
      cpuModel: 'cpu',
      cores: 2,
      totalMemoryBytes: 1,
      os: 'Linux',
      arch: 'x64',
      hostname: 'h',
    },
    loadAverageAtStart: [1],
    loadAverageAtEnd: [2],
    noiseRule: '',
    cases: [
      {
        key: 'perf-throughput-tcp',
        file: 'scenarios/perf-throughput.yaml',
        transport: 'tcp',
        base: [],
        candidate: [],
        figures,
        errors: ['round 3 base: boom'],
      },
    ],
  };
  const table = abTable(report);
  const row = table.split('\n').find((l) => l.startsWith('| perf-throughput-tcp'))!;
  assert.match(row, /⚠ 1 failed run/);
  assert.match(row, /\| 2\/3 \|/);
  assert.match(row, /1\.199 \(1\.198–1\.200\), base spread 1\.0%: \*\*better\*\*/);
  assert.match(row, /1\.000 \(1\.000–1\.000\), base spread 0\.0%: within noise/);
  assert.match(table, /against base `main` \(aaaaaaaaaa\)/);
  assert.match(table, /bbbbbbbbbb with uncommitted changes/);
  assert.match(table, /Rule: within noise: the range of the per-round ratios/);
  assert.match(table, /- perf-throughput-tcp: round 3 base: boom/);
});
