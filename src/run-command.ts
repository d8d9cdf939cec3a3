import { join } from 'node:path';
import { PREFIX, describeError, loadAll, type Output, type RunScenarioFn } from './app.js';
import { compareSides, type CompareOptions } from './ci/compare-sides.js';
import { judgeRun, suiteOutcome, variantOutcome, worstExitCode } from './ci/outcome.js';
import { abortJudge } from './ci/abort-judge.js';
import { loadSide, writeIndex, type ComparableSide } from './ci/suite-index.js';
import type { Comparison, VariantOutcome } from './ci/types.js';
import { invalidInput, messageOf } from './core/errors.js';
import { ExitCode, type ExitCodeValue } from './core/exit-codes.js';
import type { RunResult } from './core/types.js';
import { formatDurationMs } from './core/units.js';
import { ciOutputPaths, writeCiOutputs, type CiOutputPaths } from './report/ci-files.js';
import { formatCiSummary } from './report/ci-summary.js';
import { formatSummary } from './report/console-summary.js';
import { formatLatencyUs, formatRate } from './core/format.js';
import { REPORT_FILE, writeReport } from './report/html/report-files.js';
import { checkOutputPaths } from './results/output-paths.js';
import { formatProgress } from './report/progress-line.js';
import { sizeSweeps, sweepTable, type SweepItem } from './report/size-sweep.js';
import { hasLatency, verdictOf } from './results/facts.js';
import { defaultOutDir, safeName, writeResult } from './results/write.js';
import { applyOverrides } from './scenario/overrides.js';
import { retargetExternal } from './scenario/validate-external.js';
import { engineProblems, engineUnavailable, learnDraftSupport } from './engine/availability.js';
import type { EngineName, Placement, Scenario, TransportName } from './scenario/schema.js';
import { loadRunnable, type LoadedFile, type LoadOptions } from './scenario/suite.js';
import { runTransport } from './scenario/transports.js';
import type { Coordinates, MatrixValue } from './scenario/matrix.js';
import type { Progress } from './runtime/sampler.js';
import type { AgentTarget } from './runtime/remote/agent-link.js';
import type { AgentOptions } from './runtime/remote/open-agents.js';
import { agentRunOptions } from './agent/agent-run-options.js';
import { LiveMetrics } from './live/live-metrics.js';
import { metricsProblems, type MetricsOptions } from './live/metrics-args.js';
import type { LiveAddress } from './live/live-address.js';
import { LivePage } from './live/live-page-session.js';
import { allListeners, type RunEventListener } from './runtime/run-events.js';
import { findMaxRateProblems, searchVariant } from './find-max-rate.js';
import { resultStepLine, searchAnswer } from './report/search-lines.js';

export { FIND_MAX_RATE_HELP } from './find-max-rate.js';

/**
 * `zmq-bench run`: scenario and suite files → variants → runs (repeated, interleaved) →
 * result.json and report.html per run → thresholds, baseline comparison, index.json, the
 * suite's report and CI outputs → one exit code.
 */

export interface RunDeps {
  loadRunnable(path: string, o: LoadOptions): Promise<LoadedFile>;
  runScenario: RunScenarioFn;
  writeResult(dir: string, r: RunResult): Promise<string>;
  now(): Date;
}

/** Imported on first use, so validate, list, schema and --help never load zeromq or start workers. */
const runScenarioLazily: RunScenarioFn = async (s, opts) => {
  const { runScenario } = await import('./runtime/run.js');
  return runScenario(s, opts);
};

// abortOnFail's judge moved to ci/ (the library's run() uses it too); still exported from here
export { abortJudge };

export const defaultRunDeps: RunDeps = { loadRunnable, runScenario: runScenarioLazily, writeResult, now: () => new Date() };

export interface RunOptions extends CompareOptions {
  /** --endpoint name=address: where external endpoints point for this run */
  endpoints?: Record<string, string>;
  /** --allow-remote: external endpoints may be on other hosts */
  allowRemote?: boolean;
  /** read payload files outside their scenario's folder too */
  allowOutsidePayload?: boolean;
  transport?: TransportName;
  /** the placement of every group (--placement) */
  placement?: Placement;
  /** the engine of every group (--engine) */
  engine?: EngineName;
  durationMs?: number;
  /** results folder; see resultDirs */
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
  /** runs of each variant, interleaved (A B A B, not A A B B) so drift on the machine hits all alike */
  repeat?: number;
  /** a suite folder, index.json or result.json files to compare with at the end (exit 98 on a regression) */
  baseline?: string;
  outputs?: CiOutputPaths;
  /** --matrix key=v1,v2: added to every scenario's matrix (replacing keys of the same name) */
  matrix?: Record<string, MatrixValue[]>;
  /** --agents label=tcp://host:port: hosts of the scenarios bound to agents (docs/distributed.md) */
  agents?: AgentTarget[];
  /** --keys <dir>: the coordinator's CURVE keys for its agents */
  keysDir?: string;
  /** --agent-timeout: how long each agent may take to answer at the start */
  agentTimeoutMs?: number;
  /** --metrics, --otlp, --metrics-linger: live metrics of every run (docs/metrics.md) */
  metrics?: MetricsOptions;
  /** --live: serve the live page here while the runs go (docs/reports.md "The live page") */
  live?: LiveAddress;
  /** --find-max-rate: search each scenario's highest sustained rate instead of running it once (find-max-rate.ts) */
  findMaxRate?: boolean;
}

