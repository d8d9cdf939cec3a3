import { isBenchError } from '../core/errors.js';
import { parseRawText } from '../scenario/load.js';
import type { Scenario } from '../scenario/schema.js';
import { isSuite, scenarioVariants } from '../scenario/suite.js';
import { ScenarioError } from './errors.js';

/**
 * A scenario given in code, as a scenario file's object or its YAML/JSON text, validated by the
 * code that validates files (matrix variants included). Its problems are the CLI's lines: with
 * a `source`, prefixed by it as by a file's path; without one, bare ("topology.groups[0].type: ...").
 */

export interface ScenarioInputOptions {
  /**
   * What to call the scenario in problems (e.g. the file it came from); a name ending in .json
   * parses text as JSON, else YAML. Payload `file:` parts are read relative to its folder
   * (without a source: to the current folder).
   */
  source?: string;
  /** read payload files outside that folder too (--allow-outside-payload) */
  allowOutsidePayload?: boolean;
}

/** Stands in for a source when none is given; its prefix is taken off the problems again. */
const UNNAMED = 'scenario.yaml';

/** A scenario as validated: with a matrix, one per variant, named. */
export interface Variant {
  /** the matrix variant's name; null without a matrix */
  name: string | null;
  scenario: Scenario;
}

/** Every variant of the scenario (one without a matrix); a ScenarioError with every problem otherwise. */
export function scenarioVariantsOf(input: unknown, o: ScenarioInputOptions = {}): Variant[] {
  const source = o.source ?? UNNAMED;
  try {
    const raw = typeof input === 'string' ? parseRawText(input, source) : input;
    if (isSuite(raw))
      throw new ScenarioError([`${source}: a suite; the API takes one scenario (zmq-bench run and validate take suite files)`]);
    return scenarioVariants(raw, source, { files: { allowOutsidePayload: o.allowOutsidePayload } });
  } catch (e) {
    if (!isBenchError(e)) throw e;
    const bare = (p: string) => (o.source === undefined && p.startsWith(`${UNNAMED}: `) ? p.slice(UNNAMED.length + 2) : p);
    throw new ScenarioError(e.problems.map(bare));
  }
}

/** The one scenario of the input; a matrix of several variants is refused (zmq-bench run runs those). */
export function oneScenario(variants: readonly Variant[], source: string): Scenario {
  if (variants.length === 1) return variants[0]!.scenario;
  const names = variants.map((v) => v.name).join(', ');
  throw new ScenarioError([
    `${source}: a matrix of ${variants.length} scenarios (${names}); the API runs one scenario: pick its values in the scenario, or run the matrix with zmq-bench run`,
  ]);
}
