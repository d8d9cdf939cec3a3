import { isRecord } from '../problem-text.js';
import { parseExpression, parseThresholdKey, type GroupKind } from '../thresholds.js';
import { Findings, type CheckContext } from './context.js';
import { escapeSegment, type Problem } from './problem.js';

/**
 * Thresholds: every key names a known metric (and a group it applies to), every expression
 * reads (the grammar is in ../thresholds.ts), every delayAbortEval is a duration.
 */
export function thresholdProblems(raw: Record<string, unknown>, ctx: CheckContext): Problem[] {
  const found = new Findings(ctx);
  const check = found.of('thresholds');
  const thresholds = raw['thresholds'];
  if (!isRecord(thresholds)) return found.problems;
  const types = new Map<string, GroupKind>();
  for (const [name, info] of ctx.groupInfo) if (info.type !== undefined) types.set(name, { type: info.type, side: info.side });
  for (const [key, list] of Object.entries(thresholds)) {
    const pointer = `/thresholds/${escapeSegment(key)}`;
    const parsed = parseThresholdKey(key, types);
    if (typeof parsed === 'string') {
      // an unknown group is only certain when every group name could be read
      if (ctx.namesComplete || !parsed.startsWith('no group')) check.add(pointer, parsed);
      continue;
    }
    if (!Array.isArray(list)) continue;
    list.forEach((entry, i) => {
      const expression = typeof entry === 'string' ? entry : isRecord(entry) ? entry['threshold'] : undefined;
      const at = typeof entry === 'string' ? `${pointer}/${i}` : `${pointer}/${i}/threshold`;
      if (typeof expression !== 'string' || !ctx.sound(at)) return;
      const read = parseExpression(expression, parsed.metric);
      if (typeof read === 'string') check.add(at, read);
    });
    list.forEach((entry, i) => isRecord(entry) && check.duration(entry['delayAbortEval'], `${pointer}/${i}/delayAbortEval`, false));
  }
  return found.problems;
}
