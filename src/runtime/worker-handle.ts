import { MessageChannel, type MessagePort } from 'node:worker_threads';
import type { Piscina } from 'piscina';
import type { Command, Notice, Reply, WorkerInit, WorkerMessage } from '../protocol/control.js';
import { isReply } from '../protocol/control.js';
import { formatDurationMs } from '../core/units.js';

/** A command without its id: the handle numbers them. */
export type CommandBody = Command extends infer C ? (C extends Command ? Omit<C, 'id'> : never) : never;

/**
 * The coordinator's view of one worker, whatever carries the messages: a MessagePort for a
 * thread (ThreadWorkerHandle), the IPC channel of a child process (ProcessWorkerHandle).
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

/**
 * A worker that ended when it should not have: every call it leaves unanswered fails with this
 * same error, so the coordinator reports the end once, in the worker's own words, and not
 * again for each command it was waiting on.
 */
export class WorkerEnded extends Error {}

interface Pending {
  resolve: (reply: Reply) => void;
  reject: (error: Error) => void;
  /** the command's kind, for the error when it is never answered */
  kind: string;
}

/**
 * What every carrier shares: numbering commands, matching replies to them by id, passing
 * notices on. A subclass only says how a command leaves (`post`) and feeds what arrives to
 * `receive`.
 */
export abstract class CommandChannel {
  private readonly pending = new Map<number, Pending>();
  private readonly listeners: Array<(notice: Notice) => void> = [];
  private nextId = 1;
  /** set once the carrier is gone: later calls fail at once instead of waiting forever */
  private closedWith: Error | null = null;

  protected abstract post(command: Command): void;

  call(command: CommandBody): Promise<Reply> {
    if (this.closedWith) return Promise.reject(this.closedWith);
    const id = this.nextId++;
    return new Promise<Reply>((resolve, reject) => {
      this.pending.set(id, { resolve, reject, kind: command.kind });
      try {
        this.post({ ...command, id } as Command);
      } catch (e) {
        this.pending.delete(id);
        reject(e instanceof Error ? e : new Error(String(e)));
      }
    });
  }

  onNotice(listener: (notice: Notice) => void): void {
    this.listeners.push(listener);
  }

  protected receive(m: WorkerMessage): void {
    if (isReply(m)) {
      this.pending.get(m.id)?.resolve(m);
      this.pending.delete(m.id);
    } else {
      for (const l of this.listeners) l(m);
    }
  }

  /** The carrier is gone: every unanswered call, and every later one, fails with `error`. */
  protected closeChannel(error: Error): void {
    this.closedWith ??= error;
    for (const p of this.pending.values())
      p.reject(error instanceof WorkerEnded ? error : new Error(`${error.message} before answering "${p.kind}"`));
    this.pending.clear();
  }
}

/** How long a reply may trail its task's end (they travel on different channels). */
const TASK_END_GRACE_MS = 200;

export class ThreadWorkerHandle extends CommandChannel implements WorkerHandle {
  private readonly port: MessagePort;
  readonly done: Promise<void>;

  constructor(
    pool: Piscina,
    readonly slot: number,
    init: WorkerInit,
  ) {
    super();
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.port.on('message', (m: WorkerMessage) => {
      this.receive(m);
      // `results` is the last message of the protocol; an open port would keep the process alive.
      if (isReply(m) && m.kind === 'results') this.port.close();
    });
    // A MessagePort handed to a task must be transferred (trap 24).
    // The port is not closed when the task ends: its last reply may still be in flight.
    this.done = pool.run({ port: port2, init }, { transferList: [port2] }).then(
      () => undefined,
      (e: unknown) => {
        this.port.close();
        throw e;
      },
    );
    // The task's end and its last reply travel on different channels: give the reply a moment,
    // then fail what is still unanswered. Done once here: a race against `done` per call would
    // hang a reaction on this long-lived promise per call, each holding its reply (histograms
    // and all) until the task ends; at 10 samples a second that grew the coordinator's heap by
    // ~6 MiB a minute in the 1-hour soak.
    const ended = (): void => {
      setTimeout(() => this.closeChannel(new Error(`worker ${slot} ended before answering`)), TASK_END_GRACE_MS).unref();
    };
    this.done.then(ended, ended);
  }

  protected post(command: Command): void {
    this.port.postMessage(command);
  }
}

/** One command, failed after `timeoutMs` without an answer (and at once when the worker has ended). */
export async function callWithin(handle: WorkerHandle, command: CommandBody, timeoutMs: number): Promise<Reply> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`worker ${handle.slot} did not answer "${command.kind}" within ${formatDurationMs(timeoutMs)}`)),
      timeoutMs,
    );
  });
  // A worker that ends without answering fails the call itself (the handle closes its channel).
  try {
    return await Promise.race([handle.call(command), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