interface Variant {
  name: string;
  coordinates: Coordinates;
  scenario: Scenario;
  file: string;
  runs: RunResult[];
}

/** Unique names: the suite entry's, else <scenario>-<transport> in suites and the scenario's own name otherwise. */
function variantsOf(loaded: readonly LoadedFile[], files: readonly string[], opts: RunOptions): Variant[] {
  const used = new Set<string>();
  return loaded.flatMap((l, i) =>
    l.entries.map((e) => {
      const scenario = applyOverrides(e.scenario, {
        transport: opts.transport,
        durationMs: opts.durationMs,
        placement: opts.placement,
        engine: opts.engine,
      });
      const base = e.name ?? (l.suite !== null ? `${scenario.name}-${runTransport(scenario)}` : scenario.name);
      let name = base;
      for (let n = 2; used.has(name); n++) name = `${base}-${n}`;
      used.add(name);
      return { name, coordinates: e.coordinates, scenario, file: l.suite === null ? files[i]! : e.file, runs: [] };
    }),
  );
}

/**
 * Where each run writes. A single scenario run once: --out itself (or reports/<name>-<time>).
 * Several scenarios run once: <out>/<name>. A suite or repeats: <root>/<variant>[/run-<k>],
 * with index.json and the suite's report.html in <root>.
 */
function runDir(root: string, v: Variant, k: number, layout: 'single' | 'flat' | 'suite', repeat: number): string {
  if (layout === 'single') return root;
  if (layout === 'flat') return join(root, safeName(v.name));
  return repeat > 1 ? join(root, safeName(v.name), `run-${k}`) : join(root, safeName(v.name));
}

function oneLine(r: RunResult): string {
  const t = r.totals;
  // 'mixed' totals (one-way and round trips together) are no one figure: as the summary table
  const latency = hasLatency(t) ? `, p50 ${formatLatencyUs(t.latency.p50)}, p99 ${formatLatencyUs(t.latency.p99)}` : '';
  return `${formatRate(t.throughput.msgsPerSec)} msgs/s${latency}, lost ${t.lost}, ${verdictOf(r).label}`;
}

