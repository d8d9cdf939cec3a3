import assert from 'node:assert/strict';
import type { DelayModel } from '../../src/scenario/schema.js';
import { problemsOf } from './validation.js';

/** The pipe scenario the scenario-validate tests change one thing of at a time. */

/** A raw scenario as a test builds it: loose on purpose, it is what validation must judge. */
export interface RawScenario {
  [field: string]: unknown;
  topology: { [field: string]: unknown; endpoints: unknown[]; groups: Record<string, unknown>[] };
}

/** push "vent" binds tasks, pull "work" connects: the smallest valid scenario. */
export function pipe(): RawScenario {
  return {
    name: 'pipe',
    topology: {
      endpoints: ['tasks'],
      groups: [
        { name: 'vent', type: 'push', bind: 'tasks' },
        { name: 'work', type: 'pull', connect: 'tasks' },
      ],
    },
  };
}

export function withChange(change: (s: RawScenario) => void, start: () => RawScenario = pipe): RawScenario {
  const s = start();
  change(s);
  return s;
}

export function expectProblems(change: (s: RawScenario) => void, expected: string[], start?: () => RawScenario): void {
  assert.deepEqual(problemsOf(withChange(change, start)), expected);
}

export const group = (s: RawScenario, i: number) => s.topology.groups[i]!;

export const fixed = (ms: number): DelayModel => ({ phases: [{ untilMs: null, spec: { kind: 'fixed', ms } }] });
export const NO_DELAY = fixed(0);
