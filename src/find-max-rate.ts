import type { Output, RunScenarioFn } from './app.js';
import { searchMaxRate } from './ci/search-run.js';
import type { RunResult } from './core/types.js';
import { formatDurationMs } from './core/units.js';
import { formatPercent } from './core/format.js';
import { formatProgress } from './report/progress-line.js';
import { msgsPerSec, searchStepLine } from './report/search-lines.js';
import type { AgentOptions } from './runtime/remote/open-agents.js';
import type { LiveFigures } from './collect/live-figures.js';
import type { Scenario } from './scenario/schema.js';
import { resolveSearch, searchProblems } from './scenario/search.js';

/**
 * `run --find-max-rate`: what run-command.ts does instead of one run per variant. The checks
 * before anything runs (exit 104), and the search of one variant with its console lines and a
 * result.json written after every step, so a crash or a kill still leaves the steps so far.
 */

export interface SearchVariant {
  name: string;
  file: string;
  scenario: Scenario;
}

/** Every reason the search cannot run, one line each with its file and path. */
export function findMaxRateProblems(variants: readonly SearchVariant[], o: { repeat?: number; baseline?: string }): string[] {
  const problems: string[] = [];
  if ((o.repeat ?? 1) > 1) problems.push('--repeat cannot be used with --find-max-rate: every step of the search is a run of its own');
  if (o.baseline !== undefined)
    problems.push("--baseline cannot be used with --find-max-rate: compare the searches' result.json files with compare");
  const seen = new Set<string>();
  for (const v of variants) {
    for (const p of searchProblems(v.scenario, v.scenario.search === null)) {
      // a problem every variant of a matrix has is listed once
      const line = `${v.file}: ${p.path}: ${p.text}`;
      if (!seen.has(line)) problems.push(line);
      seen.add(line);
    }
  }
  return problems;
}

export interface SearchRunOptions {
  /** --duration: the measured time of every step, over search.duration */
  durationMs?: number;
  signal?: AbortSignal;
  agents?: AgentOptions;
  judgeLive?: (f: LiveFigures) => string | null;
  /** the step lines and the answer */
  show(line: string): void;
  log?: (line: string) => void;
  progress?: Output['progress'];
  /** writes the result as it stands after every step */
  writeSoFar?(r: RunResult): Promise<void>;
}

/** The search of one variant; the RunResult it returns carries `search`. Throws when even the first step cannot run. */
export async function searchVariant(v: SearchVariant, runScenario: RunScenarioFn, o: SearchRunOptions): Promise<RunResult> {
  const r = resolveSearch(v.scenario, o.durationMs);
  const upTo = `×${r.factor} up to ${msgsPerSec(r.ceiling)}`;
  o.log?.(
    `searching the highest rate of ${v.name}: steps of ${formatDurationMs(r.stepMs)} from ${msgsPerSec(r.start)}, ${upTo}, then bisection to ${formatPercent(r.precision)}; at most ${r.maxSteps} steps`,
  );
  return searchMaxRate(v.scenario, r, {
    signal: o.signal,
    run: async (s) => {
      const onProgress = o.progress && ((p: Parameters<typeof formatProgress>[0]) => o.progress?.(formatProgress(p, s.durationMs)));
      try {
        return await runScenario(s, { signal: o.signal, onProgress, judgeLive: o.judgeLive, agents: o.agents });
      } finally {
        o.progress?.(null);
      }
    },
    onStep: async (step, index, sofar) => {
      o.show(searchStepLine(step, index, r.maxSteps));
      // the final write reports a folder that cannot be written; this one only keeps what was measured
      await o.writeSoFar?.(sofar).catch(() => undefined);
    },
  });
}

export const FIND_MAX_RATE_HELP =
  'search each scenario\'s highest sustained rate: up by a factor, then bisection, each step a run (its search: block or the defaults; docs/scenarios.md "Rate discovery")';
