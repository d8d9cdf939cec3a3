import { copyFileSync, mkdirSync, readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import fc from 'fast-check';
import YAML from 'yaml';
import { EXTERNAL_LIMITS } from '../../src/scenario/external-schema.js';
import { scenariosDir } from './run-shipped.js';

/**
 * What the fuzz tests feed zmq-bench: the shipped scenario and suite files, mutated the way a
 * hostile user (or a careless editor) would, arbitrary text and bytes, and the values the
 * hardening issue (17) found harmful. Generators only: the checks are in fuzz-checks.ts.
 */

/** Every shipped scenario and suite file, relative to scenarios/ (suites/default.yaml, external/…). */
export const SHIPPED: readonly string[] = readdirSync(scenariosDir, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.yaml'))
  .sort();

/** Environment variables, for a longer run or another seed (README "Testing"). */
export function fuzzSettings(runsVar: string, defaultRuns: number): { seed: number; numRuns: number } {
  const seed = Number(process.env['ZMQ_BENCH_FUZZ_SEED'] ?? 17);
  const numRuns = Number(process.env[runsVar] ?? defaultRuns);
  return { seed: Number.isInteger(seed) ? seed : 17, numRuns: Number.isInteger(numRuns) && numRuns > 0 ? numRuns : defaultRuns };
}

// ---------------------------------------------------------------------------------------------
// Hostile values

const LONG = 'a'.repeat(70_000);

/** Values seen to hurt (issue 17) or near a limit: ports past 65535, rates the pacer cannot hold, paths out of the folder. */
const NASTY: readonly unknown[] = [
  -1,
  0,
  -0,
  0.5,
  1e-300,
  5e-324,
  1e300,
  70000,
  65536,
  99999,
  2 ** 53 + 1,
  -1e21,
  Infinity,
  -Infinity,
  NaN,
  '1e-300',
  '1e-300s',
  '0ms',
  '-1s',
  '25h',
  '1e400',
  '0x10',
  '.nan',
  'max',
  '',
  ' ',
  '\u0000',
  '🚀',
  LONG,
  'tcp://127.0.0.1:70000',
  'tcp://127.0.0.1:99999',
  'tcp://127.0.0.1:0',
  'tcp://127.0.0.1:-1',
  'tcp://127.0.0.1:',
  'tcp://[::1]:5555',
  'ipc:///nonexistent/folder/x',
  '../../etc/passwd',
  '../../../../../../../../etc/passwd',
  '/etc/hostname',
  'avg < -1ms',
  'count > -5',
  'rate <= 1',
  'p(99.9) < 0',
  'p(200) < 1ms',
  'count == NaN',
  '{{seq}}',
  '{{now}}',
  'workers[999999]',
  true,
  null,
  [],
  {},
  [[[]]],
];

/** A value of any type: a hostile constant, a random JSON value, a random string or number. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.constantFrom(...NASTY), weight: 4 },
  { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 2 },
  { arbitrary: fc.string({ maxLength: 40 }), weight: 1 },
  { arbitrary: fc.double(), weight: 1 },
  { arbitrary: fc.integer(), weight: 1 },
);

// ---------------------------------------------------------------------------------------------
// Structural mutations of a parsed file

/** Payload `file:` values, relative to the case's folder (payload.bin and big.bin are in the fixture). */
export const PAYLOAD_FILES = ['payload.bin', 'missing.bin', 'big.bin', '.', '../../../../../../../../etc/passwd', '/etc/hostname'] as const;
/** Suite entry `file:` values, relative to the suite (fuzz-case.yaml is the case itself). */
export const SUITE_FILES = [
  'fuzz-case.yaml',
  'lists-case.yaml',
  'default.yaml',
  '../pipeline.yaml',
  'missing.yaml',
  '.',
  '/dev/null',
  '/dev/zero',
  '../../../../../../../../etc/passwd',
] as const;
const MATRIX_KEYS = ['size', 'rate', 'hwm', 'duration', 'transport', 'placement', 'curve'] as const;
const METRICS = ['latency', 'throughput', 'loss_rate', 'lost', 'sent', 'received', 'stalled', 'bogus'] as const;
const EXPRESSIONS = [
  'avg < -1ms',
  'count > -5',
  'count >= 0',
  'rate <= 1',
  'rate > 1',
  'p(99) < 0',
  'p(50) < 5ms',
  'count == 0',
  'max > -1',
  'rate < 0',
] as const;

/** One change to a parsed file. `at` picks a node (modulo their number), so every mutation applies to every file. */
export type Mutation =
  | { kind: 'delete'; at: number }
  | { kind: 'replace'; at: number; value: unknown }
  | { kind: 'unknownKey'; at: number; key: string; value: unknown }
  | { kind: 'deep'; at: number; depth: number; open: '[' | '{' }
  | { kind: 'payloadFile'; at: number; path: string }
  | { kind: 'external'; at: number; address: string }
  | { kind: 'threshold'; metric: string; expression: string }
  | { kind: 'matrix'; keys: number; values: number }
  | { kind: 'suiteEntry'; at: number; file: string }
  | { kind: 'rate'; at: number; value: unknown };

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  { arbitrary: fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), value: hostileValue }), weight: 4 },
  fc.record({
    kind: fc.constant('unknownKey' as const),
    at: fc.nat(),
    key: fc.oneof(fc.constantFrom('colour', '__proto__', 'constructor', 'suite', 'matrix', '$schema'), fc.string({ maxLength: 10 })),
    value: hostileValue,
  }),
  fc.record({
    kind: fc.constant('deep' as const),
    at: fc.nat(),
    depth: fc.constantFrom(40, 1000, 20_000),
    open: fc.constantFrom('[' as const, '{' as const),
  }),
  { arbitrary: fc.record({ kind: fc.constant('payloadFile' as const), at: fc.nat(), path: fc.constantFrom(...PAYLOAD_FILES) }), weight: 2 },
  {
    arbitrary: fc.record({
      kind: fc.constant('rate' as const),
      at: fc.nat(),
      value: fc.oneof(fc.constantFrom(1e-300, 5e-324, 1e-12, 1e-9, 0.001, 1e7, 1e8, 'max', '1e-300'), fc.double({ min: 0, noNaN: true })),
    }),
    weight: 2,
  },
  fc.record({
    kind: fc.constant('external' as const),
    at: fc.nat(),
    address: fc.constantFrom(
      'tcp://127.0.0.1:70000',
      'tcp://127.0.0.1:99999',
      'tcp://127.0.0.1:0',
      'tcp://127.0.0.1:5555',
      'tcp://localhost:65535',
      'tcp://10.1.2.3:5555',
      'udp://x',
      '',
    ),
  }),
  {
    arbitrary: fc.record({
      kind: fc.constant('threshold' as const),
      metric: fc.constantFrom(...METRICS),
      expression: fc.constantFrom(...EXPRESSIONS),
    }),
    weight: 2,
  },
  fc.record({ kind: fc.constant('matrix' as const), keys: fc.integer({ min: 1, max: 6 }), values: fc.integer({ min: 1, max: 22 }) }),
  fc.record({ kind: fc.constant('suiteEntry' as const), at: fc.nat(), file: fc.constantFrom(...SUITE_FILES) }),
);

