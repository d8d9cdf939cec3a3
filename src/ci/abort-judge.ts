import type { LiveFigures } from '../collect/live-figures.js';
import { formatDurationMs } from '../core/units.js';
import type { Threshold } from '../scenario/thresholds.js';
import { evaluateOne } from './threshold-eval.js';

/**
 * abortOnFail: the first such threshold that fails on the figures so far (after its
 * delayAbortEval) stops the run. A figure not measured yet never stops it. `zmq-bench run`
 * and the library's run() pass it to the runtime as RunOptions.judgeLive.
 */
export function abortJudge(thresholds: readonly Threshold[]): ((f: LiveFigures) => string | null) | undefined {
  const watched = thresholds.filter((t) => t.abortOnFail);
  if (watched.length === 0) return undefined;
  return (f) => {
    for (const t of watched) {
      if (f.measuredMs < t.delayAbortEvalMs) continue;
      const r = evaluateOne(t, f);
      if (r.actual !== null && !r.passed) return `${r.message} after ${formatDurationMs(f.measuredMs)} (abortOnFail)`;
    }
    return null;
  };
}
