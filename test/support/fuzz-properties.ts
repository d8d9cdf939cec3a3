import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import fc from 'fast-check';
import YAML from 'yaml';
import { loadRunnable } from '../../src/scenario/suite.js';
import { refusalProblems, runnableProblems } from './fuzz-checks.js';
import { casePath, fileBytes, mutate, mutatedShipped, readShipped, serialize, shownPath } from './fuzz-inputs.js';

/**
 * The in-process fuzz properties: a file goes through the real loading path (loadRunnable:
 * read, parse, matrix, suite entries, validation, payload files) and must be accepted as
 * runnable or refused with 104 and paths, within CASE_MS. Run inside a worker by
 * fuzz-sandbox.ts, which bounds heap and time from outside.
 */

/** A file that takes longer than this to load counts as a hang (generous: the machine may be busy). */
export const CASE_MS = 2000;

/** Called before each case with a short description, so the sandbox can name the one that hangs. */
export type OnCase = (preview: string) => void;

const preview = (text: string) => (text.length > 600 ? `${text.slice(0, 600)}… (${text.length} characters)` : text);

/** Load `path` and say what is wrong with the outcome (nothing: accepted and runnable, or a proper 104). */
async function outcomeProblems(
  path: string,
  extra: (accepted: boolean, problems: readonly string[]) => string[] = () => [],
): Promise<string[]> {
  const t0 = performance.now();
  let found: string[];
  try {
    found = [...runnableProblems(await loadRunnable(path)), ...extra(true, [])];
  } catch (e) {
    found = [...refusalProblems(e, path), ...extra(false, e instanceof Error && 'problems' in e ? (e.problems as string[]) : [])];
  }
  const ms = performance.now() - t0;
  if (ms > CASE_MS) found.push(`took ${Math.round(ms)} ms to load, more than ${CASE_MS}`);
  return found;
}

/** fast-check's settings from the sandbox: seed, number of cases, replay path. */
export interface RunParams {
  seed: number;
  numRuns: number;
  path?: string;
}

/** Runs a property: null when it held, else fast-check's report (seed, path, shrunk counterexample, error). */
async function report<Ts extends unknown[]>(property: fc.IAsyncProperty<Ts>, params: RunParams): Promise<string | null> {
  const details = await fc.check(property, params);
  if (!details.failed) return null;
  const e = details.errorInstance;
  return `${fc.defaultReportMessage(details) ?? 'failed'}\nWhat was wrong:\n${e instanceof Error ? e.message : String(e)}`;
}

function fail(problems: readonly string[]): void {
  if (problems.length > 0) throw new Error(problems.join('\n'));
}

export const PROPERTIES = {
  /** Every shipped scenario and suite, mutated (keys deleted, values of other types, deep nesting, matrices, paths…). */
  'mutated-files': (root: string, onCase: OnCase, params: RunParams) =>
    report(
      fc.asyncProperty(mutatedShipped, async (c) => {
        const text = serialize(mutate(YAML.parse(readShipped(c.file)), c.mutations), c.format, c.duplicateKey);
        const path = casePath(root, c.file, c.format);
        onCase(`${shownPath(root, path)}:\n${preview(text)}`);
        // only this case's file may exist: a suite listing fuzz-case.yaml must not find an older case
        rmSync(casePath(root, c.file, c.format === 'yaml' ? 'json' : 'yaml'), { force: true });
        writeFileSync(path, text);
        fail(await outcomeProblems(path));
      }),
      params,
    ),

  /** Any bytes as a scenario file: binary junk, unicode, YAML-ish token soup, UTF-16 and Latin-1 text. */
  'any-bytes': (root: string, onCase: OnCase, params: RunParams) =>
    report(
      fc.asyncProperty(fileBytes, fc.constantFrom('yaml', 'json'), async (bytes, format) => {
        const path = join(root, `fuzz-bytes.${format}`);
        onCase(`${shownPath(root, path)}: bytes ${Buffer.from(bytes).toString('hex').slice(0, 600)}`);
        writeFileSync(path, bytes);
        let utf8 = true;
        try {
          new TextDecoder('utf-8', { fatal: true }).decode(bytes);
        } catch {
          utf8 = false;
        }
        fail(
          await outcomeProblems(path, (accepted, problems) =>
            // issue 17 item 14: UTF-16 or Latin-1 text is "not UTF-8 text", not mojibake
            !utf8 && (accepted || !problems.some((p) => /UTF-8/.test(p)))
              ? [`bytes that are not UTF-8 ${accepted ? 'were accepted' : 'were refused without saying "not UTF-8"'}: ${problems[0] ?? ''}`]
              : [],
          ),
        );
      }),
      params,
    ),
} satisfies Record<string, (root: string, onCase: OnCase, params: RunParams) => Promise<string | null>>;

export type PropertyName = keyof typeof PROPERTIES;
