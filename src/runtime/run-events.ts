import type { LiveFigures } from '../collect/live-figures.js';
import type { Sample } from '../collect/sample.js';
import type { TimelineEntry } from '../core/types.js';

/**
 * What a run tells a listener while it goes (RunOptions.onEvent): the seam that live metrics,
 * the live page and the library API read, so none of them reaches into the runtime. Events come
 * in time order from the coordinator's event loop; a listener that throws is ignored.
 */

/** The phases of a run, in order (runtime/phases/); a run that stops early skips some. */
export const RUN_PHASES = ['set-up', 'barrier', 'measure', 'stop', 'drain', 'finish'] as const;
export type RunPhase = (typeof RUN_PHASES)[number];

export type RunEvent =
  /** a phase begins; atMs: ms since the run started */
  | { type: 'phase'; phase: RunPhase; atMs: number }
  /** one sampling interval's figures per group, worker and tcp endpoint (deltas; gauges at its end), warm-up and drain included */
  | { type: 'sample'; sample: Sample }
  /** the figures of the measured phase so far, after each of its samples (what abortOnFail thresholds judge) */
  | { type: 'figures'; figures: LiveFigures }
  /** a fault carried out (or failed) or a socket monitor event, as it becomes known */
  | { type: 'timeline'; entry: TimelineEntry };

export type RunEventListener = (event: RunEvent) => void;

/** Calls the listener; a listener's failure must not end a measurement. */
export function emitTo(listener: RunEventListener | undefined, event: RunEvent): void {
  if (listener === undefined) return;
  try {
    listener(event);
  } catch {
    // the listener's own business
  }
}

/** One listener for several (metrics and the live page watch the same run); undefined when none is given. */
export function allListeners(...listeners: ReadonlyArray<RunEventListener | undefined>): RunEventListener | undefined {
  const given = listeners.filter((l): l is RunEventListener => l !== undefined);
  if (given.length <= 1) return given[0];
  return (event) => {
    for (const l of given) emitTo(l, event);
  };
}
