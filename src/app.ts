import { readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { invalidInput, isBenchError, messageOf } from './core/errors.js';
import { ExitCode, type ExitCodeValue } from './core/exit-codes.js';
import type { RunResult } from './core/types.js';
import { formatDurationMs } from './core/units.js';
import { alignColumns, formatSummary } from './report/console-summary.js';
import { REPORT_FILE, readResults, writeReport } from './report/html/report-files.js';
import { defaultOutDir, safeName, writeResult } from './report/result-writer.js';
import { scenarioJsonSchema } from './scenario/json-schema.js';
import { loadScenario } from './scenario/load.js';
import { applyOverrides } from './scenario/overrides.js';
import type { Placement, Scenario, TransportName } from './scenario/schema.js';
import { formatProgress } from './report/progress-line.js';
import type { Progress } from './runtime/sampler.js';

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
  opts: { signal?: AbortSignal; log?: (line: string) => void; onProgress?: (p: Progress) => void },
) => Promise<RunResult>;

export interface RunDeps {
  loadScenario(path: string): Promise<Scenario>;
  runScenario: RunScenarioFn;
  writeResult(dir: string, r: RunResult): Promise<string>;
  /** report.html beside result.json */
  writeReport(dir: string, r: RunResult, resultPath: string): Promise<string>;
  now(): Date;
}

/** Imported on first use, so validate, list, schema and --help never load zeromq or start workers. */
const runScenarioLazily: RunScenarioFn = async (s, opts) => {
  const { runScenario } = await import('./runtime/run.js');
  return runScenario(s, opts);
};

export const defaultRunDeps: RunDeps = {
  loadScenario,
  runScenario: runScenarioLazily,
  writeResult,
  writeReport: (dir, result, source) => writeReport(join(dir, REPORT_FILE), [{ result, source }]),
  now: () => new Date(),
};

export interface RunOptions {
  transport?: TransportName;
  /** the placement of every group (--placement) */
  placement?: Placement;
  durationMs?: number;
  /** result folder; with several files, one subfolder per scenario name inside it */
  out?: string;
  /** result.json on stdout, everything else on stderr */
  json?: boolean;
  /** no progress or log lines */
  quiet?: boolean;
  color?: boolean;
  /** stacks of unexpected errors (ZMQ_BENCH_DEBUG=1) */
  debug?: boolean;
  /** aborted on Ctrl-C: the current run stops early, later ones do not start */
  signal?: AbortSignal;
}

/** Most serious first: when several runs end differently, the process exits with the first of these that occurred. */
const SEVERITY: readonly ExitCodeValue[] = [
  ExitCode.interrupted,
  ExitCode.invalidInput,
  ExitCode.invalidMeasurement,
  ExitCode.thresholdFailed,
  ExitCode.regression,
  ExitCode.ok,
];

export function worstExitCode(codes: readonly ExitCodeValue[]): ExitCodeValue {
  for (const code of SEVERITY) if (codes.includes(code)) return code;
  return ExitCode.ok;
}

