import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expandMatrix, parseMatrixArgument, type MatrixVariant } from '../../../src/scenario/matrix.js';

const base = () => ({
  name: 'pipe',
  transport: 'tcp',
  topology: {
    endpoints: ['tasks', 'results'],
    groups: [
      { name: 'ventilator', type: 'push', bind: 'tasks', size: 64, rate: 1000 },
      { name: 'workers', type: 'pull', count: 3, connect: 'tasks', forward: { type: 'push', connect: 'results' } },
      { name: 'sink', type: 'pull', bind: 'results' },
    ],
  },
});

function variants(matrix: unknown, extra = {}): MatrixVariant[] {
  const r = expandMatrix({ ...base(), matrix }, { extra });
  if ('problems' in r) assert.fail(r.problems.join('\n'));
  return r.variants;
}

const problems = (matrix: unknown, extra = {}) => {
  const r = expandMatrix({ ...base(), matrix }, { extra });
  return 'problems' in r ? r.problems : [];
};

test('every combination, in key order, named by its values; false booleans add nothing', () => {
  const v = variants({
    transport: ['inproc', 'tcp'],
    size: [64, '1KiB'],
    curve: [false, true],
    exclude: [{ transport: 'inproc', curve: true }],
  });
  assert.deepEqual(
    v.map((x) => x.name),
    [
      'pipe-inproc-size64',
      'pipe-inproc-size1KiB',
      'pipe-tcp-size64',
      'pipe-tcp-size64-curve',
      'pipe-tcp-size1KiB',
      'pipe-tcp-size1KiB-curve',
    ],
  );
  assert.equal(v.length, 6, '2 × 2 × 2 less the 2 excluded');
  assert.deepEqual(v[0]!.coordinates, { transport: 'inproc', size: 64, curve: false });
});

test('values land where their key says: the file, every sender, every group, or one group', () => {
  const [v] = variants({
    transport: ['ipc'],
    size: ['64KiB'],
    rate: [5000],
    hwm: [10],
    placement: ['process'],
    'groups.workers.count': [5],
    'groups.sink.options.rcvbuf': [65536],
  });
  const raw = v!.raw as ReturnType<typeof base> & Record<string, unknown>;
  assert.equal(raw['matrix'], undefined, 'the matrix itself is gone');
  assert.equal(raw.transport, 'ipc');
  const [vent, workers, sink] = raw.topology.groups as Array<Record<string, unknown>>;
  assert.deepEqual(
    [vent!['size'], vent!['rate'], workers!['size'], workers!['rate']],
    ['64KiB', 5000, undefined, undefined],
    'size and rate: senders only',
  );
  assert.deepEqual(
    [vent!['options'], sink!['options']],
    [
      { sndhwm: 10, rcvhwm: 10 },
      { sndhwm: 10, rcvhwm: 10, rcvbuf: 65536 },
    ],
  );
  assert.deepEqual([vent!['placement'], workers!['placement'], workers!['count']], ['process', 'process', 5]);
  assert.equal(v!.name, 'pipe-ipc-size64KiB-rate5000-hwm10-process-workers.count5-sink.rcvbuf65536');
  // the input is left as it was
  assert.equal(base().topology.groups[0]!.size, 64);
});

test("--matrix keys replace the file's keys of the same name and add new ones", () => {
  const v = variants({ transport: ['inproc', 'ipc', 'tcp'] }, { transport: ['tcp'], size: [64, 128] });
  assert.deepEqual(
    v.map((x) => x.name),
    ['pipe-tcp-size64', 'pipe-tcp-size128'],
  );
  // an exclude naming a value --matrix left out excludes nothing, and is no error
  const narrowed = variants(
    { transport: ['inproc', 'tcp'], curve: [false, true], exclude: [{ transport: 'inproc', curve: true }] },
    { curve: [false] },
  );
  assert.deepEqual(
    narrowed.map((x) => x.name),
    ['pipe-inproc', 'pipe-tcp'],
  );
});

