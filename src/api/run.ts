import { join } from 'node:path';
import { abortJudge } from '../ci/abort-judge.js';
import { judgeRun } from '../ci/outcome.js';
import { messageOf } from '../core/errors.js';
import type { RunResult } from '../core/types.js';
import { formatDurationMs } from '../core/units.js';
import { learnDraftSupport } from '../engine/availability.js';
import { formatSummary } from '../report/console-summary.js';
import { REPORT_FILE, writeReport } from '../report/html/report-files.js';
import { writeResult } from '../results/write.js';
import type { RunEvent as RuntimeEvent } from '../runtime/run-events.js';
import type { Scenario } from '../scenario/schema.js';
import { ScenarioError, refusedAs } from './errors.js';
import { BreachWatch, notify, type RunEventListener } from './events.js';
import { OVERRIDE_KEYS, unknownOptionProblems, type ScenarioOverrides } from './options.js';
import { agentsOf, checkOutDir, scenarioToRun, type AgentSettings } from './run-setup.js';

/** run()'s options: the flags of `zmq-bench run` that make sense for one scenario in code. */
export interface RunOptions extends ScenarioOverrides, AgentSettings {
  /** aborting stops the run; run() then resolves with what was measured (complete: false) */
  signal?: AbortSignal;
  /** the run's events as they happen: phases, samples, figures, faults and socket events, threshold breaches */
  onEvent?: RunEventListener;
  /** --out: write result.json and report.html into this folder; default: nothing is written */
  outDir?: string;
  /** true (the default): nothing is printed; false: log lines and the summary on stderr, as the CLI prints them */
  quiet?: boolean;
  /** the log lines (running, warm-up, measuring, stopping early: ...), whatever `quiet` says */
  log?: (line: string) => void;
}

const KNOWN = [...OVERRIDE_KEYS, 'agents', 'keys', 'agentTimeout', 'signal', 'onEvent', 'outDir', 'quiet', 'log'];
const toStderr = (line: string) => void process.stderr.write(`${line}\n`);

/**
 * Runs one scenario (from loadScenario or parseScenario) on real sockets and resolves with its
 * result, the object `zmq-bench run` writes as result.json (thresholds judged). Invalid
 * scenarios or options reject with a ScenarioError before anything runs; a run that fails or
 * is aborted still resolves, with `complete: false` and the reason in `problems`. Never exits
 * the process; prints only when `quiet: false`.
 */
export async function run(scenario: Scenario, options: RunOptions = {}): Promise<RunResult> {
  const unknown = unknownOptionProblems(options, KNOWN);
  if (unknown.length > 0) throw new ScenarioError(unknown);
  await learnDraftSupport([scenario], options.engine);
  const s = scenarioToRun(scenario, options);
  const agents = await agentsOf(s, options);
  await checkOutDir(options.outDir);
  const print = options.quiet === false;
  const log = options.log ?? (print ? toStderr : undefined);
  log?.(
    `running ${s.name} (${s.transport}, ${formatDurationMs(s.durationMs)}${s.warmupMs > 0 ? ` after ${formatDurationMs(s.warmupMs)} warm-up` : ''})`,
  );

  const listener = options.onEvent;
  const breaches = listener && s.thresholds.length > 0 ? new BreachWatch(s.thresholds) : null;
  const onEvent =
    listener &&
    ((e: RuntimeEvent) => {
      notify(listener, e);
      if (e.type === 'figures' && breaches) for (const b of breaches.live(e.figures)) notify(listener, b);
    });
  // Imported on first use: validate, loadScenario and compare never load zeromq or start workers.
  const { runScenario } = await import('../runtime/run.js');
  const measured = await refusedAs(ScenarioError, () =>
    runScenario(s, { signal: options.signal, log, judgeLive: abortJudge(s.thresholds), agents, onEvent }),
  );
  const result: RunResult = { ...judgeRun(measured, s.thresholds), variant: s.name };
  if (listener) for (const b of BreachWatch.final(result)) notify(listener, b);

  if (print) toStderr(formatSummary(result));
  if (options.outDir !== undefined) await writeFiles(options.outDir, result, print ? toStderr : undefined);
  return result;
}

/** result.json and report.html, as `zmq-bench run --out` writes them. */
async function writeFiles(dir: string, result: RunResult, say: ((line: string) => void) | undefined): Promise<void> {
  try {
    const written = await writeResult(dir, result);
    await writeReport(join(dir, REPORT_FILE), [{ result, source: written }]);
    say?.(`result written to ${written}, report to ${join(dir, REPORT_FILE)}`);
  } catch (e) {
    throw new ScenarioError([`outDir: cannot write the result to ${dir}: ${messageOf(e)}`]);
  }
}
