import { Lexer, Parser } from 'yaml';

/**
 * How deep a parsed file nests. Validation, matrix expansion and the report all walk values
 * recursively, and a file nested thousands of levels deep would overflow the stack
 * ("Maximum call stack size exceeded", no path). This walk is iterative, so it cannot.
 */

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

function child(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  if (IDENTIFIER.test(key)) return path === '' ? key : `${path}.${key}`;
  return `${path}[${JSON.stringify(key)}]`;
}

interface Step {
  value: unknown;
  path: string;
  level: number;
  parent: Step | undefined;
}

/** Where a value first contains itself along the steps to `last` (a YAML alias inside its own anchor), if it does. */
function selfReference(last: Step): string | undefined {
  const chain: Step[] = [];
  for (let s: Step | undefined = last; s; s = s.parent) chain.unshift(s);
  const seen = new Set<unknown>();
  for (const s of chain) {
    if (seen.has(s.value)) return s.path;
    seen.add(s.value);
  }
  return undefined;
}

/**
 * The first list or mapping at level `limit` + 1 (the top level is level 1), or undefined when
 * the value nests `limit` levels or fewer. A value shared through YAML aliases is walked again
 * only when met deeper; one that contains itself is named as such.
 */
export function tooDeepAt(value: unknown, limit: number): { path: string; selfReference: boolean } | undefined {
  const deepest = new Map<object, number>();
  const stack: Step[] = [{ value, path: '', level: 1, parent: undefined }];
  while (stack.length > 0) {
    const step = stack.pop()!;
    const v = step.value;
    if (typeof v !== 'object' || v === null) continue;
    if (step.level > limit) {
      const self = selfReference(step);
      return { path: (self ?? step.path) || '(top level)', selfReference: self !== undefined };
    }
    if ((deepest.get(v) ?? 0) >= step.level) continue;
    deepest.set(v, step.level);
    // Pushed in reverse, so the first entry is walked first and the path found is the first in the file.
    const entries: Array<[string | number, unknown]> = Array.isArray(v) ? v.map((x, i) => [i, x]) : Object.entries(v);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, x] = entries[i]!;
      stack.push({ value: x, path: child(step.path, key), level: step.level + 1, parent: step });
    }
  }
  return undefined;
}

/**
 * The offset in YAML text where yaml's parser first holds more than `limit` open nodes, or
 * undefined. Run before the document is built: the parser slows down with depth (a 1 MB line of
 * `[[[[` took 8 s and 600 MB), so a hostile file must be stopped while it is still shallow. Its
 * stack holds the document and a scalar or two besides the lists and mappings, so callers give a
 * limit above the exact one, which tooDeepAt then applies with a path.
 */
export function yamlTooDeepOffset(text: string, limit: number): number | undefined {
  const parser = new Parser();
  for (const lexeme of new Lexer().lex(text)) {
    for (const _token of parser.next(lexeme)) {
      // the tokens are not needed: only how deep the parser is
    }
    if (parser.stack.length > limit) return parser.offset;
  }
  return undefined;
}

/**
 * The offset of the first `[` or `{` in JSON text that opens more than `limit` levels, or
 * undefined; for a file JSON.parse refused, which has no value to walk. yaml's parser reads it
 * (JSON is YAML's flow style) and is stopped there, however deep the text goes.
 */
export function jsonTooDeepOffset(text: string, limit: number): number | undefined {
  const parser = new Parser();
  for (const lexeme of new Lexer().lex(text)) {
    for (const _token of parser.next(lexeme)) {
      // the tokens are not needed: only how many collections are open
    }
    // the lexeme just read is the bracket that opened one too many
    if (parser.stack.filter((t) => t.type === 'flow-collection').length > limit) return parser.offset - lexeme.length;
  }
  return undefined;
}
