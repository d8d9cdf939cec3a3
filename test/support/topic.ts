import { checkContext, type CheckContext, type Topic } from '../../src/scenario/validate/context.js';
import { problemLines } from '../../src/scenario/validate/problem.js';
import { structuralProblems } from '../../src/scenario/validate/structural.js';
import { withChange, type RawScenario } from './pipe-scenario.js';

/** The context validation builds for `raw` (after the schema check), for calling one topic alone. */
export function contextOf(raw: Record<string, unknown>): CheckContext {
  return checkContext(raw, structuralProblems(raw));
}

/** What one topic finds in `raw`, as the lines the user sees (`<path>: <text>`), in the topic's own order. */
export function topicLines(topic: Topic, raw: Record<string, unknown>): string[] {
  return problemLines(raw, topic(raw, contextOf(raw)));
}

/** push "vent" binds tasks, pull "work" connects (pipe-scenario.ts), with `change` applied: a small scenario to judge. */
export function pipeWith(change: (s: RawScenario) => void = () => {}): RawScenario {
  return withChange(change);
}
