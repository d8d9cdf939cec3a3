import type { Scenario } from '../scenario/schema.js';
import { loadRunnable } from '../scenario/suite.js';
import { ScenarioError, refusedAs } from './errors.js';
import { OVERRIDE_KEYS, unknownOptionProblems, withOverrides, type ScenarioOverrides } from './options.js';

export interface LoadScenarioOptions extends ScenarioOverrides {
  /** --allow-outside-payload: read payload files outside the scenario's folder too */
  allowOutsidePayload?: boolean;
}

const KNOWN = [...OVERRIDE_KEYS, 'allowOutsidePayload'];

/**
 * Reads a scenario file (YAML or JSON) as `zmq-bench run` does: validated, its payload files
 * read, the overrides applied. Every problem at once as a ScenarioError whose `problems` are
 * the lines the CLI prints. A file of several scenarios (a suite, a matrix) is refused.
 */
export async function loadScenario(path: string, options: LoadScenarioOptions = {}): Promise<Scenario> {
  const unknown = unknownOptionProblems(options, KNOWN);
  if (unknown.length > 0) throw new ScenarioError(unknown);
  const loaded = await refusedAs(ScenarioError, () => loadRunnable(path, { allowOutsidePayload: options.allowOutsidePayload }));
  if (loaded.entries.length !== 1) {
    const names = loaded.entries.map((e) => e.name ?? e.scenario.name).join(', ');
    throw new ScenarioError([
      `${path}: holds ${loaded.entries.length} scenarios (${names}); loadScenario reads a file of one scenario (zmq-bench run runs suites and matrices)`,
    ]);
  }
  return withOverrides(loaded.entries[0]!.scenario, options);
}
