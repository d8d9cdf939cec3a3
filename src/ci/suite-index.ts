import { stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { invalidInput, messageOf } from '../core/errors.js';
import { readResultText } from '../core/read-file.js';
import type { Environment, RunResult } from '../core/types.js';
import { readResults } from '../results/read.js';
import { writeFileAtomically } from '../results/write.js';
import { enginesOf } from '../results/engines.js';
import { endpointTransportsText, scenarioName, transportOf } from '../results/facts.js';
import { figureStats } from './figures.js';
import type { SuiteOutcome, VariantOutcome } from './types.js';

/**
 * index.json: what a suite (or a repeated run) produced, in its results folder: every variant
 * with its figures over the repeats, thresholds, exit code and the paths of its result.json
 * files. `compare` and `--baseline` read it back; without one, they read result.json files.
 */

export const INDEX_FILE = 'index.json';

export interface IndexVariant extends Omit<VariantOutcome, 'runs'> {
  /** result.json paths, relative to the index */
  runs: string[];
}

export interface SuiteIndex extends Omit<SuiteOutcome, 'variants'> {
  kind: 'zmq-bench suite index';
  variants: IndexVariant[];
}

export async function writeIndex(root: string, o: SuiteOutcome, runPaths: ReadonlyMap<RunResult, string>): Promise<string> {
  const index: SuiteIndex = {
    kind: 'zmq-bench suite index',
    ...o,
    variants: o.variants.map((v) => ({ ...v, runs: v.runs.map((r) => relative(root, runPaths.get(r) ?? '')) })),
  };
  const path = join(root, INDEX_FILE);
  await writeFileAtomically(path, `${JSON.stringify(index, null, 2)}\n`);
  return path;
}

/** What a comparison needs of one side: each variant's figures, and the machine. */
export interface ComparableSide {
  variants: Array<Pick<VariantOutcome, 'name' | 'figures' | 'engines'> & Partial<Pick<VariantOutcome, 'transport' | 'transports'>>>;
  environment: Environment;
}

/** The name a result is compared under: its variant, else its scenario's name. */
export const variantNameOf = (r: RunResult): string => r.variant ?? scenarioName(r);

/** Results grouped by variant name, in the order first seen. */
export function sideFromResults(results: readonly RunResult[]): ComparableSide {
  const byName = new Map<string, RunResult[]>();
  for (const r of results) byName.set(variantNameOf(r), [...(byName.get(variantNameOf(r)) ?? []), r]);
  const variants = [...byName].map(([name, runs]) => {
    const engines = enginesOf(runs[0]!.groups);
    const transports = endpointTransportsText(runs[0]!);
    return {
      name,
      figures: figureStats(runs),
      transport: transportOf(runs[0]!),
      ...(transports === undefined ? {} : { transports }),
      ...(engines === undefined ? {} : { engines }),
    };
  });
  return { variants, environment: results[0]!.environment };
}

/** A suite folder (its index.json), an index.json, result.json files or folders of them. */
export async function loadSide(path: string): Promise<ComparableSide> {
  const folder = await stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
  const indexPath = folder ? join(path, INDEX_FILE) : path.endsWith(INDEX_FILE) ? path : undefined;
  if (
    indexPath &&
    (await stat(indexPath).then(
      () => true,
      () => false,
    ))
  ) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readResultText(indexPath));
    } catch (e) {
      throw invalidInput([`${indexPath}: cannot read a suite index: ${messageOf(e)}`]);
    }
    const index = parsed as Partial<SuiteIndex>;
    if (index.kind !== 'zmq-bench suite index' || !Array.isArray(index.variants) || !index.environment) {
      throw invalidInput([`${indexPath}: expected a zmq-bench suite index (kind, variants, environment)`]);
    }
    return {
      variants: index.variants.map((v) => ({
        name: v.name,
        figures: v.figures,
        ...(typeof v.engines === 'string' ? { engines: v.engines } : {}),
        ...(typeof v.transport === 'string' ? { transport: v.transport } : {}),
        ...(typeof v.transports === 'string' ? { transports: v.transports } : {}),
      })),
      environment: index.environment,
    };
  }
  const inputs = await readResults([path]);
  return sideFromResults(inputs.map((i) => i.result));
}
