import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { invalidInput, messageOf } from '../../core/errors.js';
import { readProblem, readResultText } from '../../core/read-file.js';
import type { RunResult } from '../../core/types.js';
import { RESULT_FILE, writeFileAtomically } from '../result-writer.js';
import { TOOL_VERSION } from '../../core/tool-version.js';
import { buildReportHtml, type ReportInput } from './report-document.js';

/** Where report.html comes from and goes to: the result files read, the bundle, the page written. */

export const REPORT_FILE = 'report.html';

let bundle: string | undefined;

/** dist/browser/report.js (Chart.js and our chart code), built by `npm run build`. */
export async function chartBundle(): Promise<string> {
  // dist/src/report/html/report-files.js → dist/browser/report.js
  const url = new URL('../../../browser/report.js', import.meta.url);
  try {
    bundle ??= await readFile(url, 'utf8');
  } catch (e) {
    throw new Error(`the report's chart code is missing (${messageOf(e)}): run npm run build`);
  }
  return bundle;
}

/** The page for these results, written to `path` (whole or not at all). */
export async function writeReport(path: string, inputs: readonly ReportInput[], now = new Date()): Promise<string> {
  const page = buildReportHtml(inputs, { bundle: await chartBundle(), generatedAt: now, toolVersion: TOOL_VERSION });
  await writeFileAtomically(path, page);
  return path;
}

/** What a parsed file must have to be read as a result (a report of anything else would mislead). */
const REQUIRED_FIELDS = ['schemaVersion', 'totals', 'groups', 'timing', 'environment', 'endpoints'] as const;

function asResult(value: unknown, path: string, problems: string[]): RunResult | undefined {
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
export async function readResults(paths: readonly string[]): Promise<ReportInput[]> {
  const problems: string[] = [];
  const inputs: ReportInput[] = [];
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
