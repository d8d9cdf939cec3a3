import type { Progress } from '../runtime/sampler.js';
import { formatCount, formatRate } from '../core/format.js';

/** One line of live progress: where the run is, and what flows right now. */
export function formatProgress(p: Progress, durationMs: number): string {
  const clock =
    p.elapsedMs < 0
      ? `warm-up, ${seconds(-p.elapsedMs)} left`
      : p.elapsedMs <= durationMs
        ? `${seconds(p.elapsedMs)} of ${seconds(durationMs)}, ${seconds(durationMs - p.elapsedMs)} left`
        : `draining ${seconds(p.elapsedMs - durationMs)}`;
  return `${clock} · sent ${formatRate(p.sentPerSec)}/s · received ${formatRate(p.receivedPerSec)}/s · lost ${formatCount(p.lostKnown)} · in flight ${formatCount(p.inFlight)}`;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;
