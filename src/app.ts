import { readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { invalidInput, isBenchError, messageOf } from './core/errors.js';
import { ExitCode, type ExitCodeValue } from './core/exit-codes.js';
import type { RunResult } from './core/types.js';
import { REPORT_FILE, writeReport } from './report/html/report-files.js';
import { readResults } from './results/read.js';
import { alignColumns } from './report/console-summary.js';
import { checkOutputPaths } from './results/output-paths.js';
import { defaultOutDir } from './results/write.js';
import { scenarioJsonSchema } from './scenario/json-schema.js';
import type { Scenario } from './scenario/schema.js';
import { loadRunnable, type LoadedFile } from './scenario/suite.js';
import type { Progress } from './runtime/sampler.js';
import type { AgentOptions } from './runtime/remote/open-agents.js';
import type { LiveFigures } from './collect/live-figures.js';
import type { RunEventListener } from './runtime/run-events.js';

/**
 * What the CLI's commands do, as plain functions: cli.ts only parses arguments and wires
 * process signals and streams to these. Everything that touches the outside world comes in
 * through parameters (output, loader, runner, clock), so tests can drive it without sockets.
 */

export const PREFIX = 'zmq-bench: ';

/** Where text goes. Each call prints whole lines; the newline is added by the implementation. */
export interface Output {
  out(text: string): void;
  err(text: string): void;
  /** a live progress line, rewritten in place; null clears it (only given on a terminal) */
  progress?(line: string | null): void;
}

export type RunScenarioFn = (
  s: Scenario,
  opts: {
    signal?: AbortSignal;
    log?: (line: string) => void;
    onProgress?: (p: Progress) => void;
    judgeLive?: (f: LiveFigures) => string | null;
    agents?: AgentOptions;
    onEvent?: RunEventListener;
  },
) => Promise<RunResult>;

/** A thrown value as lines for stderr and the exit code it stands for. Never a stack unless asked. */
export function describeError(e: unknown, debug = false): { lines: string[]; exitCode: ExitCodeValue } {
  if (isBenchError(e)) {
    const problems = e.problems.length > 0 ? e.problems : [e.message];
    return { lines: problems.map((p) => PREFIX + p), exitCode: e.exitCode };
  }
  const lines = [PREFIX + messageOf(e)];
  if (debug && e instanceof Error && e.stack) lines.push(e.stack);
  return { lines, exitCode: ExitCode.invalidMeasurement };
}

/**
 * Loads every file before anything runs, so the problems of all files are reported together.
 * A loader that throws something other than a BenchError (it should not) still counts as bad
 * input, named by file.
 */
export async function loadAll<T>(files: readonly string[], load: (path: string) => Promise<T>): Promise<T[]> {
  const settled = await Promise.allSettled(files.map((f) => load(f)));
  const problems: string[] = [];
  const scenarios: T[] = [];
  settled.forEach((s, i) => {
    if (s.status === 'fulfilled') scenarios.push(s.value);
    else problems.push(...problemsOf(files[i]!, s.reason));
  });
  if (problems.length > 0) throw invalidInput(problems);
  return scenarios;
}

function problemsOf(file: string, e: unknown): string[] {
  if (isBenchError(e) && e.problems.length > 0) return [...e.problems];
  return [`${file}: ${messageOf(e)}`];
}

/** `zmq-bench validate` (scenario and suite files): `ok <file>` per valid file; the problems of all others together (exit 104). */
export async function validateFiles(
  files: readonly string[],
  io: Output,
  load: (path: string) => Promise<unknown> = loadRunnable,
): Promise<ExitCodeValue> {
  const settled = await Promise.allSettled(files.map((f) => load(f)));
  const problems: string[] = [];
  settled.forEach((s, i) => {
    if (s.status === 'fulfilled') io.out(`ok ${files[i]}`);
    else problems.push(...problemsOf(files[i]!, s.reason));
  });
  if (problems.length > 0) throw invalidInput(problems);
  return ExitCode.ok;
}

/** The first sentence, which may run over several lines of a YAML block. */
const firstSentence = (text: string) => {
  const flat = text.trim().replace(/\s+/g, ' ');
  const end = flat.search(/[.](\s|$)/);
  return end < 0 ? flat : flat.slice(0, end + 1);
};

/** `zmq-bench list`: one aligned line per shipped scenario or suite: file, name, first sentence of its description. */
export async function listScenarios(
  dir: string,
  io: Output,
  load: (path: string) => Promise<LoadedFile> = loadRunnable,
): Promise<ExitCodeValue> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((f) => f.endsWith('.yaml')).sort();
  } catch (e) {
    throw new Error(`cannot read the shipped scenarios in ${dir}: ${messageOf(e)}`);
  }
  if (names.length === 0) {
    io.err(`${PREFIX}no scenarios in ${dir}`);
    return ExitCode.ok;
  }
  const settled = await Promise.allSettled(names.map((f) => load(join(dir, f))));
  const rows: string[][] = [];
  const problems: string[] = [];
  settled.forEach((s, i) => {
    if (s.status === 'fulfilled') {
      const l = s.value;
      const name = l.suite ?? l.entries[0]!.scenario.name;
      const runs = l.entries.length > 1 ? ` (${l.entries.length} runs)` : '';
      rows.push([names[i]!, name + runs, firstSentence(l.description)]);
    } else {
      rows.push([names[i]!, '(invalid)', '']);
      problems.push(...problemsOf(names[i]!, s.reason));
    }
  });
  for (const line of alignColumns(rows)) io.out(line);
  if (problems.length > 0) throw invalidInput(problems);
  return ExitCode.ok;
}

/** `zmq-bench schema`: the JSON Schema of scenario files, 2-space indented. */
export function schemaText(): string {
  return JSON.stringify(scenarioJsonSchema(), null, 2);
}

/**
 * Where `zmq-bench report` writes without -o: into the folder given, or beside the result.json
 * given; for several, reports/comparison-<timestamp>.html.
 */
export async function defaultReportPath(paths: readonly string[], now: Date, isFolder: (p: string) => Promise<boolean>): Promise<string> {
  const only = paths.length === 1 ? paths[0]! : undefined;
  if (only !== undefined) return join((await isFolder(only)) ? only : dirname(only), REPORT_FILE);
  return `${defaultOutDir('comparison', now)}.html`;
}

/** `zmq-bench report`: results from files and folders → one report.html (compared when several). */
export async function reportFiles(
  paths: readonly string[],
  opts: { out?: string },
  io: Output,
  deps: { now(): Date; isFolder(p: string): Promise<boolean> },
): Promise<ExitCodeValue> {
  const inputs = await readResults(paths);
  const out = opts.out ?? (await defaultReportPath(paths, deps.now(), deps.isFolder));
  await checkOutputPaths([{ flag: opts.out === undefined ? 'the report' : '--out', path: out, kind: 'file' }]);
  try {
    await writeReport(out, inputs, deps.now());
  } catch (e) {
    throw invalidInput([`cannot write the report to ${out}: ${messageOf(e)}`]);
  }
  io.out(`report of ${inputs.length} result${inputs.length > 1 ? 's' : ''} written to ${out}`);
  return ExitCode.ok;
}
