import { isRecord } from '../problem-text.js';
import { expectProblems } from '../expect/check.js';
import type { ExpectFile } from '../expect/schema.js';
import { Findings, type CheckContext } from './context.js';
import type { Problem } from './problem.js';

/**
 * Expectations: every `that` of the expect block reads and names a numeric field of a group of
 * this scenario (the language itself is in ../expect/). Judged only when every group name could
 * be read, so that an unknown group is certain.
 */
export function expectationProblems(raw: Record<string, unknown>, ctx: CheckContext): Problem[] {
  const found = new Findings(ctx);
  if (!isRecord(raw['expect']) || !ctx.sound('/expect') || !ctx.namesComplete) return found.problems;
  const check = found.of('expect');
  for (const p of expectProblems(raw['expect'] as ExpectFile, [...ctx.groupInfo.keys()])) check.add(p.pointer, p.text);
  return found.problems;
}