/** 0 when the run is complete and reported no problem; 97 (measurement not valid) otherwise. */
export function exitCodeForResult(r: RunResult): ExitCodeValue {
  return r.complete && r.problems.length === 0 ? ExitCode.ok : ExitCode.invalidMeasurement;
}

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
export async function loadAll(files: readonly string[], load: (path: string) => Promise<Scenario>): Promise<Scenario[]> {
  const settled = await Promise.allSettled(files.map((f) => load(f)));
  const problems: string[] = [];
  const scenarios: Scenario[] = [];
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

/**
 * The folder of one run's result.json: --out itself for one file, --out/<scenario> for several,
 * else reports/<scenario>-<timestamp>. A folder already used in this invocation gets -2, -3…,
 * so two files with the same scenario name never overwrite each other.
 */
export function resultDir(name: string, o: { out?: string; several: boolean; now: Date }, used: Set<string>): string {
  const base = o.out === undefined ? defaultOutDir(name, o.now) : o.several ? join(o.out, safeName(name)) : o.out;
  let dir = base;
  for (let n = 2; used.has(dir); n++) dir = `${base}-${n}`;
  used.add(dir);
  return dir;
}

/** `zmq-bench run`: load and override every file → for each: run → write → summarize. Returns the exit code. */
export async function runFiles(
  files: readonly string[],
  opts: RunOptions,
  io: Output,
  deps: RunDeps = defaultRunDeps,
): Promise<ExitCodeValue> {
  // Overrides too are applied before anything runs: a bad one is bad input, found up front.
  const scenarios = (await loadAll(files, deps.loadScenario)).map((s) =>
    applyOverrides(s, { transport: opts.transport, durationMs: opts.durationMs, placement: opts.placement }),
  );
  // With --json, stdout carries result.json only; the human-readable text moves to stderr.
  const show = opts.json ? io.err : io.out;
  const log = opts.quiet ? undefined : (line: string) => io.err(line);
  const codes: ExitCodeValue[] = [];
  const results: RunResult[] = [];
  const used = new Set<string>();

  for (const [i, s] of scenarios.entries()) {
    if (opts.signal?.aborted) {
      io.err(`${PREFIX}interrupted: ${scenarios.length - i} scenario(s) not run`);
      break;
    }
    const warmup = s.warmupMs > 0 ? ` after ${formatDurationMs(s.warmupMs)} warm-up` : '';
    log?.(`running ${s.name} from ${files[i]} (${s.transport}, ${formatDurationMs(s.durationMs)}${warmup})`);

    let result: RunResult;
    try {
      const progress = opts.quiet || opts.json ? undefined : io.progress;
      const onProgress = progress && ((p: Progress) => progress(formatProgress(p, s.durationMs)));
      try {
        result = await deps.runScenario(s, { signal: opts.signal, log, onProgress });
      } finally {
        progress?.(null);
      }
    } catch (e) {
      // One scenario failing to start must not hide the results of the others.
      const { lines, exitCode } = describeError(e, opts.debug);
      for (const line of lines) io.err(line);
      codes.push(exitCode);
      continue;
    }
    results.push(result);
    codes.push(exitCodeForResult(result));

    const dir = resultDir(s.name, { out: opts.out, several: files.length > 1, now: deps.now() }, used);
    let written: string | undefined;
    try {
      written = await deps.writeResult(dir, result);
    } catch (e) {
      // The measurement is still shown below; the folder (--out or reports/) is what to fix.
      io.err(`${PREFIX}cannot write the result of ${s.name} to ${dir}: ${messageOf(e)}`);
      codes.push(ExitCode.invalidInput);
    }
    let report: string | undefined;
    if (written) {
      try {
        report = await deps.writeReport(dir, result, written);
      } catch (e) {
        // The figures are safe in result.json; `zmq-bench report` can make the page again later.
        io.err(`${PREFIX}cannot write the HTML report of ${s.name} to ${dir}: ${messageOf(e)}`);
      }
    }
    show(formatSummary(result, { color: opts.color }));
    if (written) show(`result written to ${written}${report ? `, report to ${report}` : ''}`);
  }

  if (opts.json && results.length > 0) {
    io.out(JSON.stringify(files.length === 1 ? results[0] : results, null, 2));
  }
  if (opts.signal?.aborted) codes.push(ExitCode.interrupted);
  return worstExitCode(codes);
}

/** `zmq-bench validate`: `ok <file>` per valid file; the problems of all others together (exit 104). */
export async function validateFiles(
  files: readonly string[],
  io: Output,
  load: (path: string) => Promise<Scenario> = loadScenario,
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

/** `zmq-bench list`: one aligned line per shipped scenario: file, name, first sentence of its description. */
export async function listScenarios(
  dir: string,
  io: Output,
  load: (path: string) => Promise<Scenario> = loadScenario,
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
    if (s.status === 'fulfilled') rows.push([names[i]!, s.value.name, firstSentence(s.value.description)]);
    else {
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
  try {
    await writeReport(out, inputs, deps.now());
  } catch (e) {
    throw invalidInput([`cannot write the report to ${out}: ${messageOf(e)}`]);
  }
  io.out(`report of ${inputs.length} result${inputs.length > 1 ? 's' : ''} written to ${out}`);
  return ExitCode.ok;
}
