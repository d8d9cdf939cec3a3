import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { engineRatios, ratioText, sizeSweeps, sweepTable, type SweepItem } from '../../../src/report/size-sweep.js';

/** The size sweeps of a matrix (libzmq's perf graphs) and their tables, with and without the engine varied. */

type Coordinates = SweepItem['coordinates'];

const item = (coordinates: Coordinates, throughput: number, p50 = 10): SweepItem => ({
  scenario: 'perf-throughput',
  coordinates,
  throughput,
  p50,
  p99: p50 * 2,
});

describe('size sweeps without an engine', () => {
  const [sweep] = sizeSweeps([
    item({ transport: 'tcp', size: 64 }, 100_000),
    item({ transport: 'tcp', size: '1KiB' }, 50_000),
    item({ transport: 'tcp', curve: true, size: 64 }, 40_000),
  ]);

  it('one series per combination of the other values, its points by size', () => {
    assert.deepEqual(sweep!.sizes, [64, 1024]);
    assert.deepEqual(
      sweep!.series.map((s) => [s.label, s.row, s.engine]),
      [
        ['tcp', 'tcp', null],
        ['tcp curve', 'tcp curve', null],
      ],
    );
    assert.equal(sweep!.series[0]!.points[1]!.bytesPerSec, 50_000 * 1024);
    assert.equal(sweep!.series[1]!.points[1], null, 'tcp curve did not run at 1 KiB');
  });

  it('the table has no engine column', () => {
    assert.deepEqual(sweepTable(sweep!, 'throughput', true).split('\n'), [
      '| perf-throughput: msgs/s (bytes/s) | 64 B | 1.00 KiB |',
      '| --- | ---: | ---: |',
      '| tcp | 100k (6.10 MiB/s) | 50.0k (48.8 MiB/s) |',
      '| tcp curve | 40.0k (2.44 MiB/s) | - |',
    ]);
  });
});

describe('size sweeps with the engine varied', () => {
  // the engine varies slowest here, so the variants come all zeromq.js first
  const items = ['zeromq.js', 'native'].flatMap((engine, e) =>
    ['inproc', 'tcp'].flatMap((transport) =>
      [64, '64KiB'].map((size) =>
        item(
          { engine, transport, size },
          (e === 0 ? 100_000 : 1_000_000) / (size === 64 ? 1 : transport === 'tcp' ? 50 : 100),
          e === 0 ? 40 : 20,
        ),
      ),
    ),
  );
  const [sweep] = sizeSweeps(items);

  it('series are grouped by row, each row with its engines one after another, labelled by the bare engine name', () => {
    assert.deepEqual(
      sweep!.series.map((s) => [s.label, s.row, s.engine]),
      [
        ['zeromq.js inproc', 'inproc', 'zeromq.js'],
        ['native inproc', 'inproc', 'native'],
        ['zeromq.js tcp', 'tcp', 'zeromq.js'],
        ['native tcp', 'tcp', 'native'],
      ],
    );
  });

  it('the tables have an engine column beside the row, and the figures stay right-aligned', () => {
    assert.deepEqual(sweepTable(sweep!, 'throughput', true).split('\n'), [
      '| perf-throughput: msgs/s (bytes/s) | engine | 64 B | 64.0 KiB |',
      '| --- | --- | ---: | ---: |',
      '| inproc | zeromq.js | 100k (6.10 MiB/s) | 1.0k (62.5 MiB/s) |',
      '| inproc | native | 1.0M (61.0 MiB/s) | 10.0k (625 MiB/s) |',
      '| tcp | zeromq.js | 100k (6.10 MiB/s) | 2.0k (125 MiB/s) |',
      '| tcp | native | 1.0M (61.0 MiB/s) | 20.0k (1.22 GiB/s) |',
    ]);
    const console = sweepTable(sweep!, 'latency').split('\n');
    assert.deepEqual(console.slice(0, 3), [
      'perf-throughput: p50 / p99  engine                64 B         64.0 KiB',
      'inproc                      zeromq.js  40.0us / 80.0us  40.0us / 80.0us',
      'inproc                      native     20.0us / 40.0us  20.0us / 40.0us',
    ]);
  });

  it('engineRatios: per size, the range over rows of one engine over the other', () => {
    const share = engineRatios(sweep!, { of: 'zeromq.js', to: 'native' }, (p) => p.throughput);
    assert.deepEqual(share, [
      { bytes: 64, min: 0.1, max: 0.1 },
      { bytes: 65536, min: 0.1, max: 0.1 },
    ]);
    const [uneven] = sizeSweeps([
      ...items.filter((i) => !(i.coordinates['transport'] === 'tcp' && i.coordinates['engine'] === 'zeromq.js')),
      item({ engine: 'zeromq.js', transport: 'tcp', size: 64 }, 500_000, 40),
    ]);
    assert.deepEqual(
      engineRatios(uneven!, { of: 'zeromq.js', to: 'native' }, (p) => p.throughput),
      [
        { bytes: 64, min: 0.1, max: 0.5 },
        { bytes: 65536, min: 0.1, max: 0.1 },
      ],
      'tcp at 64 KiB ran on one engine only, so only inproc counts there',
    );
    assert.deepEqual(
      engineRatios(uneven!, { of: 'zeromq.js', to: 'native' }, (p) => p.p50),
      [
        { bytes: 64, min: 2, max: 2 },
        { bytes: 65536, min: 2, max: 2 },
      ],
    );
    assert.deepEqual(
      engineRatios(uneven!, { of: 'zeromq.js', to: 'C' }, (p) => p.throughput),
      [null, null],
      'no row ran on an engine the matrix does not have',
    );
  });

  it('ratioText writes ranges, one value where the ends read the same, and leaves out sizes without a ratio', () => {
    const percent = (r: number) => `${(r * 100).toFixed(0)}%`;
    assert.equal(
      ratioText([{ bytes: 64, min: 0.081, max: 0.124 }, null, { bytes: 65536, min: 0.9, max: 0.904 }], percent),
      '8–12% at 64 B, 90% at 64.0 KiB',
    );
    assert.equal(
      ratioText([{ bytes: 1024, min: 2.04, max: 3.5 }], (r) => `${r.toFixed(1)}×`),
      '2.0–3.5× at 1.00 KiB',
    );
    assert.equal(ratioText([null], percent), '');
  });
});
