import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyOverrides } from '../../../src/scenario/overrides.js';
import { isBenchError } from '../../../src/core/errors.js';
import { constantRatePacer, rampPacer, stepPacer } from '../../../src/pacing/pacer.js';
import { problemsOf, scenarioOf } from '../../support/validation.js';
import { expectProblems, group, pipe, type RawScenario } from '../../support/pipe-scenario.js';

/** The sample interval, and the rates and durations the pacer can represent. */

describe('sampleInterval', () => {
  it('takes 10ms to 60s', () => {
    const base = {
      name: 's',
      topology: {
        endpoints: ['e'],
        groups: [
          { name: 'p', type: 'push', bind: 'e' },
          { name: 'q', type: 'pull', connect: 'e' },
        ],
      },
    };
    assert.equal(scenarioOf({ ...base, sampleInterval: '250ms' }).sampleIntervalMs, 250);
    assert.deepEqual(problemsOf({ ...base, sampleInterval: '5ms' }), ['sampleInterval: must be from 10ms to 60s, got "5ms"']);
    assert.deepEqual(problemsOf({ ...base, sampleInterval: '2m' }), ['sampleInterval: must be from 10ms to 60s, got "2m"']);
  });
});

describe('rates and durations the pacer can represent', () => {
  const RANGE = 'must be from 0.001 to 10000000 messages per second (at least one message every 1000s)';
  const setRate = (rate: unknown) => (s: RawScenario) => (group(s, 0)['rate'] = rate);

  it('refuses a rate too small to pace in every form (1e-300 threw "NaN cannot be converted to a BigInt" in the sender, exit 97)', () => {
    expectProblems(setRate(1e-300), [`topology.groups[0].rate: ${RANGE}, got 1e-300`]);
    expectProblems(setRate(0.0009), [`topology.groups[0].rate: ${RANGE}, got 0.0009`]);
    expectProblems(setRate({ ramp: { from: 1e-300, to: 1e-300, over: '1s' } }), [
      `topology.groups[0].rate.ramp.from: ${RANGE}, got 1e-300`,
      `topology.groups[0].rate.ramp.to: ${RANGE}, got 1e-300`,
    ]);
    expectProblems(setRate({ steps: [{ rate: 100, for: '1s' }, { rate: 1e-300 }] }), [
      `topology.groups[0].rate.steps[1].rate: ${RANGE}, got 1e-300`,
    ]);
    // per group: the second sender of a scenario
    expectProblems(
      (s) => {
        s.topology.groups.push(
          { name: 'vent2', type: 'push', bind: 'tasks2', rate: 5e-324 },
          { name: 'work2', type: 'pull', connect: 'tasks2' },
        );
        s.topology.endpoints.push('tasks2');
      },
      [`topology.groups[2].rate: ${RANGE}, got 5e-324`],
    );
  });

  it('refuses a huge rate in every form', () => {
    expectProblems(setRate(1e300), [`topology.groups[0].rate: ${RANGE}, got 1e+300`]);
    expectProblems(setRate({ ramp: { from: 1, to: 1e300, over: '1s' } }), [`topology.groups[0].rate.ramp.to: ${RANGE}, got 1e+300`]);
    expectProblems(setRate({ steps: [{ rate: 1e300 }] }), [`topology.groups[0].rate.steps[0].rate: ${RANGE}, got 1e+300`]);
    expectProblems(setRate({ bursts: { size: 1_000_000, every: '1us' } }), [
      'topology.groups[0].rate.bursts: must average at most 10000000 messages per second (size / every), got 1000000 every 1us',
    ]);
  });

  it('refuses durations written as exponents or too small to be one microsecond', () => {
    expectProblems((s) => (s['duration'] = '1e-300ms'), ['duration: must be a duration such as 500ms, 2s or 1m, got "1e-300ms"']);
    expectProblems(setRate({ ramp: { from: 1, to: 2, over: '0.0000001s' } }), [
      'topology.groups[0].rate.ramp.over: must be longer than 0s, got "0.0000001s"',
    ]);
    expectProblems(setRate({ bursts: { size: 1, every: '0.0001us' } }), [
      'topology.groups[0].rate.bursts.every: must be longer than 0s, got "0.0001us"',
    ]);
    expectProblems(setRate({ steps: [{ rate: 1, for: '1e3s' }, { rate: 2 }] }), [
      'topology.groups[0].rate.steps[0].for: must be a duration such as 500ms, 2s or 1m, got "1e3s"',
    ]);
  });

  it("a suite's or a command line's rate and duration obey the same bounds", () => {
    const s = scenarioOf(pipe());
    assert.throws(
      () => applyOverrides(s, { ratePerSec: 1e-300 }),
      (e: unknown) => isBenchError(e) && e.problems[0] === `rate: ${RANGE}, or "max", got 1e-300`,
    );
    assert.throws(
      () => applyOverrides(s, { ratePerSec: 1e300 }),
      (e: unknown) => isBenchError(e) && e.problems[0] === `rate: ${RANGE}, or "max", got 1e+300`,
    );
    assert.throws(
      () => applyOverrides(s, { durationMs: 1e-7 }),
      (e: unknown) => isBenchError(e) && e.exitCode === 104 && e.problems[0] === 'duration: must be from 1us to 24h, got 1e-7ms',
    );
    assert.equal(applyOverrides(s, { durationMs: 1.0000001 }).durationMs, 1, "whole microseconds, as a file's durations");
  });

  it('every pacer gives finite whole-ns times at both ends of the range, at least 1 ns apart', () => {
    const clock = { nowNs: () => 0n };
    const [min, max] = [0.001, 10_000_000];
    const times = (p: { next(): bigint }) => Array.from({ length: 5 }, () => p.next());
    const pacers = [
      constantRatePacer(min, 0n),
      constantRatePacer(max, 0n),
      rampPacer(min, min, 24 * 3_600_000, 0n),
      rampPacer(min, max, 0.001, 0n),
      rampPacer(max, min, 24 * 3_600_000, 0n),
      stepPacer(
        [
          { ratePerSec: min, forMs: 0.001 },
          { ratePerSec: max, forMs: null },
        ],
        0n,
        clock,
      ),
    ];
    for (const p of pacers) {
      const t = times(p);
      t.slice(1).forEach((x, i) => assert.ok(x > t[i]!, `${t.join(', ')}: later messages are due later`));
    }
    assert.deepEqual(times(constantRatePacer(max, 0n)), [0n, 100n, 200n, 300n, 400n]);
    assert.deepEqual(times(constantRatePacer(min, 0n)), [
      0n,
      1_000_000_000_000n,
      2_000_000_000_000n,
      3_000_000_000_000n,
      4_000_000_000_000n,
    ]);
  });
});
