import type { ExpectFile } from './schema.js';
import { parseExpectation } from './expectation.js';
import { lookupResultPath } from './result-paths.js';

/**
 * The checks of an `expect:` block that the schema cannot make: every `that` reads, and every
 * path in it names a numeric field of a group the scenario has. Run on a structurally valid
 * block; problems carry JSON pointers from the scenario's root, as validate.ts reports them.
 */

export interface ExpectProblem {
  /** e.g. /expect/assertions/2/that */
  pointer: string;
  text: string;
}

export function expectProblems(expect: ExpectFile, groups: readonly string[]): ExpectProblem[] {
  const problems: ExpectProblem[] = [];
  expect.assertions.forEach((a, i) => {
    const pointer = `/expect/assertions/${i}/that`;
    const parsed = parseExpectation(a.that);
    if (typeof parsed === 'string') {
      problems.push({ pointer, text: parsed });
      return;
    }
    const paths = parsed.right.kind === 'path' ? [parsed.left, parsed.right] : [parsed.left];
    for (const p of paths) {
      const target = lookupResultPath(p.segments, groups);
      if (typeof target === 'string') problems.push({ pointer, text: target });
    }
  });
  return problems;
}

/** /expect/assertions/2/that → expect.assertions[2].that, for use without validate/problem.ts's formatPath. */
export function expectProblemLine(p: ExpectProblem): string {
  const path = p.pointer
    .slice(1)
    .split('/')
    .map((s, i) => (/^[0-9]+$/.test(s) ? `[${s}]` : i === 0 ? s : `.${s}`))
    .join('');
  return `${path}: ${p.text}`;
}