export async function runFiles(
  files: readonly string[],
  opts: RunOptions,
  io: Output,
  deps: RunDeps = defaultRunDeps,
): Promise<ExitCodeValue> {
  // Everything that can be bad input is found before anything runs.
  const loaded = await loadAll(files, (f) => deps.loadRunnable(f, { matrix: opts.matrix, allowOutsidePayload: opts.allowOutsidePayload }));
  const variants = variantsOf(loaded, files, opts);
  const targeted = retargetExternal(
    variants.map((v) => v.scenario),
    opts.endpoints ?? {},
    opts.allowRemote ?? false,
  );
  const flagProblems = [...targeted.problems, ...metricsProblems(opts.metrics ?? {}, opts.allowRemote ?? false)];
  if (flagProblems.length > 0) throw invalidInput(flagProblems);
  variants.forEach((v, i) => (v.scenario = targeted.scenarios[i]!));
  const flagged = opts.engine === undefined ? null : engineUnavailable(opts.engine);
  await learnDraftSupport(variants.map((v) => v.scenario));
  const unavailable = flagged !== null ? [`--engine ${opts.engine}: ${flagged}`] : variants.flatMap((v) => engineProblems(v.scenario));
  if (unavailable.length > 0) throw invalidInput(unavailable);
  if (opts.findMaxRate) {
    const problems = findMaxRateProblems(variants, opts);
    if (problems.length > 0) throw invalidInput(problems);
  }
  const agents = await agentRunOptions(
    variants.map((v) => v.scenario),
    opts.agents,
    opts.keysDir,
    opts.agentTimeoutMs,
  );
  const baseline = opts.baseline === undefined ? null : await loadSide(opts.baseline);
  const repeat = opts.repeat ?? 1;
  const suiteName = loaded.find((l) => l.suite !== null)?.suite ?? (variants.length === 1 ? variants[0]!.name : 'runs');
  const layout = loaded.some((l) => l.suite !== null) || repeat > 1 ? 'suite' : variants.length > 1 ? 'flat' : 'single';
  const root = opts.out ?? defaultOutDir(suiteName, deps.now());
  // A path that cannot be written fails now, not after the whole benchmark has run.
  await checkOutputPaths([
    { flag: opts.out === undefined ? 'the results folder' : '--out', path: root, kind: 'folder' },
    ...ciOutputPaths(opts.outputs ?? {}),
  ]);
  const ciMode =
    layout === 'suite' || baseline !== null || opts.outputs !== undefined || variants.some((v) => v.scenario.thresholds.length > 0);

  // With --json, stdout carries result.json only; the human-readable text moves to stderr.
  const show = opts.json ? io.err : io.out;
  const log = opts.quiet ? undefined : (line: string) => io.err(line);
  const codes: ExitCodeValue[] = [];
  const paths = new Map<RunResult, string>();
  // one server and one exporter for every run of the command, told apart by their labels
  const live = await LiveMetrics.open(opts.metrics ?? {}, { log, problem: (line) => io.err(PREFIX + line) });
  const page = opts.live && (await LivePage.open(opts.live, variants.length * repeat, (line) => io.err(line)));

  runs: for (let k = 1; k <= repeat; k++) {
    for (const [i, v] of variants.entries()) {
      if (opts.signal?.aborted) {
        io.err(`${PREFIX}interrupted: ${variants.length * (repeat - k + 1) - i} run(s) not started`);
        break runs;
      }
      const s = v.scenario;
      const warmup = s.warmupMs > 0 ? ` after ${formatDurationMs(s.warmupMs)} warm-up` : '';
      const which = repeat > 1 ? ` (run ${k} of ${repeat})` : '';
      if (!opts.findMaxRate)
        log?.(`running ${v.name}${which} from ${v.file} (${runTransport(s)}, ${formatDurationMs(s.durationMs)}${warmup})`);

      const dir = runDir(root, v, k, layout, repeat);
      let result: RunResult;
      const liveRun = live?.begin(s, { variant: v.name, run: k });
      try {
        const onPage = page?.beginRun(v.name + which, s);
        result = await runVariant(v, opts, io, show, log, agents, deps, dir, allListeners(liveRun?.onEvent, onPage));
      } catch (e) {
        // One scenario failing to start must not hide the results of the others.
        liveRun?.failed();
        const { lines, exitCode } = describeError(e, opts.debug);
        for (const line of lines) io.err(line);
        page?.runFailed(lines);
        codes.push(exitCode);
        continue;
      }
      result = {
        ...result,
        variant: v.name,
        ...(Object.keys(v.coordinates).length > 0 ? { matrix: v.coordinates } : {}),
      };
      v.runs.push(result);
      codes.push(verdictOf(result).exitCode);
      await liveRun?.finish(result);

      let written: string | undefined;
      try {
        written = await deps.writeResult(dir, result);
        paths.set(result, written);
        await writeReport(join(dir, REPORT_FILE), [{ result, source: written }]);
      } catch (e) {
        // The figures are shown below; the folder (--out or reports/) is what to fix.
        io.err(`${PREFIX}cannot write the result of ${v.name} to ${dir}: ${messageOf(e)}`);
        codes.push(ExitCode.invalidInput);
      }
      page?.endRun(result, written && join(dir, REPORT_FILE));
      if (result.search) for (const line of [...searchAnswer(result.search), resultStepLine(result.search)]) show(line);
      if (repeat > 1) show(`${v.name} run ${k}/${repeat}: ${oneLine(result)}`);
      else show(formatSummary(result, { color: opts.color }));
      if (written) show(`result written to ${written}, report to ${join(dir, REPORT_FILE)}`);
    }
  }

  if (opts.signal?.aborted) codes.push(ExitCode.interrupted);
  const ran = variants.filter((v) => v.runs.length > 0);
  if (ciMode && ran.length > 0) codes.push(await finishSuite(ran, suiteName, root, layout, baseline, paths, codes, opts, io, show));
  if (opts.json && ran.length > 0) {
    const all = ran.flatMap((v) => v.runs);
    io.out(JSON.stringify(all.length === 1 ? all[0] : all, null, 2));
  }
  // the page turns into the report at once; the metrics may linger for a last scrape
  await page?.finish(layout === 'suite' ? join(root, REPORT_FILE) : undefined);
  await live?.close(opts.signal);
  return worstExitCode(codes);
}

