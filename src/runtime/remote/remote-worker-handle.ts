import type { Command, WorkerInit, WorkerMessage } from '../../protocol/control.js';
import type { ToAgent } from '../../protocol/agent.js';
import { CommandChannel, WorkerEnded, type WorkerHandle } from '../worker-handle.js';

/**
 * A worker on an agent's host: the same control protocol as a thread or a child process here,
 * carried by the agent link. On the agent the slot runs in a child process of its own, so it
 * can be killed (a `kill` fault) as a process placement can. `done` settles when the agent
 * says the worker ended, or rejects when the agent is lost.
 */
export class RemoteWorkerHandle extends CommandChannel implements WorkerHandle {
  readonly done: Promise<void>;
  private wasKilled = false;
  private settle!: (error: Error | null) => void;

  constructor(
    /** this worker's id on its link: a slot restarted after a kill is a new worker */
    readonly worker: number,
    readonly slot: number,
    readonly host: string,
    init: WorkerInit,
    private readonly send: (m: ToAgent) => void,
  ) {
    super();
    this.done = new Promise<void>((resolve, reject) => {
      this.settle = (error) => (error === null ? resolve() : reject(error));
    });
    // a rejection nobody waits for yet must not end the process: the session watches `done`
    this.done.catch(() => {});
    send({ kind: 'spawn', worker, slot, init });
  }

  get killed(): boolean {
    return this.wasKilled;
  }

  /** SIGKILL to the worker's process on the agent, as a crash would. */
  kill(): void {
    this.wasKilled = true;
    this.send({ kind: 'kill', worker: this.worker });
  }

  protected post(command: Command): void {
    this.send({ kind: 'command', worker: this.worker, command });
  }

  /** A message of the worker, relayed by the agent. */
  deliver(message: WorkerMessage): void {
    this.receive(message);
  }

  /** The agent says the worker ended; `error` null when it finished as asked. */
  ended(error: string | null): void {
    const failure = error === null ? null : new WorkerEnded(error);
    this.closeChannel(failure ?? new Error(`worker ${this.slot} on host ${this.host} has ended`));
    this.settle(failure);
  }

  /** The agent is gone: everything pending, and `done`, fail with its reason. */
  lost(reason: string): void {
    const error = new WorkerEnded(reason);
    this.closeChannel(error);
    this.settle(error);
  }
}
