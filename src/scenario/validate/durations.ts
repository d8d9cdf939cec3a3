import { parseDurationMs } from '../../core/units.js';
import { durationText } from '../overrides.js';
import { got } from '../problem-text.js';
import { DURATION_MESSAGE, LIMITS } from '../schema.js';

/** Durations keep microsecond resolution: "1.1s" is 1100 ms, not 1100.0000000000002. */
export function ms(text: string): number {
  return Math.round(parseDurationMs(text)! * 1000) / 1000;
}

/**
 * A duration field as written: its length in ms, or what is wrong with it; undefined when it is
 * not a string (the schema says what it should be). `positive`: 0s is not allowed.
 */
export function readDuration(value: unknown, positive: boolean): { ms: number } | { problem: string } | undefined {
  if (typeof value !== 'string') return undefined;
  const parsed = parseDurationMs(value);
  if (parsed === undefined) return { problem: DURATION_MESSAGE + got(value) };
  if (parsed > LIMITS.durationMs) return { problem: `must be at most ${durationText(LIMITS.durationMs)}${got(value)}` };
  if (positive && ms(value) <= 0) return { problem: `must be longer than 0s${got(value)}` };
  return { ms: ms(value) };
}
