import assert from 'node:assert/strict';
import { isBenchError } from '../../src/core/errors.js';
import type { Scenario } from '../../src/scenario/schema.js';
import { validateScenario } from '../../src/scenario/validate.js';

/** The problems validation finds; fails the test when the scenario is accepted. */
export function problemsOf(raw: unknown): string[] {
  const r = validateScenario(raw);
  if ('scenario' in r) assert.fail('expected problems, the scenario was accepted');
  return r.problems;
}

/** The normalized scenario; fails the test with every problem when it is refused. */
export function scenarioOf(raw: unknown): Scenario {
  const r = validateScenario(raw);
  if ('problems' in r) assert.fail(`expected a valid scenario, got:\n${r.problems.join('\n')}`);
  return r.scenario;
}

/** The smallest push → pull scenario, shaped like the sample pipeline result (test/support/sample-result.ts). */
export const PUSH_PULL = {
  name: 'p',
  topology: {
    endpoints: ['work'],
    groups: [
      { name: 'producers', type: 'push', bind: 'work', rate: 1000 },
      { name: 'workers', type: 'pull', connect: 'work' },
    ],
  },
};

/** The problems of the invalidInput error `fn` throws (exit code 104); fails the test when nothing is thrown. */
export async function thrownProblems(fn: () => unknown): Promise<readonly string[]> {
  try {
    await fn();
  } catch (e) {
    if (!isBenchError(e)) throw e;
    assert.equal(e.exitCode, 104);
    return e.problems;
  }
  return assert.fail('expected invalid input, nothing was thrown');
}
