import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { invalidInput, messageOf } from '../core/errors.js';
import { readProblem, readResultText } from '../core/read-file.js';
import type { RunResult } from '../core/types.js';
import { RESULT_FILE } from './write.js';

/** A result read back, with where it came from. */
export interface ResultInput {
  result: RunResult;
  /** where it was read from (result.json path), to tell variants of one scenario apart */
  source?: string;
  /** its name in a report (a suite's variant name); else one is made up from the scenario */
  label?: string;
}

const REQUIRED_FIELDS = ['schemaVersion', 'totals', 'groups', 'timing', 'environment', 'endpoints'] as const;

/** `value` as a result (problems pushed, with `path`, when it is none): what readResults and the library's compare accept. */
export function asResult(value: unknown, path: string, problems: string[]): RunResult | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problems.push(`${path}: expected a zmq-bench result.json (an object), got ${Array.isArray(value) ? 'an array' : typeof value}`);
    return undefined;
  }
  const missing = REQUIRED_FIELDS.filter((f) => !(f in value));
  if (missing.length > 0) {
    problems.push(`${path}: expected a zmq-bench result.json, but ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} missing`);
    return undefined;
  }
  return value as RunResult;
}

/** Every result.json under a folder, depth first, in name order (so variants keep a stable order). */
async function resultsUnder(dir: string): Promise<string[]> {
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
  const found: string[] = [];
  for (const e of entries) {
    if (e.isFile() && e.name === RESULT_FILE) found.push(join(dir, e.name));
  }
  for (const e of entries) {
    if (e.isDirectory() && e.name !== 'node_modules' && !e.name.startsWith('.')) found.push(...(await resultsUnder(join(dir, e.name))));
  }
  return found;
}

/**
 * Results from files and folders, in the order given. Every problem (a path that does not
 * exist, a file that is not JSON or not a result, a folder without results) is collected and
 * thrown together as invalid input.
 */
export async function readResults(paths: readonly string[]): Promise<ResultInput[]> {
  const problems: string[] = [];
  const inputs: ResultInput[] = [];
  for (const path of paths) {
    let files: string[];
    try {
      files = (await stat(path)).isDirectory() ? await resultsUnder(path) : [path];
    } catch (e) {
      problems.push(`${path}: ${readProblem(e)}`);
      continue;
    }
    if (files.length === 0) problems.push(`${path}: no ${RESULT_FILE} in this folder or below`);
    for (const file of files) {
      try {
        const result = asResult(JSON.parse(await readResultText(file)) as unknown, file, problems);
        // a suite's runs are named by their variant; repeats share it, and then labels are made up
        if (result) inputs.push({ result, source: file, ...(typeof result.variant === 'string' ? { label: result.variant } : {}) });
      } catch (e) {
        problems.push(`${file}: cannot read a result: ${messageOf(e)}`);
      }
    }
  }
  if (problems.length > 0) throw invalidInput(problems);
  return inputs;
}
