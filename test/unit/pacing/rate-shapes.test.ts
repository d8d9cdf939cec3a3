import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expandMatrix } from '../../../src/scenario/matrix.js';
import { scenarioAsRun } from '../../../src/scenario/as-run.js';
import { applyOverrides } from '../../../src/scenario/overrides.js';
import { planTopology } from '../../../src/scenario/plan.js';
import { problemsOf, scenarioOf } from '../../support/validation.js';

/** push "vent" at `rate` to pull "work". */
function pipe(rate: unknown): { name: string; topology: { endpoints: string[]; groups: Record<string, unknown>[] } } {
  return {
    name: 'shaped',
    topology: {
      endpoints: ['tasks'],
      groups: [
        { name: 'vent', type: 'push', bind: 'tasks', rate },
        { name: 'work', type: 'pull', connect: 'tasks' },
      ],
    },
  };
}

const RAMP = { ramp: { from: 1000, to: 20000, over: '10s' } };
const BURSTS = { bursts: { size: 100, every: '50ms' } };
const STEPS = { steps: [{ rate: 1000, for: '2s' }, { rate: 5000, for: '2.5s' }, { rate: 'max' }] };

describe('rate shapes: validation', () => {
  it('accepts ramp, bursts and steps, and normalizes them into rateShape (ratePerSec null)', () => {
    const vent = (rate: unknown) => scenarioOf(pipe(rate)).groups[0]!;
    assert.deepEqual(
      [vent(RAMP).ratePerSec, vent(RAMP).rateShape],
      [null, { kind: 'ramp', fromPerSec: 1000, toPerSec: 20000, overMs: 10_000 }],
    );
    assert.deepEqual(vent(BURSTS).rateShape, { kind: 'bursts', size: 100, everyMs: 50 });
    assert.deepEqual(vent(STEPS).rateShape, {
      kind: 'steps',
      steps: [
        { ratePerSec: 1000, forMs: 2000 },
        { ratePerSec: 5000, forMs: 2500 },
        { ratePerSec: null, forMs: null },
      ],
    });
    // the last step may have a for too (it goes on after it anyway); a ramp down is a ramp
    assert.deepEqual(vent({ steps: [{ rate: 10, for: '1s' }] }).rateShape, { kind: 'steps', steps: [{ ratePerSec: 10, forMs: 1000 }] });
    assert.deepEqual(vent({ ramp: { from: 500, to: 100, over: '250us' } }).rateShape, {
      kind: 'ramp',
      fromPerSec: 500,
      toPerSec: 100,
      overMs: 0.25,
    });
    // a number and max are as they were
    assert.deepEqual(
      [vent(2000).ratePerSec, vent(2000).rateShape, vent('max').ratePerSec, vent('max').rateShape],
      [2000, null, null, null],
    );
  });

  it('says what rate takes when it is none of its forms', () => {
    assert.deepEqual(problemsOf(pipe('fast')), [
      'topology.groups[0].rate: must be a number > 0, "max", { ramp: { from, to, over } }, { bursts: { size, every } } or { steps: [{ rate, for }, ...] }, got "fast"',
    ]);
    assert.deepEqual(problemsOf(pipe({})), ['topology.groups[0].rate: must have exactly one of ramp, bursts or steps, got {}']);
    assert.deepEqual(problemsOf(pipe({ ...BURSTS, ...STEPS })), [
      'topology.groups[0].rate: must have exactly one of ramp, bursts or steps, got a mapping with 2 fields',
    ]);
    assert.deepEqual(problemsOf(pipe({ rmp: RAMP.ramp })), ['topology.groups[0].rate.rmp: unknown rate shape (did you mean "ramp"?)']);
    assert.deepEqual(problemsOf(pipe({ sine: {} })), ['topology.groups[0].rate.sine: unknown rate shape (use ramp, bursts or steps)']);
  });

  it('ramp: rates > 0 and within the limit, over longer than 0s', () => {
    assert.deepEqual(problemsOf(pipe({ ramp: { from: 1000, to: 20000, over: '0s' } })), [
      'topology.groups[0].rate.ramp.over: must be longer than 0s, got "0s"',
    ]);
    assert.deepEqual(problemsOf(pipe({ ramp: { from: 0, to: 20_000_000, over: 'soon' } })), [
      'topology.groups[0].rate.ramp.from: must be from 0.001 to 10000000 messages per second (at least one message every 1000s), got 0',
      'topology.groups[0].rate.ramp.to: must be from 0.001 to 10000000 messages per second (at least one message every 1000s), got 20000000',
      'topology.groups[0].rate.ramp.over: must be a duration such as 500ms, 2s or 1m, got "soon"',
    ]);
    assert.deepEqual(problemsOf(pipe({ ramp: { from: 1000, over: '1s', by: 2 } })), [
      'topology.groups[0].rate.ramp.to: required field is missing',
      'topology.groups[0].rate.ramp.by: unknown field',
    ]);
  });

  it('bursts: a whole size >= 1, every longer than 0s, on average within the rate limit', () => {
    assert.deepEqual(problemsOf(pipe({ bursts: { size: 0, every: '0s' } })), [
      'topology.groups[0].rate.bursts.size: must be >= 1, got 0',
      'topology.groups[0].rate.bursts.every: must be longer than 0s, got "0s"',
    ]);
    assert.deepEqual(problemsOf(pipe({ bursts: { size: 1.5, every: '1ms' } })), [
      'topology.groups[0].rate.bursts.size: must be a whole number, got 1.5',
    ]);
    assert.deepEqual(problemsOf(pipe({ bursts: { size: 20_000, every: '1ms' } })), [
      'topology.groups[0].rate.bursts: must average at most 10000000 messages per second (size / every), got 20000 every 1ms',
    ]);
  });

  it('steps: not empty, each rate > 0 or max, only the last without for, every for longer than 0s', () => {
    assert.deepEqual(problemsOf(pipe({ steps: [] })), ['topology.groups[0].rate.steps: must have at least 1 entry, got []']);
    assert.deepEqual(problemsOf(pipe({ steps: [{ rate: 1000 }, { rate: -1, for: '0s' }, { rate: 'fast', for: '1s' }, { rate: 5 }] })), [
      'topology.groups[0].rate.steps[1].rate: must be from 0.001 to 10000000 messages per second (at least one message every 1000s), got -1',
      'topology.groups[0].rate.steps[2].rate: must be "max" or a number >= 0.001, got "fast"',
      'topology.groups[0].rate.steps[0].for: required field is missing (only the last step may leave it out)',
      'topology.groups[0].rate.steps[1].for: must be longer than 0s, got "0s"',
    ]);
    // a misspelt for is reported once, as an unknown field
    assert.deepEqual(problemsOf(pipe({ steps: [{ rate: 1000, fro: '1s' }, { rate: 5 }] })), [
      'topology.groups[0].rate.steps[0].fro: unknown field',
    ]);
  });

  it('a shape is for senders only, like any rate', () => {
    const raw = pipe(1000);
    raw.topology.groups[1]!['rate'] = RAMP;
    assert.deepEqual(problemsOf(raw), [
      'topology.groups[1].rate: is only for pub, push, req, dealer, xpub, radio and pair groups, not pull',
    ]);
  });
});

