import { isSender, LIMITS, type GroupType } from './schema.js';

/**
 * `matrix:` runs a scenario over every combination of some of its values (transport × size ×
 * curve, say), like a CI matrix. Expansion works on the parsed file before validation, so each
 * combination is then validated as the scenario file it amounts to. Pure.
 */

export type MatrixValue = string | number | boolean;
export type Coordinates = Record<string, MatrixValue>;

export interface MatrixVariant {
  /** `<scenario>-<part>-<part>…`, e.g. pipeline-tcp-curve-size1KiB */
  name: string;
  /** key → the value this combination has (empty without a matrix) */
  coordinates: Coordinates;
  /** the scenario file with these values set and without `matrix` */
  raw: Record<string, unknown>;
}

/** Keys that set one field of the file, or one field of every group it concerns. */
const TOP_LEVEL = ['transport', 'engine', 'duration', 'warmup', 'drain', 'curve'] as const;
const EVERY_SENDER = ['size', 'rate'] as const;
const EVERY_GROUP = ['placement', 'hwm'] as const;
/** groups.<name>.<field> */
const GROUP_FIELDS = ['count', 'threads', 'placement', 'engine', 'size', 'rate', 'messages', 'delay', 'window'] as const;
const GROUP_PATH = /^groups\.([A-Za-z][A-Za-z0-9_-]*)\.(?:options\.([A-Za-z_]+)|([a-z]+))$/;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isScalar = (v: unknown): v is MatrixValue => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
const includes = <T extends string>(list: readonly T[], v: string): v is T => (list as readonly string[]).includes(v);

function groupsOf(raw: Record<string, unknown>): Array<Record<string, unknown>> {
  const topology = raw['topology'];
  const groups = isRecord(topology) ? topology['groups'] : undefined;
  return Array.isArray(groups) ? groups.filter(isRecord) : [];
}

/** What is wrong with a key, or undefined when it can be set. */
function keyProblem(key: string, groupNames: ReadonlySet<string>): string | undefined {
  if (includes(TOP_LEVEL, key) || includes(EVERY_SENDER, key) || includes(EVERY_GROUP, key)) return undefined;
  const m = GROUP_PATH.exec(key);
  if (!m) {
    return `unknown key; expected one of ${[...TOP_LEVEL, ...EVERY_SENDER, ...EVERY_GROUP].join(', ')}, groups.<name>.<field> or groups.<name>.options.<option>`;
  }
  if (!groupNames.has(m[1]!)) return `no group "${m[1]}"; the groups are ${[...groupNames].join(', ')}`;
  if (m[3] !== undefined && !includes(GROUP_FIELDS, m[3]))
    return `"${m[3]}" cannot be varied; a group's ${GROUP_FIELDS.join(', ')} or options.<option> can`;
  return undefined;
}

/** One value in one place; validation of the result says whether it fits there. */
function setValue(raw: Record<string, unknown>, key: string, value: MatrixValue): void {
  const groups = groupsOf(raw);
  const setOption = (g: Record<string, unknown>, option: string, v: MatrixValue) =>
    (g['options'] = { ...(isRecord(g['options']) ? g['options'] : {}), [option]: v });
  if (key === 'transport') setTransport(raw, value);
  else if (includes(TOP_LEVEL, key)) raw[key] = value;
  else if (includes(EVERY_SENDER, key)) {
    for (const g of groups) if (isSender(g['type'] as GroupType, g['side'] === 'sender' ? 'sender' : null)) g[key] = value;
  } else if (key === 'placement') for (const g of groups) g['placement'] = value;
  else if (key === 'hwm') {
    for (const g of groups) {
      setOption(g, 'sndhwm', value);
      setOption(g, 'rcvhwm', value);
    }
  } else {
    const m = GROUP_PATH.exec(key)!;
    const g = groups.find((x) => x['name'] === m[1]);
    if (g && m[2] !== undefined) setOption(g, m[2], value);
    else if (g) g[m[3]!] = value;
  }
}

