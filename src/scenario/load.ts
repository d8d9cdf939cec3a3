import { extname } from 'node:path';
import YAML from 'yaml';
import { invalidInput, isBenchError, messageOf } from '../core/errors.js';
import { LIMITS, type Scenario } from './schema.js';
import { validateScenario } from './validate.js';
import { tooDeepAt, yamlTooDeepOffset } from './nesting.js';
import { readPayloadFiles, type PayloadFileOptions } from './payload-files.js';
import { readProblem, readRegularFile, type Bounded } from '../core/read-file.js';
import { utf8Text } from './text-encoding.js';
import { lineColumn } from './problem-text.js';

/**
 * Reading scenario files. Every problem (unreadable file, syntax, validation) becomes one line
 * prefixed with the file's path, thrown together as invalidInput (exit 104).
 */

type Format = 'yaml' | 'json';

function formatOf(source: string): Format | undefined {
  const ext = extname(source).toLowerCase();
  if (ext === '.yaml' || ext === '.yml') return 'yaml';
  if (ext === '.json') return 'json';
  return undefined;
}

/** Parse and validate one scenario's text; `source` names it in messages and picks the format (YAML unless .json). */
export function parseScenarioText(text: string, source: string, o: PayloadFileOptions = {}): Scenario {
  const problems: string[] = [];
  const raw = parseText(text, source, problems);
  if (problems.length > 0) throw invalidInput(problems.map((p) => `${source}: ${p}`));
  return scenarioFromRaw(raw, source, o);
}

/** Read, parse and validate one scenario file. */
export async function loadScenario(path: string, o: PayloadFileOptions = {}): Promise<Scenario> {
  if (!formatOf(path)) throw invalidInput([`${path}: must be a .yaml, .yml or .json file`]);
  return parseScenarioText(await readBounded(path), path, o);
}

/** Read and parse a file (scenario or suite) without validating it: the caller decides what it is. */
export async function loadRaw(path: string): Promise<unknown> {
  if (!formatOf(path)) throw invalidInput([`${path}: must be a .yaml, .yml or .json file`]);
  const problems: string[] = [];
  const raw = parseText(await readBounded(path), path, problems);
  if (problems.length > 0) throw invalidInput(problems.map((p) => `${path}: ${p}`));
  return raw;
}

/** Validate a parsed scenario, problems prefixed with where it came from; then read its payload files. */
export function scenarioFromRaw(raw: unknown, source: string, o: PayloadFileOptions = {}): Scenario {
  const result = validateScenario(raw);
  if ('problems' in result) throw invalidInput(result.problems.map((p) => `${source}: ${p}`));
  readPayloadFiles(result.scenario, source, o);
  return result.scenario;
}

/** Load several files, reporting the problems of all of them at once. */
export async function loadScenarios(paths: readonly string[]): Promise<Scenario[]> {
  const problems: string[] = [];
  const scenarios: Scenario[] = [];
  for (const path of paths) {
    try {
      scenarios.push(await loadScenario(path));
    } catch (e) {
      if (!isBenchError(e)) throw e;
      problems.push(...e.problems);
    }
  }
  if (problems.length > 0) throw invalidInput(problems);
  return scenarios;
}

/** The file's text: a regular file of at most LIMITS.fileBytes, in UTF-8 (readRegularFile: why nothing here can hang). */
async function readBounded(path: string): Promise<string> {
  let read: Bounded;
  try {
    read = await readRegularFile(path, LIMITS.fileBytes, 'scenario file');
  } catch (e) {
    throw invalidInput([`${path}: ${readProblem(e)}`]);
  }
  if (read.tooLarge) throw invalidInput([`${path}: must be at most ${LIMITS.fileBytes} bytes, got a larger file`]);
  const decoded = utf8Text(read.bytes);
  if ('problem' in decoded) throw invalidInput([`${path}: ${decoded.problem}`]);
  return decoded.text;
}

