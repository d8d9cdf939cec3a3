import { threadId } from 'node:worker_threads';
import type { SocketEvent } from '../engine.js';
import { ZMQ_DONTWAIT, ZMQ_EVENT_ALL, ZMQ_EVENT_MONITOR_STOPPED, ZMQ_LINGER, ZMQ_MONITOR_EVENTS, ZMQ_SOCKET_TYPES } from './constants.js';
import type { Libzmq, ZmqPointer } from './libzmq.js';

/**
 * A socket's monitor: zmq_socket_monitor publishes its events on an inproc PAIR, read here
 * without blocking on a short timer. Each event is two frames: 6 bytes (uint16 event, uint32
 * value) and the endpoint. After the socket is closed libzmq sends MONITOR_STOPPED; the PAIR is
 * closed then (or after STOP_WAIT_MS, should that never come), and the monitor is over.
 */
const READ_EVERY_MS = 5;
const STOP_WAIT_MS = 2000;

let nextMonitor = 0;
const monitors = new Set<Monitor>();
let timer: NodeJS.Timeout | null = null;

function readAll(): void {
  for (const m of monitors) m.read();
  if (monitors.size === 0 && timer !== null) {
    clearInterval(timer);
    timer = null;
  }
}

export class Monitor {
  private readonly pair: ZmqPointer;
  private readonly msg: Buffer;
  private stopAt = Number.POSITIVE_INFINITY;
  private resolveStopped: () => void = () => {};
  readonly stopped = new Promise<void>((resolve) => (this.resolveStopped = resolve));

  constructor(
    private readonly lib: Libzmq,
    ctx: ZmqPointer,
    socket: ZmqPointer,
    msg: Buffer,
    private readonly onEvent: (event: SocketEvent) => void,
  ) {
    this.msg = msg;
    const address = `inproc://zmq-bench-monitor-${process.pid}-${threadId}-${nextMonitor++}`;
    if (lib.socketMonitor(socket, address, ZMQ_EVENT_ALL) !== 0) throw new Error(`zmq_socket_monitor failed: ${lib.strerror(lib.errno())}`);
    const pair = lib.socket(ctx, ZMQ_SOCKET_TYPES.pair);
    if (pair === null) throw new Error(`monitor socket: ${lib.strerror(lib.errno())}`);
    const zero = Buffer.alloc(4);
    lib.setsockopt(pair, ZMQ_LINGER, zero, 4);
    lib.connect(pair, address);
    this.pair = pair;
    monitors.add(this);
    timer ??= setInterval(readAll, READ_EVERY_MS);
  }

  /** The socket is closed: expect MONITOR_STOPPED soon. */
  socketClosed(): void {
    this.stopAt = Date.now() + STOP_WAIT_MS;
    this.read();
  }

  read(): void {
    for (;;) {
      const event = this.nextEvent();
      if (event === null) break;
      if (event.id === ZMQ_EVENT_MONITOR_STOPPED) return this.stop();
      const type = ZMQ_MONITOR_EVENTS.get(event.id);
      if (type) this.onEvent({ type, address: event.address });
    }
    if (Date.now() >= this.stopAt) this.stop();
  }

  private nextEvent(): { id: number; address: string } | null {
    const size = this.lib.msgRecv(this.msg, this.pair, ZMQ_DONTWAIT);
    if (size < 0) return null;
    const head = this.lib.msgCopy(this.msg, size);
    const more = this.lib.msgMore(this.msg);
    const addressSize = more ? this.lib.msgRecv(this.msg, this.pair, 0) : 0;
    const address = addressSize > 0 ? this.lib.msgCopy(this.msg, addressSize).toString() : '';
    return { id: head.length >= 2 ? head.readUInt16LE(0) : 0, address };
  }

  private stop(): void {
    if (!monitors.delete(this)) return;
    this.lib.close(this.pair);
    this.resolveStopped();
  }
}
