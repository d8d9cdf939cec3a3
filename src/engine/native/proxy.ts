import { threadId } from 'node:worker_threads';
import type { EngineProxy, ProxyCounters, ProxySideCounters } from '../engine.js';
import { ZMQ_DONTWAIT, ZMQ_LINGER, ZMQ_POLLIN, ZMQ_SOCKET_TYPES } from './constants.js';
import type { Libzmq, ZmqPointer } from './libzmq.js';
import type { Waiter } from './waiter.js';

/**
 * libzmq's zmq_proxy_steerable through koffi's asynchronous call: it blocks a libuv threadpool
 * thread while it runs, and is steered from this thread over an inproc PAIR pair (the proxy
 * reads one end, this thread writes the other): TERMINATE, and STATISTICS, to which libzmq 4.3
 * answers with 8 uint64 frames (per side: frames and bytes received, frames and bytes sent).
 * Never PAUSE or RESUME (docs/zeromq-traps.md 31). Until the proxy returns, its sockets are its
 * thread's alone.
 */

/** The longest wait for a STATISTICS answer: the proxy polls its control socket between bursts. */
const COUNTERS_WAIT_MS = 2000;

let nextProxy = 0;

/** The libzmq sockets a proxy runs between. */
export interface NativeProxySockets {
  frontend: ZmqPointer;
  backend: ZmqPointer;
  capture: ZmqPointer | null;
}

export class NativeProxy implements EngineProxy {
  readonly done: Promise<void>;
  /** this thread's end of the control pair; null once the proxy has returned */
  private control: ZmqPointer | null;
  /** one STATISTICS question at a time: the answers come back in order on one socket */
  private asking: Promise<unknown> = Promise.resolve();
  private readonly waits = new Set<{ fail(e: Error): void }>();

  constructor(
    private readonly lib: Libzmq,
    ctx: ZmqPointer,
    private readonly waiter: Waiter,
    private readonly msg: Buffer,
    sockets: NativeProxySockets,
  ) {
    const address = `inproc://zmq-bench-proxy-${process.pid}-${threadId}-${nextProxy++}`;
    const theirs = this.pairSocket(ctx);
    const ours = this.pairSocket(ctx);
    if (lib.bind(theirs, address) !== 0 || lib.connect(ours, address) !== 0) {
      const why = lib.strerror(lib.errno());
      lib.close(theirs);
      lib.close(ours);
      throw new Error(`proxy control socket: ${why}`);
    }
    this.control = ours;
    this.done = new Promise<void>((resolve, reject) => {
      lib.proxySteerable(sockets.frontend, sockets.backend, sockets.capture, theirs, (error, rc) => {
        // back on this thread: the proxy's thread has let go of every socket
        this.control = null;
        for (const w of this.waits) w.fail(new Error('the proxy stopped before it answered'));
        lib.close(theirs);
        lib.close(ours);
        if (error) reject(error);
        else if (rc !== 0) reject(new Error(`zmq_proxy_steerable returned ${rc}`));
        else resolve();
      });
    });
  }

  private pairSocket(ctx: ZmqPointer): ZmqPointer {
    const socket = this.lib.socket(ctx, ZMQ_SOCKET_TYPES.pair);
    if (socket === null) throw new Error(`proxy control socket: ${this.lib.strerror(this.lib.errno())}`);
    const zero = Buffer.alloc(4);
    this.lib.setsockopt(socket, ZMQ_LINGER, zero, 4);
    return socket;
  }

  counters(): Promise<ProxyCounters> {
    const asked = this.asking.then(() => this.ask());
    this.asking = asked.catch(() => undefined);
    return asked;
  }

  terminate(): void {
    this.command('TERMINATE');
  }

  private command(text: string): boolean {
    if (this.control === null) return false;
    const bytes = Buffer.from(text);
    return this.lib.send(this.control, bytes, bytes.length, ZMQ_DONTWAIT) === bytes.length;
  }

  private ask(): Promise<ProxyCounters> {
    if (!this.command('STATISTICS')) return Promise.reject(new Error('the proxy is not running'));
    const control = this.control!;
    const values: bigint[] = [];
    return new Promise<ProxyCounters>((resolve, reject) => {
      const handle = {
        fail: (e: Error) => {
          this.waits.delete(handle);
          this.waiter.remove(wait);
          reject(e);
        },
      };
      const wait = {
        socket: control,
        events: ZMQ_POLLIN,
        deadline: Date.now() + COUNTERS_WAIT_MS,
        ready: () => {
          if (!this.readValues(control, values)) return false;
          this.waits.delete(handle);
          resolve(countersOf(values));
          return true;
        },
        expire: () => handle.fail(new Error(`the proxy did not answer STATISTICS within ${COUNTERS_WAIT_MS} ms`)),
      };
      this.waits.add(handle);
      this.waiter.add(wait);
    });
  }

  /** Reads the 8-frame answer once it is there (a multipart message arrives whole); false until then. */
  private readValues(control: ZmqPointer, values: bigint[]): boolean {
    for (;;) {
      const size = this.lib.msgRecv(this.msg, control, ZMQ_DONTWAIT);
      if (size < 0) return values.length === 8;
      const frame = this.lib.msgCopy(this.msg, size);
      values.push(frame.length >= 8 ? frame.readBigUInt64LE(0) : 0n);
      if (this.lib.msgMore(this.msg) === 0) return values.length === 8;
    }
  }
}

function countersOf(v: readonly bigint[]): ProxyCounters {
  const side = (at: number): ProxySideCounters => ({
    framesReceived: Number(v[at]),
    bytesReceived: Number(v[at + 1]),
    framesSent: Number(v[at + 2]),
    bytesSent: Number(v[at + 3]),
  });
  return { frontend: side(0), backend: side(4) };
}
