import { messageOf } from '../core/errors.js';
import { INTERRUPTED_PROBLEM, type RunResult, type SearchResult, type SearchStep, type SearchStop } from '../core/types.js';
import { verdictOf } from '../results/facts.js';
import { applyOverrides } from '../scenario/overrides.js';
import type { Scenario } from '../scenario/schema.js';
import { explicitSearch, groupRatesAt, rateShares, type ResolvedSearch } from '../scenario/search.js';
import { bracket, nextRate } from './rate-search.js';
import { judgeStep } from './search-judge.js';

/**
 * A rate search: step after step, each a whole run of the scenario at one offered rate (the
 * overrides set the searched groups' rates and the step's duration), judged, until the course
 * (rate-search.ts) says stop, Ctrl-C, or a step cannot run. What it returns, and what it hands
 * to `onStep` after every step, is a result.json: the figures of the best step so far (the first
 * when none held) with every step in `search`.
 */

export interface SearchOptions {
  /** runs one step (the run machinery of src/runtime, with the caller's progress and logs) */
  run(s: Scenario): Promise<RunResult>;
  signal?: AbortSignal;
  /** after every step: the step, and the result as it stands (search.stoppedBy 'unfinished') */
  onStep?(step: SearchStep, index: number, sofar: RunResult): Promise<void> | void;
  /** ms, for each step's wallMs */
  now?(): number;
}

/** A step that produced no figures to judge: it could not run, or Ctrl-C cut it short. */
function emptyStep(rate: number, reason: string, wallMs: number): SearchStep {
  return { rate, valid: false, passed: false, throughput: 0, p99: null, lost: 0, lossRate: 0, sendLagP99: null, reasons: [reason], wallMs };
}

/** Throws only when the first step cannot run (nothing was measured); later failures end the search with what it has. */
export async function searchMaxRate(s: Scenario, r: ResolvedSearch, o: SearchOptions): Promise<RunResult> {
  const now = o.now ?? (() => performance.now());
  const steps: SearchStep[] = [];
  const results: RunResult[] = [];
  // the steps the course counts: a step cut short or that could not run says nothing of its rate
  const counted: Array<{ rate: number; passed: boolean }> = [];
  let stop: SearchStop | undefined;
  let error: string | undefined;
  while (stop === undefined) {
    const next = nextRate(r, counted);
    if ('stop' in next) {
      stop = next.stop;
      break;
    }
    if (o.signal?.aborted) {
      stop = 'interrupted';
      break;
    }
    const step = applyOverrides(s, { durationMs: r.stepMs, groupRates: groupRatesAt(r, next.rate) });
    const scenario = { ...step, search: explicitSearch(r) };
    const started = now();
    let run: RunResult;
    try {
      run = await o.run(scenario);
    } catch (e) {
      if (results.length === 0) throw e;
      error = `step ${steps.length + 1} at ${next.rate} msgs/s could not run: ${messageOf(e)}`;
      steps.push(emptyStep(next.rate, messageOf(e), now() - started));
      stop = 'error';
      break;
    }
    const judged = judgeStep(run, next.rate, s.thresholds, { ...r, groups: r.groups.map((g) => g.name) }, now() - started);
    steps.push(judged.step);
    results.push(judged.result);
    if (verdictOf(run).status === 'interrupted') stop = 'interrupted';
    else counted.push(judged.step);
    await o.onStep?.(judged.step, steps.length - 1, assemble(r, steps, results, counted, 'unfinished'));
  }
  const done = assemble(r, steps, results, counted, stop);
  if (stop === 'interrupted' && !done.problems.includes(INTERRUPTED_PROBLEM))
    return { ...done, complete: false, problems: [INTERRUPTED_PROBLEM, ...done.problems] };
  if (error !== undefined) return { ...done, complete: false, problems: [...done.problems, `the search ended early: ${error}`] };
  return done;
}

/** The result of the search so far: the best step's figures (the first step's when none held), with every step. */
function assemble(
  r: ResolvedSearch,
  steps: readonly SearchStep[],
  results: readonly RunResult[],
  counted: ReadonlyArray<{ rate: number; passed: boolean }>,
  stoppedBy: SearchStop,
): RunResult {
  const { good, bad } = bracket(counted);
  const best = good === null ? -1 : steps.findIndex((st) => st.passed && st.rate === good);
  // results[] has an entry for every step but one that could not run, which can only be the last
  const resultStep = best >= 0 ? best : 0;
  const search: SearchResult = {
    maxRate: good,
    failedRate: bad,
    stoppedBy,
    resultStep,
    settings: {
      start: r.start,
      ceiling: r.ceiling,
      factor: r.factor,
      precision: r.precision,
      stepMs: r.stepMs,
      maxSteps: r.maxSteps,
      groups: rateShares(r),
      maxLoss: r.maxLoss,
      maxShortfall: r.maxShortfall,
      maxP99Ms: r.maxP99Ms,
      maxSendLagMs: r.maxSendLagMs,
    },
    steps: [...steps],
  };
  const base = results[resultStep]!;
  return stoppedBy === 'unfinished'
    ? { ...base, search, complete: false, problems: [...base.problems, `the search had not ended: ${steps.length} step(s) so far`] }
    : { ...base, search };
}
