import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type SweepItem, sizeSweeps, sweepTable } from '../../../src/report/size-sweep.js';

const item = (coordinates: SweepItem['coordinates'], throughput: number): SweepItem => ({
  scenario: 'perf-throughput',
  coordinates,
  throughput,
  p50: 100,
  p99: 200,
});

test('a sweep has one series per transport, engine and curve, named by their values, sizes ascending', () => {
  const [sweep] = sizeSweeps([
    item({ transport: 'tcp', engine: 'native', curve: false, size: '1KiB' }, 600_000),
    item({ transport: 'tcp', engine: 'native', curve: false, size: 64 }, 1_200_000),
    item({ transport: 'tcp', engine: 'zeromq.js', curve: false, size: 64 }, 300_000),
    item({ transport: 'tcp', engine: 'zeromq.js', curve: true, size: 64 }, 250_000),
  ]);
  assert.ok(sweep);
  assert.deepEqual(sweep.sizes, [64, 1024]);
  assert.deepEqual(
    sweep.series.map((s) => [s.label, s.points.map((p) => p?.throughput ?? null)]),
    [
      ['tcp native', [1_200_000, 600_000]],
      ['tcp zeromq.js', [300_000, null]],
      ['tcp zeromq.js curve', [250_000, null]],
    ],
  );
  const table = sweepTable(sweep, 'throughput', true).split('\n');
  assert.equal(table.length, 5);
  assert.match(table[2]!, /^\| tcp native \| 1\.2M /);
});

test('a scenario that does not vary the size over two sizes or more gives no sweep', () => {
  assert.deepEqual(sizeSweeps([item({ transport: 'tcp', size: 64 }, 1), item({ transport: 'ipc', size: 64 }, 2)]), []);
});