function parseText(text: string, source: string, problems: string[]): unknown {
  if (Buffer.byteLength(text, 'utf8') > LIMITS.fileBytes) {
    problems.push(`must be at most ${LIMITS.fileBytes} bytes, got ${Buffer.byteLength(text, 'utf8')}`);
    return undefined;
  }
  const body = text.replace(/^\uFEFF/, '');
  if (body.trim() === '') {
    problems.push('the file is empty');
    return undefined;
  }
  const value = formatOf(source) === 'json' ? parseJson(body, problems) : parseYaml(body, problems);
  // Before anything walks the value recursively (validation, matrix expansion).
  const deep = problems.length > 0 ? undefined : tooDeepAt(value, LIMITS.nesting);
  if (deep === undefined) return value;
  problems.push(`${deep.path}: ${deep.selfReference ? 'contains itself (a YAML alias inside its own anchor)' : TOO_DEEP}`);
  return undefined;
}

const TOO_DEEP = `nested too deep (more than ${LIMITS.nesting} levels)`;
/** yaml catches its own stack overflow and reports it as a syntax error with this message. */
const isStackOverflow = (message: string) => message.startsWith('Maximum call stack size exceeded');

function parseYaml(text: string, problems: string[]): unknown {
  const deepAt = yamlTooDeepOffset(text, 2 * LIMITS.nesting);
  if (deepAt !== undefined) {
    problems.push(`${lineColumn(text, deepAt)}: ${TOO_DEEP}`);
    return undefined;
  }
  // logLevel 'error': yaml would otherwise print process warnings (e.g. for collection keys),
  // which validation reports anyway as unknown fields.
  const doc = YAML.parseDocument(text, { prettyErrors: true, logLevel: 'error' });
  // Nesting deep enough to overflow yaml's composer (if the guard above ever let it through).
  const overflow = doc.errors.find((e) => isStackOverflow(e.message));
  if (overflow) {
    const pos = overflow.linePos?.[0];
    problems.push(`${pos ? `line ${pos.line}, column ${pos.col}: ` : ''}${TOO_DEEP}`);
    return undefined;
  }
  const hints = flowTargetHints(text, doc.errors);
  if (hints.length > 0) {
    problems.push(...hints);
    return undefined;
  }
  // Warnings are unresolved tags such as !!js/function: refuse rather than guess.
  for (const e of [...doc.errors, ...doc.warnings]) {
    const pos = e.linePos?.[0];
    const where = pos ? `line ${pos.line}, column ${pos.col}: ` : '';
    const message =
      e.code === 'MULTIPLE_DOCS'
        ? 'a scenario file must hold one YAML document, got a second one after ---' // yaml's own text advises an API call
        : (e.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
    problems.push(`${where}YAML ${doc.errors.includes(e) ? 'syntax error' : 'problem'}: ${message}`);
  }
  if (problems.length > 0) return undefined;
  try {
    // Bounded alias expansion: a "billion laughs" file would otherwise take all memory.
    const value: unknown = doc.toJS({ maxAliasCount: LIMITS.yamlAliases });
    if (value === null || value === undefined) problems.push('the file is empty');
    return value;
  } catch (e) {
    if (e instanceof RangeError && isStackOverflow(e.message)) {
      problems.push(TOO_DEEP);
    } else if (e instanceof ReferenceError && /alias/i.test(e.message)) {
      problems.push(`YAML aliases expand too much (more than ${LIMITS.yamlAliases} expansions)`);
    } else {
      problems.push(`YAML problem: ${messageOf(e)}`);
    }
    return undefined;
  }
}

/** A value such as workers[1] in a `{ }` mapping: unquoted, its brackets are YAML flow syntax. */
const FLOW_TARGET = /:[ \t]+([A-Za-z][A-Za-z0-9_-]*\[[0-9]+\])[ \t]*[,}]/g;

/**
 * `- { at: 2s, kill: workers[1] }` is what people write, and YAML refuses it with a cascade of
 * cryptic errors. When the first error is on such a line, say what is wrong on every such line
 * instead (the cascade would only repeat it).
 */
