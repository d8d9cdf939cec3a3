import { formatCount, formatLatencyUs, formatPercent, formatRateSig3 } from '../core/format.js';
import type { SearchResult, SearchStep } from '../core/types.js';
import { formatDurationMs } from '../core/units.js';

/**
 * A rate search on the console: one line per step as it finishes, then the answer. The same
 * words as the report's search section (html/search-section.ts).
 */

/** A search's rates to three significant digits (97.5, 6.25k), as the steps are chosen. */
export const searchRate = formatRateSig3;

export const msgsPerSec = (v: number): string => `${searchRate(v)} msgs/s`;

/** held, failed or not valid. */
export function stepVerdict(step: SearchStep): string {
  return step.passed ? 'held' : step.valid ? 'failed' : 'not valid';
}

/** "step 3/20: 80.0k msgs/s offered → 61.2k achieved, p99 45.2ms, lost 0: failed (throughput avg = …)" */
export function searchStepLine(step: SearchStep, index: number, maxSteps: number): string {
  const p99 = step.p99 === null ? '' : `, p99 ${formatLatencyUs(step.p99)}`;
  const lost = step.lost > 0 ? `${formatCount(step.lost)} (${formatPercent(step.lossRate)})` : '0';
  const why = step.reasons.length > 0 ? ` (${step.reasons.join('; ')})` : '';
  return `step ${index + 1}/${maxSteps}: ${msgsPerSec(step.rate)} offered → ${searchRate(step.throughput)} achieved${p99}, lost ${lost}: ${stepVerdict(step)}${why}`;
}

/** The answer in one line, then how the search went. */
export function searchAnswer(s: SearchResult): string[] {
  const n = s.steps.length;
  const took = formatDurationMs(s.steps.reduce((a, st) => a + st.wallMs, 0));
  const course = `${n} step${n === 1 ? '' : 's'} of ${formatDurationMs(s.settings.stepMs)} in ${took}`;
  const failed = s.failedRate === null ? '' : `; ${msgsPerSec(s.failedRate)} failed`;
  const held = s.maxRate === null ? null : msgsPerSec(s.maxRate);
  switch (s.stoppedBy) {
    case 'precision':
      return [`max rate: ${held} held${failed} (within ${formatPercent(s.settings.precision)}), ${course}`];
    case 'ceiling':
      return [`max rate: ${held}, the ceiling, held: the topology sustains at least that (${course}); raise search.ceiling to look higher`];
    case 'max-steps':
      return [
        held === null ? `no rate held in ${course}` : `max rate: ${held} held${failed}, ${course}`,
        `stopped after maxSteps (${s.settings.maxSteps}) before the two were within ${formatPercent(s.settings.precision)}`,
      ];
    case 'lowest-failed':
      return [
        `no rate held: the first and lowest, ${msgsPerSec(s.settings.start)}, failed (${course}); a lower search.start looks below it`,
      ];
    case 'interrupted':
    case 'error':
    case 'unfinished': {
      const why = s.stoppedBy === 'interrupted' ? 'interrupted' : 'ended early';
      return [
        `search ${why} after ${course}: ${held === null ? 'no rate held so far' : `the highest rate that held so far is ${held}${failed}`}`,
      ];
    }
  }
}

/** Which step's figures the rest of the result holds. */
export function resultStepLine(s: SearchResult): string {
  const st = s.steps[s.resultStep];
  if (st === undefined) return '';
  return `figures below: step ${s.resultStep + 1}, at ${msgsPerSec(st.rate)} (${s.maxRate === null ? 'the first step' : 'the highest rate that held'})`;
}
