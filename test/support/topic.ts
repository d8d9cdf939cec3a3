import { checkContext, type CheckContext } from '../../src/scenario/validate/context.js';
import { problemLines, type Problem } from '../../src/scenario/validate/problem.js';
import { structuralProblems } from '../../src/scenario/validate/structural.js';

/** A validation topic: a pure function from the parsed scenario and its context to problems. */
export type Topic = (raw: Record<string, unknown>, ctx: CheckContext) => Problem[];

/** The context validation builds for `raw` (after the schema check), for calling one topic alone. */
export function contextOf(raw: Record<string, unknown>): CheckContext {
  return checkContext(raw, structuralProblems(raw));
}

/** What one topic finds in `raw`, as the lines the user sees (`<path>: <text>`), in the topic's own order. */
export function topicLines(topic: Topic, raw: Record<string, unknown>): string[] {
  return problemLines(raw, topic(raw, contextOf(raw)));
}

/** push "vent" binds tasks, pull "work" connects, with `change` applied: a small scenario to judge. */
export function pipeWith(change: (s: { [field: string]: unknown; topology: { endpoints: unknown[]; groups: Record<string, unknown>[] } }) => void = () => {}): Record<string, unknown> {
  const s = {
    name: 'pipe',
    topology: {
      endpoints: ['tasks'] as unknown[],
      groups: [
        { name: 'vent', type: 'push', bind: 'tasks' },
        { name: 'work', type: 'pull', connect: 'tasks' },
      ] as Record<string, unknown>[],
    },
  };
  change(s);
  return s;
}
