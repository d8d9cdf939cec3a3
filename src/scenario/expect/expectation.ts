import { compare, type Operator } from '../thresholds.js';
import { lookupResultPath, parsePath, pathText, PATH_EXAMPLE } from './result-paths.js';

/**
 * One assertion of an `expect:` block: `<path> <operator> <number | path>` over result.json,
 * e.g. "groups.subscribers.loss.head > 0" or "groups.late.received < groups.early.received".
 * Numbers are plain, in the field's own unit (µs for latencies, ms for times, fractions of 1),
 * because the paths already say what they measure.
 */

export interface PathRef {
  text: string;
  segments: string[];
}

export type Operand = { kind: 'number'; value: number; text: string } | ({ kind: 'path' } & PathRef);

export interface ParsedExpectation {
  /** as written, trimmed */
  text: string;
  left: PathRef;
  operator: Operator;
  right: Operand;
}

const NUMBER = /^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;
const WITH_UNIT = /^[+-]?[0-9.]+\s*(?:[A-Za-zµ%/]+)$/;
const OPERATORS: readonly Operator[] = ['>=', '<=', '==', '!=', '>', '<'];
const FORM = `expected <path> <operator> <number or path>, such as "${PATH_EXAMPLE} > 0", with one of > >= < <= == !=`;

/** An assertion's `that`, or what is wrong with it (without location). */
export function parseExpectation(that: string): ParsedExpectation | string {
  const text = that.trim();
  const split = splitAtOperator(text);
  if (!split) return `cannot read "${text}": ${FORM}`;
  const { left: leftText, operator, right: rightText } = split;
  if (NUMBER.test(leftText))
    return `the left side of "${text}" must be a path into the result (the figure measured), such as ${PATH_EXAMPLE}`;
  const left = pathRef(leftText);
  if (typeof left === 'string') return left;
  if (NUMBER.test(rightText)) return { text, left, operator, right: { kind: 'number', value: Number(rightText), text: rightText } };
  if (WITH_UNIT.test(rightText)) {
    return `"${rightText}" is not a plain number; write it in the field's unit without a suffix (latencies in µs, times in ms, shares as fractions of 1), such as 5000 for 5ms`;
  }
  const right = pathRef(rightText);
  if (typeof right === 'string') return `the right side of "${text}" must be a number or a path: ${right}`;
  return { text, left, operator, right: { kind: 'path', ...right } };
}

/**
 * The one operator outside ["..."] keys, and the sides around it; undefined when there is none,
 * more than one, or a stray = or ! (=>, =<, a single =).
 */
function splitAtOperator(text: string): { left: string; operator: Operator; right: string } | undefined {
  let found: { at: number; operator: Operator } | undefined;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
      continue;
    }
    if (!'<>=!'.includes(text[i]!)) continue;
    const operator = OPERATORS.find((op) => text.startsWith(op, i));
    if (!operator || found) return undefined;
    found = { at: i, operator };
    i += operator.length - 1;
  }
  if (!found) return undefined;
  const left = text.slice(0, found.at).trim();
  const right = text.slice(found.at + found.operator.length).trim();
  return left === '' || right === '' ? undefined : { left, operator: found.operator, right };
}

function pathRef(text: string): PathRef | string {
  const segments = parsePath(text);
  return typeof segments === 'string' ? segments : { text, segments };
}

/** The outcome of one assertion on one result. */
export interface Evaluation {
  that: string;
  /** the left-hand path, whose figure `actual` is */
  path: string;
  /** the left-hand figure; null when it could not be read */
  actual: number | null;
  /** the operator and the right-hand side: "> 0", or "< groups.early.received (1200)" */
  expected: string;
  holds: boolean;
  /** set when a side could not be read as a number: an error, never a plain "does not hold" */
  missing?: string;
}

export function evaluateExpectation(e: ParsedExpectation, result: unknown): Evaluation {
  const left = resolvePath(result, e.left.segments);
  const right = e.right.kind === 'number' ? e.right.value : resolvePath(result, e.right.segments);
  const rightText = e.right.kind === 'number' ? e.right.text : typeof right === 'number' ? `${e.right.text} (${right})` : e.right.text;
  const expected = `${e.operator} ${rightText}`;
  const base = { that: e.text, path: e.left.text, actual: typeof left === 'number' ? left : null, expected };
  if (typeof left !== 'number') return { ...base, holds: false, missing: left.missing };
  if (typeof right !== 'number') return { ...base, holds: false, missing: right.missing };
  return { ...base, holds: compare(left, e.operator, right) };
}

/** Parses and evaluates in one step; a `that` that cannot be read is reported as missing. */
export function evaluateThat(that: string, result: unknown): Evaluation {
  const parsed = parseExpectation(that);
  if (typeof parsed === 'string')
    return { that: that.trim(), path: that.trim(), actual: null, expected: '', holds: false, missing: parsed };
  return evaluateExpectation(parsed, result);
}

/**
 * The number at a path of a result: `groups.<name>` picks the group by name, digits index a
 * list, other segments are keys. Anything but a finite number at the end is `missing`.
 */
export function resolvePath(result: unknown, segments: readonly string[]): number | { missing: string } {
  let cur: unknown = result;
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i]!;
    const at = pathText(segments.slice(0, i)) || 'the result';
    if (i === 0 && seg === 'networkFaults') {
      cur = networkFaultEntries(result);
      continue;
    }
    if (i === 1 && segments[0] === 'groups' && Array.isArray(cur)) {
      cur = cur.find((g: unknown) => isRecord(g) && g['name'] === seg);
      if (cur === undefined) return { missing: `the result has no group "${seg}"` };
      continue;
    }
    if (Array.isArray(cur) && /^[0-9]+$/.test(seg)) cur = cur[Number(seg)];
    else if (isRecord(cur)) cur = cur[seg];
    else return { missing: `${at} is ${kindOf(cur)}, not an object with ${seg}` };
    if (cur === undefined)
      return { missing: `${pathText(segments.slice(0, i + 1))} is not in the result${optionalNote(result, segments)}` };
  }
  if (typeof cur === 'number' && Number.isFinite(cur)) return cur;
  return { missing: `${pathText(segments)} is ${kindOf(cur)}, not a number` };
}

/**
 * `networkFaults.<n>`: the timeline's partitions and cuts in the order they happened, which is
 * the order of the scenario's events (listed in order of `at`; faults at one time are made in
 * the order written). Slow links and heals have no such figures.
 */
function networkFaultEntries(result: unknown): unknown[] {
  const timeline = isRecord(result) && Array.isArray(result['timeline']) ? result['timeline'] : [];
  return timeline.filter((e: unknown) => isRecord(e) && e['kind'] === 'fault' && (e['action'] === 'partition' || e['action'] === 'cut'));
}

/** Why a field the table knows may be absent ("req groups only"), for the message. */
function optionalNote(result: unknown, segments: readonly string[]): string {
  const groups = isRecord(result) && Array.isArray(result['groups']) ? result['groups'] : [];
  const names = groups.flatMap((g: unknown) => (isRecord(g) && typeof g['name'] === 'string' ? [g['name']] : []));
  const target = lookupResultPath(segments, names);
  return typeof target !== 'string' && target.field.optional ? ` (${target.field.optional})` : '';
}

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return `a string (${JSON.stringify(v.length > 40 ? `${v.slice(0, 37)}...` : v)})`;
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
