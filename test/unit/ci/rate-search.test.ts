import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bracket, nextRate, roundBetween, type SearchCourse, type StepOutcome } from '../../../src/ci/rate-search.js';
import type { SearchStop } from '../../../src/core/types.js';

/** The course of a rate search, against a system that sustains every rate up to `limit` and none above. */

const COURSE: SearchCourse = { start: 1000, ceiling: 10_000_000, factor: 2, precision: 0.05, maxSteps: 20 };

function walk(c: SearchCourse, holds: (rate: number) => boolean): { steps: StepOutcome[]; stop: SearchStop } {
  const steps: StepOutcome[] = [];
  for (;;) {
    const next = nextRate(c, steps);
    if ('stop' in next) return { steps, stop: next.stop };
    steps.push({ rate: next.rate, passed: holds(next.rate) });
    assert.ok(steps.length <= 100, 'the search never ended');
  }
}

describe('rate search course', () => {
  for (const limit of [1000, 1234, 7_777, 65_000, 333_333]) {
    it(`finds a limit of ${limit} msgs/s to within the precision, never above it`, () => {
      const { steps, stop } = walk(COURSE, (r) => r <= limit);
      const { good, bad } = bracket(steps);
      assert.equal(stop, 'precision');
      assert.ok(good !== null && good <= limit && good >= limit * (1 - COURSE.precision), `${good}`);
      assert.ok(bad !== null && bad > limit && (bad - good) / good <= COURSE.precision, `${good} .. ${bad}`);
      // up by the factor first, each step double the one before, until the first failure
      const firstFail = steps.findIndex((s) => !s.passed);
      steps.slice(1, firstFail + 1).forEach((s, i) => assert.equal(s.rate, steps[i]!.rate * 2));
      // then every step lies strictly inside the bracket of the steps before it
      for (let i = firstFail + 1; i < steps.length; i++) {
        const b = bracket(steps.slice(0, i));
        assert.ok(steps[i]!.rate > b.good! && steps[i]!.rate < b.bad!, `step ${i} at ${steps[i]!.rate} outside ${b.good}..${b.bad}`);
      }
    });
  }

  it('stops at once when the first and lowest rate fails', () => {
    assert.deepEqual(
      walk(COURSE, () => false),
      { steps: [{ rate: 1000, passed: false }], stop: 'lowest-failed' },
    );
  });

  it('stops at the ceiling when it holds, and never offers more', () => {
    const { steps, stop } = walk({ ...COURSE, ceiling: 5000 }, () => true);
    assert.equal(stop, 'ceiling');
    assert.deepEqual(
      steps.map((s) => s.rate),
      [1000, 2000, 4000, 5000],
    );
  });

  it('bisects below the ceiling when the ceiling fails', () => {
    const { steps } = walk({ ...COURSE, ceiling: 5000 }, (r) => r <= 4500);
    assert.deepEqual(
      steps.slice(0, 5).map((s) => s.rate),
      [1000, 2000, 4000, 5000, 4500],
    );
  });

  it('stops after maxSteps with the best so far', () => {
    const { steps, stop } = walk({ ...COURSE, maxSteps: 4 }, (r) => r <= 3000);
    assert.equal(stop, 'max-steps');
    assert.equal(steps.length, 4);
    assert.deepEqual(bracket(steps), { good: 3000, bad: 4000 });
  });

  it('a coarser precision and a larger factor take fewer steps', () => {
    const fine = walk(COURSE, (r) => r <= 50_000).steps.length;
    const coarse = walk({ ...COURSE, precision: 0.2, factor: 4 }, (r) => r <= 50_000).steps.length;
    assert.ok(coarse < fine, `${coarse} >= ${fine}`);
  });

  it('rounds rates to three significant digits when that stays inside the bracket', () => {
    assert.equal(roundBetween(65_039.0625, 60_000, 70_000), 65_000);
    assert.equal(roundBetween(1000.5, 1000, 1001), 1000.5);
    assert.equal(roundBetween(1234.5678, 1234, 1235), 1234.6);
  });
});