type Json = Record<string, unknown> | unknown[];
const isContainer = (v: unknown): v is Json => typeof v === 'object' && v !== null;
const isObject = (v: unknown): v is Record<string, unknown> => isContainer(v) && !Array.isArray(v);

/** Every [parent, key] below the root, in document order. */
function slots(root: unknown): Array<[Json, string | number]> {
  const out: Array<[Json, string | number]> = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach((x, i) => (out.push([v, i]), walk(x)));
    else if (isObject(v)) for (const k of Object.keys(v)) out.push([v, k]), walk(v[k]);
  };
  walk(root);
  return out;
}

function objectsOf(root: unknown): Array<Record<string, unknown>> {
  return [root, ...slots(root).map(([p, k]) => (p as Record<string | number, unknown>)[k])].filter(isObject);
}

const pick = <T>(list: readonly T[], at: number): T | undefined => (list.length === 0 ? undefined : list[at % list.length]);

function groupsOf(root: unknown): Array<Record<string, unknown>> {
  const topology = isObject(root) ? root['topology'] : undefined;
  const groups = isObject(topology) ? topology['groups'] : undefined;
  return Array.isArray(groups) ? groups.filter(isObject) : [];
}

/** Deep nesting is written into the text (see serialize): building it as a value would overflow this test's own stack. */
export const DEEP = (depth: number, open: '[' | '{') => `__zb_deep_${depth}_${open === '[' ? 'list' : 'map'}__`;