/** A matrix transport, as run --transport: the transport of every endpoint, replacing their own. */
function setTransport(raw: Record<string, unknown>, value: MatrixValue): void {
  raw['transport'] = value;
  const topology = raw['topology'];
  const endpoints = isRecord(topology) ? topology['endpoints'] : undefined;
  if (Array.isArray(endpoints)) for (const e of endpoints) if (isRecord(e)) delete e['transport'];
}

/** A short, file-safe part of a variant's name: tcp, curve (false: nothing), size1KiB, workers.count4. */
function namePart(key: string, value: MatrixValue): string {
  const short = key.startsWith('groups.') ? key.slice('groups.'.length).replace(/^(.*)\.options\./, '$1.') : key;
  if (typeof value === 'boolean') return value ? short : '';
  if (key === 'transport' || key === 'placement') return String(value);
  // 'zeromq.js' without its dot, for folder names
  if (key === 'engine') return String(value).replace(/[^A-Za-z0-9]/g, '');
  return `${short}${String(value)}`;
}

function matches(c: Coordinates, exclude: Coordinates): boolean {
  return Object.entries(exclude).every(([k, v]) => c[k] === v);
}

/**
 * Every combination of the matrix (the file's, with `extra` from --matrix replacing keys of
 * the same name), or one problem per bad key, value or exclude entry, with its path.
 */
export function expandMatrix(
  raw: Record<string, unknown>,
  o: { extra?: Readonly<Record<string, readonly MatrixValue[]>>; baseName?: string } = {},
): { variants: MatrixVariant[] } | { problems: string[] } {
  const { matrix: fileMatrix, ...base } = raw;
  const matrix: Record<string, unknown> = { ...(isRecord(fileMatrix) ? fileMatrix : {}), ...o.extra };
  const baseName = o.baseName ?? (typeof raw['name'] === 'string' ? raw['name'] : 'scenario');
  const groupNames = new Set(groupsOf(raw).map((g) => String(g['name'])));
  const problems: string[] = [];
  const axes: Array<[string, MatrixValue[]]> = [];
  for (const [key, values] of Object.entries(matrix)) {
    if (key === 'exclude') continue;
    const where = `matrix.${key}`;
    const problem = keyProblem(key, groupNames);
    if (problem) problems.push(`${where}: ${problem}`);
    if (!Array.isArray(values) || values.length === 0) {
      problems.push(`${where}: must be a list of values`);
      continue;
    }
    if (values.length > LIMITS.matrixValues)
      problems.push(`${where}: must have at most ${LIMITS.matrixValues} values, got ${values.length}`);
    values.forEach((v, i) => isScalar(v) || problems.push(`${where}[${i}]: must be a string, number or boolean`));
    if (new Set(values.map(String)).size !== values.length) problems.push(`${where}: lists a value twice`);
    axes.push([key, values.filter(isScalar)]);
  }
  const excludes = Array.isArray(matrix['exclude'])
    ? matrix['exclude']
    : matrix['exclude'] === undefined
      ? []
      : (problems.push('matrix.exclude: must be a list of combinations'), []);
  if (excludes.length > LIMITS.matrixValues)
    problems.push(`matrix.exclude: must have at most ${LIMITS.matrixValues} entries, got ${excludes.length}`);
  const rules: Coordinates[] = [];
  excludes.forEach((e, i) => {
    if (!isRecord(e)) return void problems.push(`matrix.exclude[${i}]: must be a mapping such as { transport: inproc, curve: true }`);
    for (const [k, v] of Object.entries(e)) {
      const axis = axes.find(([key]) => key === k);
      // a value --matrix left out is fine (it excludes nothing); one the file never had is a typo
      const fileValues = isRecord(fileMatrix) && Array.isArray(fileMatrix[k]) ? (fileMatrix[k] as unknown[]) : [];
      if (!axis) problems.push(`matrix.exclude[${i}].${k}: not a key of the matrix`);
      else if (!isScalar(v) || !(axis[1].includes(v) || fileValues.includes(v)))
        problems.push(`matrix.exclude[${i}].${k}: must be one of the values of matrix.${k}, got ${JSON.stringify(v)}`);
    }
    rules.push(e as Coordinates);
  });
  if (problems.length > 0) return { problems };
  const tooMany = countProblem(axes, rules);
  if (tooMany) return { problems: [tooMany] };

  let combinations: Coordinates[] = [{}];
  for (const [key, values] of axes) combinations = combinations.flatMap((c) => values.map((v) => ({ ...c, [key]: v })));
  combinations = combinations.filter((c) => !rules.some((r) => matches(c, r)));
  if (combinations.length === 0) return { problems: ['matrix: every combination is excluded'] };

  return {
    variants: combinations.map((coordinates) => {
      const variant = structuredClone(base);
      for (const [k, v] of Object.entries(coordinates)) setValue(variant, k, v);
      const parts = Object.entries(coordinates)
        .map(([k, v]) => namePart(k, v))
        .filter((p) => p !== '');
      return { name: [baseName, ...parts].join('-'), coordinates, raw: variant };
    }),
  };
}

