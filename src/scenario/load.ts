import { extname } from 'node:path';
import YAML from 'yaml';
import { invalidInput, isBenchError, messageOf } from '../core/errors.js';
import { LIMITS, type Scenario } from './schema.js';
import { validateScenario } from './validate.js';
import { jsonTooDeepOffset, tooDeepAt, yamlTooDeepOffset } from './nesting.js';
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
  return parseRawText(await readBounded(path), path);
}

/** Parse a scenario's (or suite's) text without validating it; `source` as in parseScenarioText. */
export function parseRawText(text: string, source: string): unknown {
  const problems: string[] = [];
  const raw = parseText(text, source, problems);
  if (problems.length > 0) throw invalidInput(problems.map((p) => `${source}: ${p}`));
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
    const message = messageOf(e)
      .replace(/, "[\s\S]*" is not valid JSON$/, '')
      .replace(/ (in JSON )?at position \d+.*$/, '');
    const at = jsonErrorOffset(text, messageOf(e));
    // nesting past the limit before the syntax error is what is wrong first
    const deep = jsonTooDeepOffset(at === undefined ? text : text.slice(0, at), LIMITS.nesting);
    if (deep !== undefined) problems.push(`${lineColumn(text, deep)}: ${TOO_DEEP}`);
    else problems.push(`${at === undefined ? '' : `${lineColumn(text, at)}: `}JSON syntax error: ${message}`);
    return undefined;
  }
}

/** V8 quotes the offending token with 10 characters either side, or the whole text when it is short. */
const TOKEN_CONTEXT = /^Unexpected token '([\s\S]+?)', (\.\.\.)?"([\s\S]*)"(\.\.\.)? is not valid JSON$/;
const CONTEXT_CHARACTERS = 10;

/**
 * The offset of a JSON syntax error in `text`, from JSON.parse's message: the position it
 * names, the end of the text, or where the token it quotes is; undefined when it does not say.
 */
export function jsonErrorOffset(text: string, message: string): number | undefined {
  const position = / at position (\d+)/.exec(message);
  if (position) return Number(position[1]);
  if (message.startsWith('Unexpected end of JSON input')) return text.length;
  const quoted = TOKEN_CONTEXT.exec(message);
  if (!quoted) return undefined;
  const [, token, before, context, after] = quoted as unknown as [string, string, string | undefined, string, string | undefined];
  if (before === undefined && after !== undefined) return context.length - CONTEXT_CHARACTERS;
  if (before !== undefined && after === undefined) return text.length - context.length + CONTEXT_CHARACTERS;
  // the whole text, or a piece of it that may stand more than once: the token is where the parser stops at it
  const candidates = before === undefined ? offsetsOf(text, token) : offsetsOf(text, context).map((i) => i + CONTEXT_CHARACTERS);
  return candidates.find((i) => {
    try {
      JSON.parse(text.slice(0, i + 1));
      return false;
    } catch (e) {
      return messageOf(e).startsWith(`Unexpected token '${token}'`);
    }
  });
}

function offsetsOf(text: string, piece: string): number[] {
  const out: number[] = [];
  for (let i = text.indexOf(piece); i !== -1; i = text.indexOf(piece, i + 1)) out.push(i);
  return out;
}