describe('rate shapes: the scenario as run, overrides, matrix and plan', () => {
  it('scenarioAsRun writes each shape back so that it validates to the same scenario', () => {
    const cases: Array<[written: unknown, asRun: unknown]> = [
      [RAMP, RAMP],
      [BURSTS, BURSTS],
      [STEPS, { steps: [{ rate: 1000, for: '2s' }, { rate: 5000, for: '2500ms' }, { rate: 'max' }] }],
      [{ ramp: { from: 2.5, to: 1, over: '1.5ms' } }, { ramp: { from: 2.5, to: 1, over: '1500us' } }],
      [{ bursts: { size: 1, every: '0.5s' } }, { bursts: { size: 1, every: '500ms' } }],
      [
        {
          steps: [
            { rate: 'max', for: '1s' },
            { rate: 7, for: '3s' },
          ],
        },
        {
          steps: [
            { rate: 'max', for: '1s' },
            { rate: 7, for: '3s' },
          ],
        },
      ],
    ];
    for (const [written, expected] of cases) {
      const original = scenarioOf(pipe(written));
      const asRun = JSON.parse(JSON.stringify(scenarioAsRun(original))) as { topology: { groups: Record<string, unknown>[] } };
      assert.deepEqual(scenarioOf(asRun), original);
      assert.deepEqual(asRun.topology.groups[0]!['rate'], expected);
    }
  });

  it('a rate override (suite rate:, run --rate) replaces a shape with a constant rate or max', () => {
    const s = scenarioOf(pipe(STEPS));
    const constant = applyOverrides(s, { ratePerSec: 3000 });
    assert.deepEqual([constant.groups[0]!.ratePerSec, constant.groups[0]!.rateShape], [3000, null]);
    const max = applyOverrides(s, { ratePerSec: null });
    assert.deepEqual([max.groups[0]!.ratePerSec, max.groups[0]!.rateShape], [null, null]);
    assert.equal(s.groups[0]!.rateShape?.kind, 'steps', 'the input is left alone');
    assert.deepEqual(scenarioAsRun(constant).topology.groups[0]!.rate, 3000);
    assert.deepEqual(applyOverrides(s, {}).groups[0]!.rateShape, s.groups[0]!.rateShape);
  });

  it('a matrix rate replaces a shape too', () => {
    const m = expandMatrix({ ...pipe(RAMP), matrix: { rate: [500, 'max'] } });
    assert.ok('variants' in m);
    const groups = m.variants.map((v) => scenarioOf(v.raw).groups[0]!);
    assert.deepEqual(
      groups.map((g) => [g.ratePerSec, g.rateShape]),
      [
        [500, null],
        [null, null],
      ],
    );
  });

  it('the plan gives every socket of the group the shape', () => {
    const raw = pipe(BURSTS);
    raw.topology.groups[0]!['count'] = 2;
    const plan = planTopology(scenarioOf(raw));
    const senders = plan.roles.filter((r) => r.group === 'vent');
    assert.deepEqual(
      senders.map((r) => [r.ratePerSec, r.rateShape]),
      [
        [null, { kind: 'bursts', size: 100, everyMs: 50 }],
        [null, { kind: 'bursts', size: 100, everyMs: 50 }],
      ],
    );
  });
});
