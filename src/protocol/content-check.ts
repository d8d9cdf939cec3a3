import type { ContentCheck } from '../scenario/external-schema.js';

/**
 * Checks a reply or message from a service zmq-bench did not start against the group's
 * `check`: text equal, text matching a regular expression, or a JSON field equal to a value.
 */
export function contentChecker(check: ContentCheck): (frame: Buffer) => boolean {
  switch (check.kind) {
    case 'equals': {
      const expected = Buffer.from(check.text);
      return (frame) => frame.equals(expected);
    }
    case 'matches': {
      const pattern = new RegExp(check.pattern);
      return (frame) => pattern.test(frame.toString('utf8'));
    }
    case 'json': {
      const path = check.field.split('.');
      return (frame) => {
        const value = jsonField(frame, path);
        return value.found && value.value === check.equals;
      };
    }
  }
}

/** The value at a dot path in the frame's JSON; not found when the frame is not JSON or the path is missing. */
export function jsonField(frame: Buffer, path: readonly string[]): { found: boolean; value: unknown } {
  let v: unknown;
  try {
    v = JSON.parse(frame.toString('utf8'));
  } catch {
    return { found: false, value: undefined };
  }
  for (const key of path) {
    if (typeof v !== 'object' || v === null || !Object.hasOwn(v, key)) return { found: false, value: undefined };
    v = (v as Record<string, unknown>)[key];
  }
  return { found: true, value: v };
}

/** A mismatching frame as a short line for people: text when it is printable, else hex. */
export function describeFrame(frame: Buffer, maxChars = 80): string {
  const text = frame.toString('utf8');
  const printable = /^[\x20-\x7e\u00a0-\uffff\t\r\n]*$/.test(text) && !text.includes('\ufffd');
  const shown = printable ? JSON.stringify(text) : `0x${frame.subarray(0, maxChars / 2).toString('hex')}`;
  const more = printable ? text.length > maxChars : frame.length > maxChars / 2;
  return more ? `${printable ? JSON.stringify(text.slice(0, maxChars)) : shown}… (${frame.length} bytes)` : shown;
}