/** Beyond this many combinations before excludes, the survivors are not even counted one by one. */
const COUNTABLE = 100_000;

/**
 * The limit on combinations, judged before any is built: 20 values under each of 5 keys make
 * 3.2 million, which would take gigabytes to build. The product comes first (exact, as a
 * BigInt: any number of keys); only when excludes could bring it under the limit are the
 * survivors counted, walking indices without building objects, up to COUNTABLE.
 */
function countProblem(axes: ReadonlyArray<[string, MatrixValue[]]>, rules: readonly Coordinates[]): string | undefined {
  const limit = LIMITS.matrixVariants;
  const sizes = axes.map(([, values]) => values.length);
  const product = sizes.reduce((a, n) => a * BigInt(n), 1n);
  if (product <= BigInt(limit)) return undefined;
  const factors = sizes.length <= 12 ? ` (${sizes.join(' × ')})` : ` (${sizes.length} keys)`;
  if (rules.length === 0 || product > BigInt(COUNTABLE)) {
    const before = rules.length === 0 ? '' : ' before excludes';
    return `matrix: must make at most ${limit} combinations, got ${product}${before}${factors}`;
  }
  let kept = 0;
  const index = sizes.map(() => 0);
  const c: Coordinates = {};
  for (let n = 0; n < Number(product); n++) {
    axes.forEach(([key, values], k) => (c[key] = values[index[k]!]!));
    if (!rules.some((r) => matches(c, r))) kept++;
    // the next index tuple, the last key fastest (as the combinations are built)
    for (let k = sizes.length - 1; k >= 0 && ++index[k]! === sizes[k]; k--) index[k] = 0;
  }
  return kept > limit
    ? `matrix: must make at most ${limit} combinations, got ${kept} (${product} less ${Number(product) - kept} excluded)`
    : undefined;
}

/** Whether a file (or --matrix) asks for a matrix at all. */
export function hasMatrix(raw: unknown, extra: Readonly<Record<string, unknown>> = {}): boolean {
  return Object.keys(extra).length > 0 || (isRecord(raw) && raw['matrix'] !== undefined);
}

/** `--matrix key=v1,v2`: values as YAML would read them (numbers, true/false, else strings). */
export function parseMatrixArgument(text: string): { key: string; values: MatrixValue[] } | string {
  const eq = text.indexOf('=');
  if (eq <= 0 || eq === text.length - 1) return `expected key=value1,value2, such as transport=inproc,tcp, got ${JSON.stringify(text)}`;
  const values = text
    .slice(eq + 1)
    .split(',')
    .map((v) => v.trim());
  if (values.some((v) => v === '')) return `an empty value in ${JSON.stringify(text)}`;
  return {
    key: text.slice(0, eq).trim(),
    values: values.map((v) => (v === 'true' ? true : v === 'false' ? false : /^-?[0-9]+(\.[0-9]+)?$/.test(v) ? Number(v) : v)),
  };
}
