import { parseSizeBytes } from '../../core/units.js';
import { got, isRecord } from '../problem-text.js';
import { LIMITS, MIN_MESSAGE_BYTES, SIZE_MESSAGE } from '../schema.js';
import { Findings, type Check, type CheckContext } from './context.js';
import type { Problem } from './problem.js';

/**
 * Rates and sizes of the senders: a size written as a string within the bounds, and rate
 * shapes with durations longer than 0s, bursts within the rate limit and `for` on every step
 * but the last. (Plain numbers are checked by the schema.)
 */
export function rateProblems(_raw: Record<string, unknown>, ctx: CheckContext): Problem[] {
  const found = new Findings(ctx);
  for (const g of ctx.groups) {
    const size = g.fields['size'];
    if (typeof size === 'string' && ctx.sound(`${g.pointer}/size`)) {
      const bytes = parseSizeBytes(size);
      if (bytes === undefined || bytes < MIN_MESSAGE_BYTES || bytes > LIMITS.messageBytes)
        found.ofGroup('size', g.index).add(`${g.pointer}/size`, SIZE_MESSAGE + got(size));
    }
    shapeProblems(found.ofGroup('rate', g.index), ctx, g.fields['rate'], `${g.pointer}/rate`);
  }
  return found.problems;
}

function shapeProblems(check: Check, ctx: CheckContext, value: unknown, pointer: string): void {
  if (!isRecord(value)) return;
  const ramp = value['ramp'];
  if (isRecord(ramp)) check.duration(ramp['over'], `${pointer}/ramp/over`, true);
  const bursts = value['bursts'];
  if (isRecord(bursts)) {
    const everyMs = check.duration(bursts['every'], `${pointer}/bursts/every`, true);
    const size = bursts['size'];
    if (
      everyMs !== undefined &&
      typeof size === 'number' &&
      ctx.sound(`${pointer}/bursts/size`) &&
      (size * 1000) / everyMs > LIMITS.ratePerSecond
    ) {
      check.add(
        `${pointer}/bursts`,
        `must average at most ${LIMITS.ratePerSecond} messages per second (size / every), got ${size} every ${String(bursts['every'])}`,
      );
    }
  }
  const steps = value['steps'];
  // a list refused as a whole (empty, too long) would only echo its problem through its steps
  if (!Array.isArray(steps) || ctx.refused(`${pointer}/steps`)) return;
  steps.forEach((step: unknown, k) => {
    const sp = `${pointer}/steps/${k}`;
    if (!isRecord(step)) return;
    if (step['for'] !== undefined) check.duration(step['for'], `${sp}/for`, true);
    // a misspelt `for` is already reported as an unknown field
    else if (k < steps.length - 1 && !ctx.hasUnknownField(sp))
      check.add(`${sp}/for`, 'required field is missing (only the last step may leave it out)');
  });
}
