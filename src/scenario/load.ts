import { readFileSync, statSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { dirname, extname, resolve } from 'node:path';
import YAML from 'yaml';
import { invalidInput, isBenchError, messageOf } from '../core/errors.js';
import { LIMITS, type Scenario } from './schema.js';
import { validateScenario } from './validate.js';
import { EXTERNAL_LIMITS } from './external-schema.js';

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
export function parseScenarioText(text: string, source: string): Scenario {
  const problems: string[] = [];
  const raw = parseText(text, source, problems);
  if (problems.length > 0) throw invalidInput(problems.map((p) => `${source}: ${p}`));
  return scenarioFromRaw(raw, source);
}

/** Read, parse and validate one scenario file. */
export async function loadScenario(path: string): Promise<Scenario> {
  if (!formatOf(path)) throw invalidInput([`${path}: must be a .yaml, .yml or .json file`]);
  return parseScenarioText(await readBounded(path), path);
}

/** Read and parse a file (scenario or suite) without validating it: the caller decides what it is. */
export async function loadRaw(path: string): Promise<unknown> {
  if (!formatOf(path)) throw invalidInput([`${path}: must be a .yaml, .yml or .json file`]);
  const problems: string[] = [];
  const raw = parseText(await readBounded(path), path, problems);
  if (problems.length > 0) throw invalidInput(problems.map((p) => `${path}: ${p}`));
  return raw;
}

/** Validate a parsed scenario, problems prefixed with where it came from. */
export function scenarioFromRaw(raw: unknown, source: string): Scenario {
  const result = validateScenario(raw);
  if ('problems' in result) throw invalidInput(result.problems.map((p) => `${source}: ${p}`));
  readPayloadFiles(result.scenario, source);
  return result.scenario;
}

/**
 * Fills in `file` payload parts, read relative to the scenario file, so workers (which may
 * not touch the file system) get the bytes with their plan.
 */
function readPayloadFiles(scenario: Scenario, source: string): void {
  const problems: string[] = [];
  scenario.groups.forEach((group, g) => {
    group.payload?.forEach((part) => {
      if (part.kind !== 'file') return;
      const where = `${source}: topology.groups[${g}].payload${part.frame === undefined ? '' : `.frames[${part.frame}]`}.file`;
      const path = resolve(dirname(source), part.path);
      try {
        const size = statSync(path).size;
        if (size > EXTERNAL_LIMITS.payloadFileBytes) throw new Error(`is ${size} bytes; at most ${EXTERNAL_LIMITS.payloadFileBytes} are sent as one frame`);
        part.base64 = readFileSync(path).toString('base64');
      } catch (e) {
        problems.push(`${where}: ${path} ${e instanceof Error && 'code' in e ? fileProblem(e) : messageOf(e)}`);
      }
    });
  });
  if (problems.length > 0) throw invalidInput(problems);
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

/** The file's text, refusing files over LIMITS.fileBytes without reading them whole. */
async function readBounded(path: string): Promise<string> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (e) {
    throw invalidInput([`${path}: ${fileProblem(e)}`]);
  }
  try {
    const buffer = Buffer.alloc(LIMITS.fileBytes + 1);
    let length = 0;
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > LIMITS.fileBytes) throw invalidInput([`${path}: must be at most ${LIMITS.fileBytes} bytes, got a larger file`]);
    return buffer.subarray(0, length).toString('utf8');
  } catch (e) {
    if (isBenchError(e)) throw e;
    throw invalidInput([`${path}: ${fileProblem(e)}`]);
  } finally {
    await handle.close();
  }
}

function fileProblem(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return 'file not found';
    case 'EACCES':
    case 'EPERM':
      return 'cannot read the file (permission denied)';
    case 'EISDIR':
      return 'is a directory, not a scenario file';
    case 'ENOTDIR':
      return 'file not found (a part of the path is a file, not a folder)';
    default:
      return `cannot read the file (${code ?? messageOf(e)})`;
  }
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
  return formatOf(source) === 'json' ? parseJson(body, problems) : parseYaml(body, problems);
}

function parseYaml(text: string, problems: string[]): unknown {
  // logLevel 'error': yaml would otherwise print process warnings (e.g. for collection keys),
  // which validation reports anyway as unknown fields.
  const doc = YAML.parseDocument(text, { prettyErrors: true, logLevel: 'error' });
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
    if (e instanceof ReferenceError && /alias/i.test(e.message)) {
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
    const offset = jsonErrorOffset(text);
    const where = offset === undefined ? '' : `${lineColumn(text, offset)}: `;
    problems.push(`${where}JSON syntax error: ${message}`);
    return undefined;
  }
}

function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return `line ${line}, column ${column}`;
}

/**
 * The offset of the first JSON syntax error, by a small scanner of the JSON grammar; undefined
 * if it finds none. Only used after JSON.parse failed, to place the error.
 */
export function jsonErrorOffset(text: string): number | undefined {
  let i = 0;
  class Stop {
    constructor(readonly at: number) {}
  }
  const fail = (): never => {
    throw new Stop(i);
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
      i++;
      space();
      if (text[i] === '}') return void i++;
      for (;;) {
        space();
        string();
        space();
        if (text[i] !== ':') fail();
        i++;
        value();
        space();
        if (text[i] === ',') i++;
        else if (text[i] === '}') return void i++;
        else fail();
      }
    }
    if (c === '[') {
      i++;
      space();
      if (text[i] === ']') return void i++;
      for (;;) {
        value();
        space();
        if (text[i] === ',') i++;
        else if (text[i] === ']') return void i++;
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
    return i < text.length ? i : undefined;
  } catch (e) {
    if (e instanceof Stop) return e.at;
    throw e;
  }
}
