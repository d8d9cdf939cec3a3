import { parseScenarioText } from '../../src/scenario/load.js';
import type { Scenario } from '../../src/scenario/schema.js';

/** vent → two shared pullers that forward → sink: the smallest pipeline with a middle stage. */
export function ventWorkersSink(name: string): Scenario {
  return parseScenarioText(
    `
name: ${name}
topology:
  endpoints: [tasks, results]
  groups:
    - { name: vent, type: push, bind: tasks }
    - { name: workers, type: pull, count: 2, connect: tasks, forward: { type: push, connect: results } }
    - { name: sink, type: pull, bind: results }
`,
    `${name}.yaml`,
  );
}