test('bad keys, values and excludes: one problem each, with its path', () => {
  assert.deepEqual(
    problems({
      colour: ['red'],
      'groups.nobody.count': [1],
      'groups.sink.type': ['sub'],
      size: [64, 64],
      rate: [{ a: 1 }],
      transport: [],
      exclude: [{ transport: 'udp' }, { speed: 1 }, 'x'],
    }),
    [
      'matrix.colour: unknown key; expected one of transport, engine, duration, warmup, drain, curve, size, rate, placement, hwm, groups.<name>.<field> or groups.<name>.options.<option>',
      'matrix.groups.nobody.count: no group "nobody"; the groups are ventilator, workers, sink',
      'matrix.groups.sink.type: "type" cannot be varied; a group\'s count, threads, placement, engine, size, rate, messages, delay, window or options.<option> can',
      'matrix.size: lists a value twice',
      'matrix.rate[0]: must be a string, number or boolean',
      'matrix.transport: must be a list of values',
      'matrix.exclude[0].transport: not a key of the matrix',
      'matrix.exclude[1].speed: not a key of the matrix',
      'matrix.exclude[2]: must be a mapping such as { transport: inproc, curve: true }',
    ],
  );
  assert.deepEqual(problems({ transport: ['tcp'], exclude: [{ transport: 'tcp' }] }), ['matrix: every combination is excluded']);
  const many = Array.from({ length: 15 }, (_, i) => i + 1);
  assert.deepEqual(problems({ rate: many, 'groups.workers.count': many }), [
    'matrix: must make at most 200 combinations, got 225 (15 × 15)',
  ]);
});

/** n distinct values for a key */
const values = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
const TEN_KEYS = [
  'transport',
  'duration',
  'warmup',
  'drain',
  'size',
  'rate',
  'hwm',
  'groups.ventilator.count',
  'groups.workers.count',
  'groups.sink.count',
];

test('too many combinations are refused before any is built (5 keys × 20 values would take gigabytes)', () => {
  const five = Object.fromEntries(TEN_KEYS.slice(0, 5).map((k) => [k, values(20)]));
  const started = Date.now();
  assert.deepEqual(problems(five), ['matrix: must make at most 200 combinations, got 3200000 (20 × 20 × 20 × 20 × 20)']);
  // --matrix keys count with the file's: 10 keys of 20 values, half from the command line
  const half = (from: number) => Object.fromEntries(TEN_KEYS.slice(from, from + 5).map((k) => [k, values(20)]));
  assert.deepEqual(problems(half(0), half(5)), [
    `matrix: must make at most 200 combinations, got ${20n ** 10n} (${Array(10).fill(20).join(' × ')})`,
  ]);
  // excludes could only remove combinations listed one by one: the count before them is the one judged
  assert.deepEqual(problems({ ...five, exclude: [{ transport: 1 }] }), [
    'matrix: must make at most 200 combinations, got 3200000 before excludes (20 × 20 × 20 × 20 × 20)',
  ]);
  // bounded, not a benchmark: the old code built every combination first and ran out of memory
  assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
});

test('a key with more than 20 values is refused, from the file or from --matrix', () => {
  const fifty = Object.fromEntries(TEN_KEYS.map((k) => [k, values(50)]));
  assert.deepEqual(
    problems(fifty),
    TEN_KEYS.map((k) => `matrix.${k}: must have at most 20 values, got 50`),
  );
  assert.deepEqual(problems({}, { size: values(21) }), ['matrix.size: must have at most 20 values, got 21']);
  assert.deepEqual(problems({ size: [1, 2], exclude: Array.from({ length: 21 }, () => ({ size: 1 })) }), [
    'matrix.exclude: must have at most 20 entries, got 21',
  ]);
});

test('excludes that bring a large matrix under the limit are counted, not refused', () => {
  // 15 × 15 = 225, less the 15 with size 1: 210 (too many); less also rate 1: 196 (fine)
  const many = values(15);
  assert.deepEqual(problems({ size: many, rate: many, exclude: [{ size: 1 }] }), [
    'matrix: must make at most 200 combinations, got 210 (225 less 15 excluded)',
  ]);
  const r = expandMatrix({ ...base(), matrix: { size: many, rate: many, exclude: [{ size: 1 }, { rate: 1 }] } });
  assert.ok('variants' in r && r.variants.length === 196);
});

test('--matrix arguments read numbers and booleans as YAML would', () => {
  assert.deepEqual(parseMatrixArgument('size=64,1KiB,65536'), { key: 'size', values: [64, '1KiB', 65536] });
  assert.deepEqual(parseMatrixArgument('curve=false,true'), { key: 'curve', values: [false, true] });
  assert.equal(parseMatrixArgument('transport'), 'expected key=value1,value2, such as transport=inproc,tcp, got "transport"');
  assert.equal(parseMatrixArgument('size=64,,128'), 'an empty value in "size=64,,128"');
});