/** One run of a variant, its thresholds judged; with --find-max-rate, its rate search (every step a run). */
async function runVariant(
  v: Variant,
  opts: RunOptions,
  io: Output,
  show: (line: string) => void,
  log: ((line: string) => void) | undefined,
  agents: AgentOptions | undefined,
  deps: RunDeps,
  dir: string,
  onEvent: RunEventListener | undefined,
): Promise<RunResult> {
  const s = v.scenario;
  const progress = opts.quiet || opts.json ? undefined : io.progress;
  const judgeLive = abortJudge(s.thresholds);
  if (opts.findMaxRate) {
    const matrix = Object.keys(v.coordinates).length > 0 ? { matrix: v.coordinates } : {};
    const writeSoFar = async (r: RunResult) => void (await deps.writeResult(dir, { ...r, variant: v.name, ...matrix }));
    return searchVariant(v, deps.runScenario, {
      durationMs: opts.durationMs,
      signal: opts.signal,
      agents,
      judgeLive,
      show,
      log,
      progress,
      writeSoFar,
    });
  }
  const onProgress = progress && ((p: Progress) => progress(formatProgress(p, s.durationMs)));
  try {
    return judgeRun(await deps.runScenario(s, { signal: opts.signal, log, onProgress, judgeLive, agents, onEvent }), s.thresholds);
  } finally {
    progress?.(null);
  }
}

/**
 * Thresholds over repeats, the baseline comparison, index.json, the suite report and CI
 * outputs. The summary is printed last, with the exit code the process ends with: `earlier`
 * (runs that failed to start or to be written, an interruption) and failed writes included.
 */
async function finishSuite(
  ran: readonly Variant[],
  name: string,
  root: string,
  layout: 'single' | 'flat' | 'suite',
  baseline: ComparableSide | null,
  paths: ReadonlyMap<RunResult, string>,
  earlier: readonly ExitCodeValue[],
  opts: RunOptions,
  io: Output,
  show: (text: string) => void,
): Promise<ExitCodeValue> {
  const outcomes: VariantOutcome[] = ran.map((v) => variantOutcome(v.name, v.runs, v.scenario.thresholds));
  let comparison: Comparison | null = null;
  let code: ExitCodeValue = ExitCode.ok;
  if (baseline) {
    try {
      comparison = compareSides(baseline, { variants: outcomes, environment: outcomes[0]!.runs[0]!.environment }, opts);
    } catch (e) {
      const { lines, exitCode } = describeError(e, opts.debug);
      for (const line of lines) io.err(line);
      code = exitCode;
    }
  }
  const judged = suiteOutcome(name, outcomes, comparison);
  // index.json and the CI files carry the same verdict as the console (an interruption too)
  const outcome = { ...judged, exitCode: worstExitCode([...earlier, code, judged.exitCode as ExitCodeValue]) };
  const written: string[] = [];
  try {
    if (layout === 'suite') {
      written.push(`index written to ${await writeIndex(root, outcome, paths)}`);
      const representative = outcomes.map((v) => ({ result: medianRun(v), source: paths.get(medianRun(v)), label: v.name }));
      written.push(`suite report written to ${await writeReport(join(root, REPORT_FILE), representative)}`);
    }
    for (const p of await writeCiOutputs(outcome, opts.outputs ?? {})) written.push(`written: ${p}`);
  } catch (e) {
    io.err(`${PREFIX}cannot write the suite's files: ${messageOf(e)}`);
    code = worstExitCode([code, ExitCode.invalidInput]);
  }
  const exitCode = worstExitCode([code, outcome.exitCode]);
  show(formatCiSummary({ ...outcome, exitCode }));
  for (const sweep of sizeSweeps(outcomes.map(sweepItem))) show(`\n${sweepTable(sweep, 'throughput')}\n\n${sweepTable(sweep, 'latency')}`);
  for (const line of written) show(line);
  return exitCode;
}

/** A variant's medians where the matrix varied its message size (sweepTable). */
function sweepItem(v: VariantOutcome): SweepItem {
  return {
    scenario: v.scenario,
    coordinates: v.runs[0]?.matrix ?? {},
    throughput: v.figures.throughput.median,
    p50: v.figures.latency_p50.median,
    p99: v.figures.latency_p99.median,
  };
}

/** The run whose throughput is the median of the variant's: what the suite report shows for it. */
function medianRun(v: VariantOutcome): RunResult {
  const sorted = [...v.runs].sort((a, b) => a.totals.throughput.msgsPerSec - b.totals.throughput.msgsPerSec);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}
