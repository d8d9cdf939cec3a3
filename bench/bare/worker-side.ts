/**
 * The worker-thread half of the bare loops: talking to the main thread, and releasing
 * zero-copy messages before the thread ends.
 */
import { parentPort } from 'node:worker_threads';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { FromWorker, ToWorker } from './common.js';

if (!parentPort) throw new Error('this module runs in a worker thread');
const port = parentPort;

const inbox: ToWorker[] = [];
let waiting: { kind: ToWorker['kind']; resolve: (m: ToWorker) => void } | null = null;
// One listener for the thread's whole life (a message that arrives between two one-shot
// listeners would be lost); it is removed by `done`, which lets the thread end.
const listener = (m: ToWorker) => {
  if (waiting && waiting.kind === m.kind) {
    const w = waiting;
    waiting = null;
    w.resolve(m);
  } else inbox.push(m);
};
port.on('message', listener);

export function post(m: FromWorker): void {
  port.postMessage(m);
}

/** Resolves with the message when the main thread has sent this kind. */
export function received<K extends ToWorker['kind']>(kind: K): Promise<Extract<ToWorker, { kind: K }>> {
  const i = inbox.findIndex((m) => m.kind === kind);
  if (i >= 0) return Promise.resolve(inbox.splice(i, 1)[0] as Extract<ToWorker, { kind: K }>);
  return new Promise((resolve) => (waiting = { kind, resolve: (m) => resolve(m as Extract<ToWorker, { kind: K }>) }));
}

/**
 * Posts the result, waits until the main thread says every thread of the run is done with its
 * messages, runs `beforeExit` (a sender closes its socket there) and lets this thread end
 * (nothing is pending by then).
 */
export async function done(result: unknown, beforeExit?: () => void): Promise<void> {
  post({ kind: 'result', result });
  await received('exit');
  beforeExit?.();
  port.off('message', listener);
}

/**
 * Over inproc, a received message over 128 bytes is the sender's own buffer, released when the
 * receiving Buffer is garbage-collected, through the sending thread's zeromq module: if that
 * thread is gone by then, the heap is corrupted (docs/zeromq-traps.md trap 16). So each thread
 * collects its garbage before it reports, while every thread of the run is still alive.
 */
export async function releaseReceivedMessages(): Promise<void> {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  for (let i = 0; i < 2; i++) {
    gc();
    await yieldToLoop();
  }
}
