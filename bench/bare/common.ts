/**
 * What the bare zeromq.js loops share: endpoints, the two worker threads and their messages,
 * and the percentile of a sorted sample. Nothing of zmq-bench itself is used here, so the bare
 * loops measure the binding alone (docs/performance.md compares them with the harness).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

export type BareTransport = 'inproc' | 'ipc' | 'tcp';
export const BARE_TRANSPORTS: readonly BareTransport[] = ['inproc', 'ipc', 'tcp'];

/** Where the binding side binds, and how to clean up after it. */
export interface BareEndpoint {
  /** the address to bind; for tcp, port 0 (the connecting side reads the bound socket's lastEndpoint) */
  bind: string;
  /** removes the ipc folder (nothing for inproc and tcp) */
  dispose(): void;
}

/** Indexes into the PUSH/PULL loop's shared Int32Array: the stop flag, and the receiver's count. */
export const STOP = 0;
export const RECEIVED = 1;

let inprocCounter = 0;

/** A fresh endpoint: a unique inproc name, an ipc path in a new folder under os.tmpdir(), or tcp on a free port. */
export function bareEndpoint(transport: BareTransport): BareEndpoint {
  switch (transport) {
    case 'inproc':
      return { bind: `inproc://bare-${process.pid}-${++inprocCounter}`, dispose: () => {} };
    case 'ipc': {
      const dir = mkdtempSync(join(tmpdir(), 'zmq-bare-'));
      const path = join(dir, 'sock');
      if (path.length > 107) {
        rmSync(dir, { recursive: true, force: true });
        throw new Error(`ipc path ${path} is longer than 107 characters`);
      }
      return { bind: `ipc://${path}`, dispose: () => rmSync(dir, { recursive: true, force: true }) };
    }
    case 'tcp':
      return { bind: 'tcp://127.0.0.1:0', dispose: () => {} };
  }
}

/**
 * The p-th percentile (0..100) of ascending samples, nearest rank; NaN when empty. The small
 * slack keeps p99.9 of 1,000 samples at rank 999 (0.999 × 1000 is 999.0000000000001 in floats).
 */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length - 1e-9);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

/** Messages between the main thread and a bare worker. */
export type FromWorker = { kind: 'bound'; endpoint: string } | { kind: 'connected' } | { kind: 'result'; result: unknown };

/**
 * One worker thread and its messages, awaited by kind. A worker that fails or exits early
 * rejects what is awaited. Workers are never terminated (trap 7): they are told to stop, close
 * their sockets and return; `exited` resolves when they have.
 */
export class BareWorker {
  private readonly worker: Worker;
  private readonly inbox: FromWorker[] = [];
  private waiting: { kind: FromWorker['kind']; resolve: (m: FromWorker) => void; reject: (e: Error) => void } | null = null;
  private failure: Error | null = null;
  readonly exited: Promise<number>;

  constructor(file: URL, workerData: unknown) {
    this.worker = new Worker(file, { workerData });
    this.worker.on('message', (m: FromWorker) => {
      const w = this.waiting;
      if (w && w.kind === m.kind) {
        this.waiting = null;
        w.resolve(m);
      } else this.inbox.push(m);
    });
    const fail = (e: Error) => {
      this.failure ??= e;
      const w = this.waiting;
      this.waiting = null;
      w?.reject(e);
    };
    this.worker.on('error', fail);
    this.exited = new Promise((resolve) =>
      this.worker.on('exit', (code) => {
        fail(new Error(`worker exited (code ${code}) before it answered`));
        resolve(code);
      }),
    );
  }

  /** The next message of this kind (an earlier one that is still unread counts). */
  next<K extends FromWorker['kind']>(kind: K, timeoutMs = 15_000): Promise<Extract<FromWorker, { kind: K }>> {
    const i = this.inbox.findIndex((m) => m.kind === kind);
    if (i >= 0) return Promise.resolve(this.inbox.splice(i, 1)[0] as Extract<FromWorker, { kind: K }>);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting = null;
        reject(new Error(`no ${kind} from the worker within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiting = {
        kind,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m as Extract<FromWorker, { kind: K }>);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
    });
  }

  post(message: ToWorker): void {
    this.worker.postMessage(message);
  }
}

/**
 * Messages from the main thread to a bare worker. `stop`: a receiver closes its socket once it
 * has `expect` messages (all the sender sent; at once when absent). `exit`: after the result,
 * close what is still open and return.
 */
export type ToWorker = { kind: 'stop'; expect?: number } | { kind: 'exit' };

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
