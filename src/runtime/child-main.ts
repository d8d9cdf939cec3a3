import { MessageChannel } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { messageOf } from '../core/errors.js';
import { isReply, type Command, type WorkerInit, type WorkerMessage } from '../protocol/control.js';

/**
 * Entry of a child process (placement: process), forked by ProcessWorkerHandle with an IPC
 * channel. It runs the same worker task as a thread placement, in a one-thread pool of its
 * own, and only relays: IPC → MessagePort → IPC. Neither the task nor the roles know which
 * carrier they run on.
 */

/** Parent → child over IPC: `init` once, then Commands. */
export type ParentToChild = { kind: 'init'; init: WorkerInit } | Command;
/** Child → parent over IPC: the worker's messages, and a last word if the task failed. */
export type ChildToParent = WorkerMessage | ChildFailed;
export interface ChildFailed {
  kind: 'child-failed';
  message: string;
}

/**
 * Exits without running exit handlers or terminating the worker thread: a thread terminated
 * with live sockets aborts the process (trap 7), which would be a SIGABRT core
 * instead of a clean end.
 */
function die(): never {
  process.kill(process.pid, 'SIGKILL');
  // SIGKILL to oneself is delivered before kill() returns; this only satisfies the type.
  throw new Error('unreachable');
}

function main(): void {
  const send = process.send?.bind(process);
  if (!send) {
    process.stderr.write('zmq-bench: child-main.js is started by zmq-bench (placement: process), with an IPC channel\n');
    process.exitCode = 2;
    return;
  }

  // Never outlive the parent: its death (or a closed channel) closes the IPC channel.
  const onDisconnect = () => die();
  process.on('disconnect', onDisconnect);
  // Ctrl-C reaches the whole process group; the parent coordinates an orderly stop and ends us.
  process.on('SIGINT', () => {});
  process.on('SIGTERM', () => {});

  // Every relayed message is counted until IPC has taken it, so the last reply is not lost at exit.
  let inFlight = 0;
  let flushed: (() => void) | null = null;
  const relay = (m: ChildToParent) => {
    inFlight++;
    send(m, undefined, {}, () => {
      // An error here means the channel is closed: 'disconnect' ends us.
      if (--inFlight === 0) flushed?.();
    });
  };
  const allSent = () => (inFlight === 0 ? Promise.resolve() : new Promise<void>((r) => (flushed = r)));

  const onFirst = (m: ParentToChild) => {
    if (m.kind !== 'init') {
      relay({ kind: 'child-failed', message: `expected "init" first, got "${m.kind}"` });
      void allSent().then(die);
      return;
    }
    process.off('message', onFirst);
    void start(m.init, relay, allSent).then(
      () => {
        // Our own disconnect on the way out must not kill us.
        process.off('disconnect', onDisconnect);
        process.exit(0);
      },
      async (e: unknown) => {
        relay({ kind: 'child-failed', message: messageOf(e) });
        await allSent();
        die();
      },
    );
  };
  process.on('message', onFirst);
}

async function start(init: WorkerInit, relay: (m: ChildToParent) => void, allSent: () => Promise<void>): Promise<void> {
  // Same options as the coordinator's pool: one long-lived task, a thread that never idles out.
  const pool = new Piscina({
    filename: new URL('./worker.js', import.meta.url).href,
    minThreads: 1,
    maxThreads: 1,
    idleTimeout: Number.MAX_SAFE_INTEGER,
  });
  // Without a listener, a worker that fails at start-up crashes the process with no word to the parent.
  let poolError: unknown = null;
  pool.on('error', (e: unknown) => (poolError ??= e));

  const { port1, port2 } = new MessageChannel();
  // The reply to 'finish' is the protocol's last message. The task's end comes on another
  // channel and may overtake it, and the port's 'close' does not reach this thread: wait for it.
  let finishId: number | null = null;
  let lastReplyRelayed!: () => void;
  const lastReply = new Promise<void>((r) => (lastReplyRelayed = r));
  port1.on('message', (m: WorkerMessage) => {
    relay(m);
    if (isReply(m) && m.id === finishId) lastReplyRelayed();
  });
  const fromParent = (c: ParentToChild) => {
    if (c.kind === 'init') return;
    if (c.kind === 'finish') finishId = c.id;
    port1.postMessage(c);
  };
  process.on('message', fromParent);

  try {
    await pool.run({ port: port2, init }, { transferList: [port2] });
  } catch (e) {
    throw poolError ?? e;
  }
  await lastReply;
  process.off('message', fromParent);
  port1.close();
  await allSent();
  // Every socket is closed now (the task returned after 'finish'), so the thread can go.
  await pool.destroy();
}

main();
