import { MessageChannel, type MessagePort } from 'node:worker_threads';
import type { Piscina } from 'piscina';
import type { Command, Notice, Reply, WorkerInit, WorkerMessage } from '../protocol/control.js';
import { isReply } from '../protocol/control.js';

/** A command without its id: the handle numbers them. */
export type CommandBody = Command extends infer C ? (C extends Command ? Omit<C, 'id'> : never) : never;

/**
 * The coordinator's view of one worker, whatever carries the messages. Threads today
 * (a MessagePort); a child process or remote host implements the same interface.
 */
export interface WorkerHandle {
  readonly slot: number;
  call(command: CommandBody): Promise<Reply>;
  onNotice(listener: (notice: Notice) => void): void;
  /** settles when the worker's task has returned (or failed) */
  readonly done: Promise<void>;
  /**
   * Ends the worker at once, as a crash would (a process gets SIGKILL). Only a process can be
   * killed: a thread with pending zeromq operations cannot be terminated safely (trap 7), so
   * a thread kill is a command to the role instead. After kill(), `done` rejects and `killed` is true.
   */
  kill?(): void;
  readonly killed?: boolean;
}

export class ThreadWorkerHandle implements WorkerHandle {
  private readonly port: MessagePort;
  private readonly pending = new Map<number, (reply: Reply) => void>();
  private readonly listeners: Array<(notice: Notice) => void> = [];
  private nextId = 1;
  readonly done: Promise<void>;

  constructor(
    pool: Piscina,
    readonly slot: number,
    init: WorkerInit,
  ) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.port.on('message', (m: WorkerMessage) => {
      if (isReply(m)) {
        this.pending.get(m.id)?.(m);
        this.pending.delete(m.id);
        // `results` is the last message of the protocol; an open port would keep the process alive.
        if (m.kind === 'results') this.port.close();
      } else {
        for (const l of this.listeners) l(m);
      }
    });
    // A MessagePort handed to a task must be transferred (ZEROMQ-NOTES, piscina 5).
    // The port is not closed when the task ends: its last reply may still be in flight.
    this.done = pool.run({ port: port2, init }, { transferList: [port2] }).then(
      () => undefined,
      (e: unknown) => {
        this.port.close();
        throw e;
      },
    );
  }

  call(command: CommandBody): Promise<Reply> {
    const id = this.nextId++;
    return new Promise<Reply>((resolve) => {
      this.pending.set(id, resolve);
      this.port.postMessage({ ...command, id } as Command);
    });
  }

  onNotice(listener: (notice: Notice) => void): void {
    this.listeners.push(listener);
  }
}
