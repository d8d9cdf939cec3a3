import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Command, WorkerInit } from '../protocol/control.js';
import type { ChildToParent, ParentToChild } from './child-main.js';
import { CommandChannel, WorkerEnded, type WorkerHandle } from './worker-handle.js';

/** dist/src/runtime/child-main.js, next to this file once compiled. */
const CHILD_MAIN = fileURLToPath(new URL('./child-main.js', import.meta.url));

/** Children not yet exited, by pid. */
const live = new Map<number, ChildProcess>();
let exitHookInstalled = false;

/** Pids of the child processes that have not exited yet. */
export function liveChildren(): number[] {
  return [...live.keys()];
}

/** Last-resort cleanup: SIGKILL every child still alive. Synchronous, so it works in an 'exit' handler. */
export function killAllChildren(): void {
  for (const child of live.values()) child.kill('SIGKILL');
}

/**
 * Flags the child inherits: the coordinator's, minus those that would make the child a test
 * runner or fight over the inspector port.
 */
function childExecArgv(): string[] {
  return process.execArgv.filter((a) => !/^--(test|inspect|watch|experimental-test)/.test(a));
}

/**
 * A worker in a child process of its own (placement: process): the same control protocol
 * as a thread, carried by the child's IPC channel. The child dies with us: it SIGKILLs itself
 * when the channel closes, and we SIGKILL what is left when we exit.
 */
export class ProcessWorkerHandle extends CommandChannel implements WorkerHandle {
  private readonly child: ChildProcess;
  private wasKilled = false;
  readonly done: Promise<void>;

  constructor(
    readonly slot: number,
    init: WorkerInit,
  ) {
    super();
    if (!exitHookInstalled) {
      exitHookInstalled = true;
      // Even an unexpected exit of the coordinator leaves no child behind.
      process.on('exit', killAllChildren);
    }
    this.child = fork(CHILD_MAIN, [], {
      // The child's stdout must never mix with ours (--json prints JSON only on stdout).
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      // Structured clone, as over a MessagePort: the same messages arrive the same way.
      serialization: 'advanced',
      execArgv: childExecArgv(),
    });
    const child = this.child;
    const pid = child.pid;
    // what the process held, for the line that reports its end: workers[1] (one socket per process)
    const sockets = init.roles.map((r) => `${r.group}[${r.instance}]`).join(', ') || `worker ${slot}`;
    if (pid !== undefined) live.set(pid, child);

    let failure: string | null = null;
    child.on('message', (m: ChildToParent) => {
      if (m.kind === 'child-failed') failure = m.message;
      else this.receive(m);
    });

    // Settled once the child has exited AND its channel is read to the end, so every reply
    // it sent (the last one included) has been handled first.
    this.done = new Promise<void>((resolve, reject) => {
      let exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
      let disconnected = false;
      const settle = () => {
        if (!exit || !disconnected) return;
        if (pid !== undefined) live.delete(pid);
        if (exit.code === 0) {
          this.closeChannel(new Error(`process ${pid} (worker ${slot}) has ended`));
          resolve();
          return;
        }
        const how = exit.signal !== null ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
        // A failed task makes the child SIGKILL itself (trap 7): its own word says more than the signal.
        const error = new WorkerEnded(
          `${sockets}: its process ${pid} ${failure ? `failed: ${failure}` : this.wasKilled ? `${how} (a kill event)` : how}`,
        );
        this.closeChannel(error);
        reject(error);
      };
      child.on('exit', (code, signal) => {
        exit = { code, signal };
        settle();
      });
      child.on('disconnect', () => {
        disconnected = true;
        settle();
      });
      // No pid: the fork itself failed (out of pids, memory...), there will be no 'exit'.
      // Other errors (a failed send or kill) are followed by the exit that matters.
      child.on('error', (e: Error) => {
        if (pid !== undefined) return;
        const error = new WorkerEnded(`${sockets}: its process could not start: ${e.message}`);
        this.closeChannel(error);
        reject(error);
      });
    });

    try {
      this.send({ kind: 'init', init });
    } catch {
      // the child is already gone: `done` says why
    }
  }

  get killed(): boolean {
    return this.wasKilled;
  }

  /** SIGKILL, as a crash would: `done` then rejects and pending calls fail. */
  kill(): void {
    this.wasKilled = true;
    this.child.kill('SIGKILL');
  }

  protected post(command: Command): void {
    this.send(command);
  }

  private send(m: ParentToChild): void {
    // Not connected: the child is gone, 'exit' will reject what is pending.
    if (!this.child.connected) throw new Error(`process ${this.child.pid} (worker ${this.slot}) is not connected`);
    // An error after the fact (channel closed meanwhile) shows up as the child's exit.
    this.child.send(m, undefined, {}, () => {});
  }
}