function flowTargetHints(text: string, errors: readonly YAML.YAMLError[]): string[] {
  const first = errors[0]?.linePos?.[0];
  if (!first) return [];
  const lines = text.split('\n');
  const flowTargets = (line: string) => (line.includes('{') ? [...line.matchAll(FLOW_TARGET)] : []);
  if (flowTargets(lines[first.line - 1] ?? '').length === 0) return [];
  return lines.flatMap((line, i) =>
    flowTargets(line).map((m) => {
      const target = m[1]!;
      const col = (m.index ?? 0) + m[0].indexOf(target) + 1;
      return `line ${i + 1}, column ${col}: YAML syntax error: inside { }, ${target} must be quoted ("${target}"): brackets are YAML syntax there (or write the event as a block mapping)`;
    }),
  );
}

function parseJson(text: string, problems: string[]): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    // V8 names the position only in some messages, so the scanner finds it for all of them.
    const message = messageOf(e)
      .replace(/, "[\s\S]*" is not valid JSON$/, '')
      .replace(/ (in JSON )?at position \d+.*$/, '');
    const found = scanJson(text);
    const where = found === undefined ? '' : `${lineColumn(text, found.at)}: `;
    problems.push(found?.deep ? `${where}${TOO_DEEP}` : `${where}JSON syntax error: ${message}`);
    return undefined;
  }
}

/**
 * The offset of the first JSON syntax error, by a small scanner of the JSON grammar; undefined
 * if it finds none. Only used after JSON.parse failed, to place the error.
 */
export function jsonErrorOffset(text: string): number | undefined {
  return scanJson(text)?.at;
}

/**
 * The scanner: where it stopped, and whether for nesting deeper than LIMITS.nesting (it
 * recurses, so it stops there rather than overflow the stack on a broken deep file).
 */
function scanJson(text: string): { at: number; deep: boolean } | undefined {
  let i = 0;
  let depth = 0;
  class Stop {
    constructor(
      readonly at: number,
      readonly deep = false,
    ) {}
  }
  const fail = (): never => {
    throw new Stop(i);
  };
  const enter = () => {
    if (++depth > LIMITS.nesting) throw new Stop(i, true);
  };
  /** past the closing bracket */
  const leave = () => {
    i++;
    depth--;
  };
  const space = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const word = (w: string) => {
    for (const c of w) {
      if (text[i] !== c) fail();
      i++;
    }
  };
  const string = () => {
    if (text[i] !== '"') fail();
    i++;
    for (;;) {
      if (i >= text.length) fail();
      const c = text[i]!;
      if (c === '"') return void i++;
      if (c < ' ') fail();
      if (c === '\\') {
        i++;
        const esc = text[i];
        if (esc === 'u') {
          i++;
          for (let k = 0; k < 4; k++) {
            if (!/[0-9a-fA-F]/.test(text[i] ?? '')) fail();
            i++;
          }
        } else if (esc !== undefined && '"\\/bfnrt'.includes(esc)) i++;
        else fail();
      } else i++;
    }
  };
  const number = () => {
    const m = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(text.slice(i));
    if (!m) return fail();
    i += m[0].length;
  };
  const value = (): void => {
    space();
    const c = text[i];
    if (c === '{') {
      enter();
      i++;
      space();
      if (text[i] === '}') return leave();
      for (;;) {
        space();
        string();
        space();
        if (text[i] !== ':') fail();
        i++;
        value();
        space();
        if (text[i] === ',') i++;
        else if (text[i] === '}') return leave();
        else fail();
      }
    }
    if (c === '[') {
      enter();
      i++;
      space();
      if (text[i] === ']') return leave();
      for (;;) {
        value();
        space();
        if (text[i] === ',') i++;
        else if (text[i] === ']') return leave();
        else fail();
      }
    }
    if (c === '"') return string();
    if (c === 't') return word('true');
    if (c === 'f') return word('false');
    if (c === 'n') return word('null');
    return number();
  };
  try {
    value();
    space();
    return i < text.length ? { at: i, deep: false } : undefined;
  } catch (e) {
    if (e instanceof Stop) return { at: e.at, deep: e.deep };
    throw e;
  }
}
