import { dirname, resolve } from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { invalidInput, isBenchError } from '../core/errors.js';
import { parseDurationMs } from '../core/units.js';
import { loadRaw, scenarioFromRaw } from './load.js';
import type { PayloadFileOptions } from './payload-files.js';
import { applyOverrides } from './overrides.js';
import { expandMatrix, hasMatrix, type Coordinates, type MatrixValue } from './matrix.js';
import { ENGINES, MatrixSchema, PLACEMENTS, RatePerSec, ThresholdListSchema, TRANSPORTS, type Scenario } from './schema.js';
import { schemaProblems } from './validate.js';

/**
 * Suite files: a list of scenario files, each with overrides, run in order into one results
 * folder. `zmq-bench run` takes suites and scenarios alike; a file with a `suite:` key is a
 * suite. A plain scenario file is one entry with no overrides.
 */

const NAME_PATTERN = '^[A-Za-z][A-Za-z0-9_-]*$';
const DURATION = { pattern: '^[0-9]+(\\.[0-9]+)?(us|ms|s|m|h)$', description: 'e.g. 500ms, 2s, 1m' };

export const SuiteSchema = Type.Object(
  {
    suite: Type.String({ pattern: NAME_PATTERN, maxLength: 64, description: 'the suite name: letters, digits, _ and -' }),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
    scenarios: Type.Array(
      Type.Object(
        {
          file: Type.String({ minLength: 1, description: 'scenario file, relative to the suite file' }),
          name: Type.Optional(
            Type.String({
              pattern: NAME_PATTERN,
              maxLength: 64,
              description: 'the name of this entry in results; default <scenario>-<transport>',
            }),
          ),
          transport: Type.Optional(Type.Union(TRANSPORTS.map((t) => Type.Literal(t)))),
          duration: Type.Optional(Type.String(DURATION)),
          warmup: Type.Optional(Type.String(DURATION)),
          placement: Type.Optional(Type.Union(PLACEMENTS.map((p) => Type.Literal(p)))),
          engine: Type.Optional(Type.Union(ENGINES.map((e) => Type.Literal(e)))),
          rate: Type.Optional(
            Type.Union([Type.Literal('max'), RatePerSec('messages per second per socket')], {
              description: 'the rate of every sending group',
            }),
          ),
          thresholds: Type.Optional(
            Type.Record(Type.String(), ThresholdListSchema, {
              description: "added to the scenario's own (replacing those with the same key)",
            }),
          ),
          matrix: Type.Optional(MatrixSchema),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 100 },
    ),
  },
  { additionalProperties: false, title: 'zmq-bench suite' },
);
export type SuiteFile = Static<typeof SuiteSchema>;

/** One scenario to run, with its overrides applied. */
export interface SuiteEntry {
  /** the entry's `name` when the suite gives one, or the matrix variant's; null: made up from the scenario */
  name: string | null;
  /** this variant's matrix values (empty without a matrix) */
  coordinates: Coordinates;
  scenario: Scenario;
  /** the scenario file */
  file: string;
}

export interface LoadedFile {
  /** the suite name (or the scenario's, when it has a matrix); null for a plain scenario file */
  suite: string | null;
  /** the suite's or the scenario's description */
  description: string;
  entries: SuiteEntry[];
}

const isRecord = (raw: unknown): raw is Record<string, unknown> => typeof raw === 'object' && raw !== null && !Array.isArray(raw);
export const isSuite = (raw: unknown): boolean => isRecord(raw) && 'suite' in raw;

export interface LoadOptions extends PayloadFileOptions {
  /** extra matrix keys (--matrix), applied to every scenario of the file */
  matrix?: Readonly<Record<string, readonly MatrixValue[]>>;
}

/**
 * A scenario, with its matrix expanded, validated variant by variant. A problem every variant
 * has is reported once; one only some have names them.
 */
export function scenarioVariants(
  raw: unknown,
  source: string,
  o: { extra?: LoadOptions['matrix']; baseName?: string; files: PayloadFileOptions },
): Array<{ name: string | null; coordinates: Coordinates; scenario: Scenario }> {
  if (!isRecord(raw) || !hasMatrix(raw, o.extra ?? {}))
    return [{ name: o.baseName ?? null, coordinates: {}, scenario: scenarioFromRaw(raw, source, o.files) }];
  const expanded = expandMatrix(raw, o);
  if ('problems' in expanded) throw invalidInput(expanded.problems.map((p) => `${source}: ${p}`));
  const found = new Map<string, string[]>();
  const out: Array<{ name: string | null; coordinates: Coordinates; scenario: Scenario }> = [];
  for (const v of expanded.variants) {
    try {
      out.push({ name: v.name, coordinates: v.coordinates, scenario: scenarioFromRaw(v.raw, source, o.files) });
    } catch (e) {
      if (!isBenchError(e)) throw e;
      for (const p of e.problems) found.set(p, [...(found.get(p) ?? []), v.name]);
    }
  }
  if (found.size > 0) {
    const all = expanded.variants.length;
    throw invalidInput([...found].map(([p, names]) => (names.length === all ? p : `${p} (in ${names.join(', ')})`)));
  }
  return out;
}

/** A scenario or suite file → the scenarios to run. Every problem of every entry at once (104). */
export async function loadRunnable(path: string, o: LoadOptions = {}): Promise<LoadedFile> {
  const raw = await loadRaw(path);
  const files: PayloadFileOptions = { allowOutsidePayload: o.allowOutsidePayload };
  if (!isSuite(raw)) {
    const variants = scenarioVariants(raw, path, { extra: o.matrix, files });
    const matrix = variants.length > 1 || variants[0]!.name !== null;
    return {
      suite: matrix && isRecord(raw) && typeof raw['name'] === 'string' ? raw['name'] : null,
      description: variants[0]!.scenario.description,
      entries: variants.map((v) => ({ ...v, file: path })),
    };
  }

  const structural = schemaProblems(SuiteSchema, raw).map((p) => `${path}: ${p}`);
  if (structural.length > 0 || !Value.Check(SuiteSchema, raw)) throw invalidInput([...new Set(structural)]);
  const problems: string[] = [];
  const entries: SuiteEntry[] = [];
  const names = new Set<string>();
  for (const [i, e] of raw.scenarios.entries()) {
    const at = `${path}: scenarios[${i}]`;
    if (e.name !== undefined) {
      if (names.has(e.name)) problems.push(`${at}.name: ${JSON.stringify(e.name)} is already the name of another entry`);
      names.add(e.name);
    }
    const file = resolve(dirname(path), e.file);
    try {
      const raw = await loadRaw(file);
      // A suite lists scenarios only: one listing itself, or two each other, would never end.
      if (isSuite(raw)) {
        problems.push(`${at}.file: ${e.file} is a suite; a suite cannot list a suite`);
        continue;
      }
      // The entry's thresholds and matrix are validated with the scenario, against its groups.
      const merged = isRecord(raw)
        ? {
            ...raw,
            ...(e.thresholds ? { thresholds: { ...(isRecord(raw['thresholds']) ? raw['thresholds'] : {}), ...e.thresholds } } : {}),
            ...(e.matrix ? { matrix: { ...(isRecord(raw['matrix']) ? raw['matrix'] : {}), ...e.matrix } } : {}),
          }
        : raw;
      for (const v of scenarioVariants(merged, file, { extra: o.matrix, files, ...(e.name ? { baseName: e.name } : {}) })) {
        const scenario = applyOverrides(v.scenario, {
          transport: e.transport,
          durationMs: e.duration === undefined ? undefined : parseDurationMs(e.duration),
          warmupMs: e.warmup === undefined ? undefined : parseDurationMs(e.warmup),
          placement: e.placement,
          engine: e.engine,
          ratePerSec: e.rate === undefined ? undefined : e.rate === 'max' ? null : e.rate,
        });
        entries.push({ name: v.name, coordinates: v.coordinates, scenario, file });
      }
    } catch (err) {
      if (!isBenchError(err)) throw err;
      // which entry, then the scenario file's own path and problem (or the override's)
      problems.push(...err.problems.map((p) => `${at}: ${p}`));
    }
  }
  if (problems.length > 0) throw invalidInput(problems);
  return { suite: raw.suite, description: raw.description ?? '', entries };
}
