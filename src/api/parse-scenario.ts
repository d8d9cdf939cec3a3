import type { Scenario } from '../scenario/schema.js';
import { ScenarioError } from './errors.js';
import { OVERRIDE_KEYS, unknownOptionProblems, withOverrides, type ScenarioOverrides } from './options.js';
import { oneScenario, scenarioVariantsOf, type ScenarioInputOptions } from './scenario-input.js';

export interface ParseScenarioOptions extends ScenarioInputOptions, ScenarioOverrides {}

const KNOWN = [...OVERRIDE_KEYS, 'source', 'allowOutsidePayload'];

/**
 * A scenario written in code (a scenario file's object, or its YAML/JSON text) → the validated
 * Scenario that run() takes, the overrides applied. Invalid input: a ScenarioError with every problem.
 */
export function parseScenario(input: unknown, options: ParseScenarioOptions = {}): Scenario {
  const unknown = unknownOptionProblems(options, KNOWN);
  if (unknown.length > 0) throw new ScenarioError(unknown);
  const scenario = oneScenario(scenarioVariantsOf(input, options), options.source ?? 'the scenario');
  return withOverrides(scenario, options);
}
