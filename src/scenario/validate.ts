import { Value } from '@sinclair/typebox/value';
import { isRecord } from './problem-text.js';
import { ScenarioSchema, type Scenario } from './schema.js';
import { searchProblems } from './search.js';
import { checkContext, type Topic } from './validate/context.js';
import { eventProblems } from './validate/events.js';
import { expectationProblems } from './validate/expect.js';
import { groupProblems } from './validate/groups.js';
import { hostProblems } from './validate/hosts.js';
import { normalize } from './validate/normalize.js';
import { inReportOrder, problemLines, type Problem } from './validate/problem.js';
import { proxyProblems } from './validate/proxies.js';
import { rateProblems } from './validate/rates.js';
import { searchBlockProblems } from './validate/search.js';
import { securityProblems } from './validate/security.js';
import { structuralProblems, type StructuralProblem } from './validate/structural.js';
import { thresholdProblems } from './validate/thresholds.js';
import { timingProblems } from './validate/timing.js';
import { topologyProblems } from './validate/topology.js';

/**
 * Scenario validation: every problem at once, one line each, `<path>: <expected>, got <value>`.
 * First the structure (TypeBox, its messages rephrased), then the rules that span fields, one
 * module per topic in validate/, run only on parts that are structurally sound so that one
 * mistake is reported once; then the defaults (validate/normalize.ts).
 */

export { DEFAULTS } from './validate/defaults.js';
export { parseTarget } from './validate/events.js';
export { networkPairKey } from './validate/targets.js';
export { formatPath } from './validate/problem.js';
export { canTalk, directionsOf, PEER_TYPES, RECEIVER_TYPES } from './validate/socket-kinds.js';
export { schemaProblems } from './validate/structural.js';

export type ValidationResult = { scenario: Scenario } | { problems: string[] };

export function validateScenario(raw: unknown): ValidationResult {
  const structural = structuralProblems(raw);
  const problems = [...structural, ...(isRecord(raw) ? semanticProblems(raw, structural) : [])];
  if (problems.length > 0) return { problems: problemLines(raw, problems) };
  // No problem left means the schema holds; Check narrows the type without a cast.
  if (!Value.Check(ScenarioSchema, raw)) return { problems: ['(top level): does not match the scenario schema'] };
  const scenario = normalize(raw);
  // the search's rules across the scenario (searched groups, their rates) read the normalized one
  const search = scenario.search === null ? [] : searchProblems(scenario);
  if (search.length > 0) return { problems: search.map((p) => `${p.path}: ${p.text}`) };
  return { scenario };
}

/** The topics; their problems are listed in the order of the checks (validate/problem.ts), not of the topics. */
const TOPICS: readonly Topic[] = [
  timingProblems,
  securityProblems,
  topologyProblems,
  groupProblems,
  proxyProblems,
  hostProblems,
  rateProblems,
  eventProblems,
  thresholdProblems,
  searchBlockProblems,
  expectationProblems,
];

function semanticProblems(raw: Record<string, unknown>, structural: readonly StructuralProblem[]): Problem[] {
  const ctx = checkContext(raw, structural);
  const problems = inReportOrder(TOPICS.flatMap((topic) => topic(raw, ctx)));
  // Without a topology only the scenario's own settings are judged: the rest would mostly
  // repeat that the topology is missing.
  return isRecord(raw['topology']) ? problems : problems.filter((p) => p.step === 'durations' || p.step === 'curve');
}
