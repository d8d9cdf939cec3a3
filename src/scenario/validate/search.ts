import { got, isRecord } from '../problem-text.js';
import { fractionOf } from '../schema.js';
import { Findings, type CheckContext } from './context.js';
import type { Problem } from './problem.js';

/**
 * The search block's own values: durations that read, percentages within their bounds, a
 * ceiling not below the start. What needs the whole scenario (its sender groups and their rates)
 * is judged on the normalized scenario (../search.ts), once everything else is sound.
 */
export function searchBlockProblems(raw: Record<string, unknown>, ctx: CheckContext): Problem[] {
  const found = new Findings(ctx);
  const check = found.of('search');
  const search = raw['search'];
  if (!isRecord(search)) return found.problems;
  check.duration(search['duration'], '/search/duration', true);
  check.duration(search['maxP99'], '/search/maxP99', true);
  check.duration(search['maxSendLag'], '/search/maxSendLag', true);
  for (const field of ['precision', 'maxLoss', 'maxShortfall'] as const) {
    const v = search[field];
    const pointer = `/search/${field}`;
    if ((typeof v !== 'number' && typeof v !== 'string') || !ctx.sound(pointer)) continue;
    const f = fractionOf(v);
    if (f > 1) check.add(pointer, `must be at most 100%${got(v)}`);
    // a shortfall of 100% lets every step pass; a precision of 0 or 100% never or always stops
    else if (f === 1 && field !== 'maxLoss') check.add(pointer, `must be less than 100%${got(v)}`);
    else if (f === 0 && field === 'precision') check.add(pointer, `must be more than 0% (bisection would never stop)${got(v)}`);
  }
  const start = search['start'];
  const ceiling = search['ceiling'];
  if (
    typeof start === 'number' &&
    typeof ceiling === 'number' &&
    ctx.sound('/search/start') &&
    ctx.sound('/search/ceiling') &&
    ceiling < start
  )
    check.add('/search/ceiling', `must be at least search.start (${start})${got(ceiling)}`);
  return found.problems;
}