/** The mutations applied to a copy of `doc` (parsed YAML or JSON). */
export function mutate(doc: unknown, mutations: readonly Mutation[]): unknown {
  const root: unknown = structuredClone(doc);
  for (const m of mutations) {
    const slot = pick(slots(root), 'at' in m ? m.at : 0);
    const set = (value: unknown) => {
      if (slot) (slot[0] as Record<string | number, unknown>)[slot[1]] = value;
    };
    switch (m.kind) {
      case 'delete':
        if (slot && Array.isArray(slot[0])) slot[0].splice(Number(slot[1]), 1);
        else if (slot) delete (slot[0] as Record<string, unknown>)[slot[1]];
        break;
      case 'replace':
        set(m.value);
        break;
      case 'unknownKey': {
        const target = pick(objectsOf(root), m.at);
        if (target) Object.defineProperty(target, m.key, { value: m.value, enumerable: true, writable: true, configurable: true });
        break;
      }
      case 'deep':
        set(DEEP(m.depth, m.open));
        break;
      case 'payloadFile': {
        const g = pick(groupsOf(root), m.at);
        if (g) g['payload'] = m.at % 2 === 0 ? { file: m.path } : { frames: [{ string: 'x' }, { file: m.path }] };
        break;
      }
      case 'external': {
        const topology = isObject(root) ? root['topology'] : undefined;
        const endpoints = isObject(topology) ? topology['endpoints'] : undefined;
        if (Array.isArray(endpoints) && endpoints.length > 0) {
          const i = m.at % endpoints.length;
          const e: unknown = endpoints[i];
          endpoints[i] = { name: typeof e === 'string' ? e : isObject(e) ? e['name'] : 'x', external: m.address };
        }
        break;
      }
      case 'threshold':
        if (isObject(root))
          root['thresholds'] = { ...(isObject(root['thresholds']) ? root['thresholds'] : {}), [m.metric]: [m.expression] };
        break;
      case 'matrix': {
        // keys × values combinations: 6 × 20 is 64 million, far past the 200 allowed
        const group = groupsOf(root)[0]?.['name'];
        const keys = [...MATRIX_KEYS, ...(typeof group === 'string' ? [`groups.${group}.count`] : [])].slice(0, m.keys);
        if (isObject(root)) root['matrix'] = Object.fromEntries(keys.map((k) => [k, Array.from({ length: m.values }, (_, i) => i + 1)]));
        break;
      }
      case 'rate': {
        const g = pick(groupsOf(root), m.at);
        if (g) g['rate'] = m.value;
        break;
      }
      case 'suiteEntry': {
        const entries = isObject(root) ? root['scenarios'] : undefined;
        const entry = Array.isArray(entries) ? pick(entries.filter(isObject), m.at) : undefined;
        if (entry) entry['file'] = m.file;
        break;
      }
    }
  }
  return root;
}

