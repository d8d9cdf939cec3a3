import { messageOf } from '../core/errors.js';
import { WorkerEnded } from './worker-handle.js';

/**
 * Where everything that ends a run early meets: a role that failed, a worker that died, a
 * phase that failed or timed out, the interrupt (Ctrl-C), a live threshold, the last bounded
 * sender done. They all abort one signal; the phases pass it to their waits, which then end
 * at once. A failure also leaves a problem line (the run is not complete); the others do not.
 */
export class EarlyStop {
  private readonly controller = new AbortController();
  /** each line once: a worker that ended fails every call it left unanswered with the same line */
  readonly problems: string[] = [];
  private readonly onInterrupt = (): void => this.finishSending();

  constructor(private readonly interrupt?: AbortSignal) {
    if (interrupt?.aborted) this.finishSending();
    interrupt?.addEventListener('abort', this.onInterrupt, { once: true });
  }

  /** aborted once the run is to stop early */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Stops early with a problem. */
  fail(problem: string): void {
    if (!this.problems.includes(problem)) this.problems.push(problem);
    this.controller.abort();
  }

  /** Stops sending early with no problem: what was measured so far is the result. */
  finishSending(): void {
    this.controller.abort();
  }

  /** Stops listening to the interrupt: one signal serves every run of a suite. */
  dispose(): void {
    this.interrupt?.removeEventListener('abort', this.onInterrupt);
  }
}

/**
 * A problem line for a failure. A worker that ended says so in its own words (naming its
 * sockets), the same line from every call it left unanswered, which EarlyStop keeps once.
 */
export function problemOf(e: unknown, context: string): string {
  return e instanceof WorkerEnded ? e.message : `${context}${messageOf(e)}`;
}
