import assert from 'node:assert/strict';
import { problemsOf, scenarioOf } from './validation.js';

/** The scenario the scenario-faults tests change: a pipeline with a stage, and a req client with its rep server. */

export type RawGroup = Record<string, unknown>;
export interface RawScenario {
  [field: string]: unknown;
  topology: { endpoints: unknown[]; groups: RawGroup[] };
}

/** ventilator → 4 workers (a stage) → sink, and a req client with a rep server. */
export function base(): RawScenario {
  return {
    name: 'faults',
    duration: '10s',
    topology: {
      endpoints: ['tasks', 'results', 'service'],
      groups: [
        { name: 'vent', type: 'push', bind: 'tasks' },
        { name: 'workers', type: 'pull', count: 4, connect: 'tasks', forward: { type: 'push', connect: 'results' } },
        { name: 'sink', type: 'pull', bind: 'results' },
        { name: 'client', type: 'req', connect: 'service' },
        { name: 'server', type: 'rep', bind: 'service' },
      ],
    },
  };
}

export const VENT = 0;
export const WORKERS = 1;
export const CLIENT = 3;

export function withChange(change: (s: RawScenario) => void): RawScenario {
  const s = base();
  change(s);
  return s;
}

export function expectProblems(change: (s: RawScenario) => void, expected: string[]): void {
  assert.deepEqual(problemsOf(withChange(change)), expected);
}

export const group = (s: RawScenario, i: number) => s.topology.groups[i]!;
export const set = (i: number, fields: RawGroup) => (s: RawScenario) => void Object.assign(group(s, i), fields);
export const withEvents =
  (...events: unknown[]) =>
  (s: RawScenario) =>
    void (s['events'] = events);
export const eventsOf = (...events: unknown[]) => scenarioOf(withChange(withEvents(...events))).events;
export const eventProblems = (...events: unknown[]) => problemsOf(withChange(withEvents(...events)));