/** A mutated document as the text of a file: YAML or JSON, deep-nesting markers expanded, maybe a duplicated key. */
export function serialize(doc: unknown, format: 'yaml' | 'json', duplicateKey: boolean): string {
  let text =
    format === 'json' ? (JSON.stringify(doc, null, 1) ?? 'null') : YAML.stringify(doc, { aliasDuplicateObjects: false, lineWidth: 0 });
  text = text.replace(/"?__zb_deep_(\d+)_(list|map)__"?/g, (_, depth: string, kind: string) => {
    const n = Number(depth);
    return kind === 'list' ? `${'['.repeat(n)}${']'.repeat(n)}` : `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;
  });
  if (duplicateKey && format === 'yaml' && isObject(doc)) {
    const first = Object.keys(doc)[0];
    if (first !== undefined) text += `\n${JSON.stringify(first)}: again\n`;
  }
  return text;
}

/** A shipped file, mutated: its path (relative to scenarios/), the format to write and the mutations. */
export const mutatedShipped = fc.record({
  file: fc.constantFrom(...SHIPPED),
  format: fc.constantFrom('yaml' as const, 'json' as const),
  mutations: fc.array(mutation, { minLength: 1, maxLength: 4 }),
  duplicateKey: fc.boolean(),
});

// ---------------------------------------------------------------------------------------------
// Arbitrary text and bytes

const TOKENS = [
  ':',
  ': ',
  '- ',
  '[',
  ']',
  '{',
  '}',
  ',',
  '&a ',
  '*a',
  '<<: *a',
  '!!js/function ',
  '!!binary ',
  '!ref ',
  '---\n',
  '...\n',
  '\n',
  '  ',
  '\t',
  '"',
  "'",
  '#',
  '|\n',
  '>\n',
  '? ',
  'name',
  'topology',
  'groups',
  'endpoints',
  'type: push',
  'bind',
  'connect',
  'rate',
  'suite',
  'scenarios',
  'file',
  'matrix',
  'thresholds',
  'payload',
  '1e-300',
  '70000',
  '~',
  'null',
  '.inf',
  '-',
  '%YAML 1.2\n',
  '\uFEFF',
  '\u0000',
  '\r\n',
] as const;

/** YAML-ish token soup: mostly broken YAML, now and then a scenario-shaped one. */
export const tokenSoup = fc.array(fc.constantFrom(...TOKENS), { maxLength: 80 }).map((t) => t.join(''));

/** A whole file's bytes: binary junk, any unicode text, token soup, or a shipped file re-encoded (UTF-16, Latin-1). */
export const fileBytes: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.uint8Array({ maxLength: 400 }),
  fc.string({ unit: 'binary', maxLength: 400 }).map((s) => Buffer.from(s, 'utf8')),
  tokenSoup.map((s) => Buffer.from(s, 'utf8')),
  fc
    .record({ file: fc.constantFrom(...SHIPPED), encoding: fc.constantFrom('utf16le' as const, 'latin1' as const), bom: fc.boolean() })
    .map(({ file, encoding, bom }) => {
      // the top of the file, with a non-ASCII character so that Latin-1 is not UTF-8 by accident
      const text = readShipped(file).split('\n').slice(0, 3).join('\n').replace(/ /g, '\u00a0');
      return Buffer.concat([bom && encoding === 'utf16le' ? Buffer.from([0xff, 0xfe]) : Buffer.alloc(0), Buffer.from(text, encoding)]);
    }),
);

// ---------------------------------------------------------------------------------------------
// The folder the cases are written to

export const readShipped = (file: string): string => readFileSync(join(scenariosDir, file), 'utf8');

/**
 * A copy of scenarios/ in `dir` (so suites find their scenarios), with the files that
 * mutations name: payload.bin, a sparse big.bin past the payload limit, and a suite that lists
 * the case (lists-case.yaml: with a case that is a suite, two suites that list each other).
 */
export function makeFixture(dir: string): string {
  const root = join(dir, 'scenarios');
  for (const file of SHIPPED) {
    mkdirSync(join(root, file, '..'), { recursive: true });
    copyFileSync(join(scenariosDir, file), join(root, file));
  }
  copyFileSync(join(scenariosDir, 'scenario.schema.json'), join(root, 'scenario.schema.json'));
  for (const sub of new Set(SHIPPED.map((f) => join(root, f, '..')))) {
    writeFileSync(join(sub, 'payload.bin'), 'hello');
    writeFileSync(join(sub, 'big.bin'), '');
    truncateSync(join(sub, 'big.bin'), EXTERNAL_LIMITS.payloadFileBytes + 1);
    writeFileSync(join(sub, 'lists-case.yaml'), 'suite: lists\nscenarios:\n  - file: fuzz-case.yaml\n');
  }
  return root;
}

/** Where the case made from shipped `file` is written: beside it, so its relative paths still resolve. */
export const casePath = (root: string, file: string, format: 'yaml' | 'json'): string => join(root, file, '..', `fuzz-case.${format}`);

export const shownPath = (root: string, path: string): string => relative(root, path);
