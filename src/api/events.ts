import { evaluateOne } from '../ci/threshold-eval.js';
import type { LiveFigures } from '../collect/live-figures.js';
import type { RunResult, ThresholdResult } from '../core/types.js';
import type { RunEvent as RuntimeEvent } from '../runtime/run-events.js';
import type { Threshold } from '../scenario/thresholds.js';

/**
 * What run() tells its `onEvent` listener: the runtime's events (runtime/run-events.ts: phases,
 * samples, the measured figures so far, faults and socket events) and the scenario's thresholds
 * breached, judged by the code that judges result.json (ci/threshold-eval.ts).
 */

/** A threshold of the scenario failed. */
export interface BreachEvent {
  type: 'breach';
  /** the threshold judged as result.json judges it: actual, limit, unit and a line for people */
  threshold: ThresholdResult;
  /**
   * false: on the measured figures so far (after each sample; told once per threshold, the
   * first time it fails, from its delayAbortEval on); true: in the final result (every
   * threshold that failed there, after the `finish` phase, before run() resolves)
   */
  final: boolean;
  /** how much of the measured phase the figures cover, ms */
  measuredMs: number;
}

export type RunEvent = RuntimeEvent | BreachEvent;
export type RunEventType = RunEvent['type'];
/** The event of one type: RunEventOf<'phase'> is { type: 'phase'; phase; atMs }. */
export type RunEventOf<T extends RunEventType> = Extract<RunEvent, { type: T }>;
export type RunEventListener = (event: RunEvent) => void;

/** Calls the listener; a listener that throws must not end a measurement (as the runtime's emitTo). */
export function notify(listener: RunEventListener, event: RunEvent): void {
  try {
    listener(event);
  } catch {
    // the listener's own business
  }
}

/** Judges the thresholds on each figures event; remembers which were told, so each is told once. */
export class BreachWatch {
  private readonly told = new Set<number>();

  constructor(private readonly thresholds: readonly Threshold[]) {}

  /** The thresholds failing on these figures for the first time; a figure not measured yet is no breach. */
  live(figures: LiveFigures): BreachEvent[] {
    const out: BreachEvent[] = [];
    this.thresholds.forEach((t, i) => {
      if (this.told.has(i) || figures.measuredMs < t.delayAbortEvalMs) return;
      const judged = evaluateOne(t, figures);
      if (judged.actual === null || judged.passed) return;
      this.told.add(i);
      out.push({ type: 'breach', threshold: judged, final: false, measuredMs: figures.measuredMs });
    });
    return out;
  }

  /** Every threshold the final result failed. */
  static final(result: RunResult): BreachEvent[] {
    return (result.thresholds ?? [])
      .filter((t) => !t.passed)
      .map((threshold) => ({ type: 'breach', threshold, final: true, measuredMs: result.timing.measuredMs }));
  }
}
