import { isBenchError } from '../core/errors.js';
import { scenarioVariantsOf, type ScenarioInputOptions } from './scenario-input.js';

/**
 * The problems of a scenario (a scenario file's object, or its YAML/JSON text), one line each
 * with its path, as `zmq-bench validate` prints them; empty when it is valid. Never throws for
 * bad input. A matrix is checked variant by variant, as the CLI does.
 */
export function validate(input: unknown, options: ScenarioInputOptions = {}): string[] {
  try {
    scenarioVariantsOf(input, options);
    return [];
  } catch (e) {
    if (isBenchError(e)) return [...e.problems];
    throw e;
  }
}
