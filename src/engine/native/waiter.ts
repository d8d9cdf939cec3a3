import { setImmediate as immediate } from 'node:timers';
import { type Libzmq, POLL_ITEM_BYTES, type ZmqPointer } from './libzmq.js';

/**
 * How a native socket waits without holding the thread's event loop. A send that finds the
 * queue full, or a receive that finds it empty, registers a Wait here; one loop per thread polls
 * every waiting socket at once with zmq_poll and a short timeout, then yields to the event loop
 * (setImmediate), so timers and control messages run between steps:
 *  - the first step after a new wait polls without blocking when several sockets wait (the
 *    common case at high rates: the peer has made room or sent by the next tick, and the other
 *    waits' JS runs first); a lone wait (a REQ/REP round trip) blocks at once instead, since a
 *    non-blocking turn first costs an extra event-loop turn per hop;
 *  - later steps block in zmq_poll for at most MAX_BLOCK_MS, or until the nearest deadline,
 *    and wake at once when a socket becomes ready (libzmq signals its fd), so a waiting REQ
 *    sees its reply within microseconds, not at the next timer tick, and an idle wait costs
 *    no spinning.
 * A thread waiting on nothing never polls.
 */
export const MAX_BLOCK_MS = 1;

export interface Wait {
  readonly socket: ZmqPointer;
  /** ZMQ_POLLIN or ZMQ_POLLOUT */
  readonly events: number;
  /** Date.now() after which the wait expires; Infinity: never */
  readonly deadline: number;
  /** The socket may be ready: try again. True when the wait is over (done or failed). */
  ready(): boolean;
  /** The deadline passed first. */
  expire(): void;
}

export class Waiter {
  private readonly waits = new Set<Wait>();
  private items = Buffer.alloc(POLL_ITEM_BYTES * 8);
  private scheduled = false;
  private fresh = true;

  constructor(private readonly lib: Libzmq) {}

  add(wait: Wait): void {
    this.waits.add(wait);
    this.fresh = true;
    this.schedule();
  }

  /** Ends a wait without a word (its socket is closing; the caller settles it). */
  remove(wait: Wait): void {
    this.waits.delete(wait);
  }

  get size(): number {
    return this.waits.size;
  }

  private schedule(): void {
    if (this.scheduled || this.waits.size === 0) return;
    this.scheduled = true;
    immediate(() => this.step());
  }

  private timeoutMs(waits: readonly Wait[]): number {
    if (this.fresh && waits.length > 1) return 0;
    const nearest = Math.min(...waits.map((w) => w.deadline)) - Date.now();
    return Math.max(0, Math.min(MAX_BLOCK_MS, Math.ceil(nearest)));
  }

  private step(): void {
    this.scheduled = false;
    const waits = [...this.waits];
    if (waits.length === 0) return;
    if (this.items.length < waits.length * POLL_ITEM_BYTES) this.items = Buffer.alloc(waits.length * 2 * POLL_ITEM_BYTES);
    waits.forEach((w, i) => this.lib.writePollItem(this.items, i, w.socket, w.events));
    const timeout = this.timeoutMs(waits);
    this.fresh = false;
    // an error (EINTR, or a socket closed meanwhile) leaves every wait to try again itself
    const polled = this.lib.poll(this.items, waits.length, timeout);
    const now = Date.now();
    waits.forEach((w, i) => {
      if (!this.waits.has(w)) return;
      const revents = this.items.readInt16LE(i * POLL_ITEM_BYTES + 14);
      if ((polled < 0 || (revents & w.events) !== 0) && w.ready()) this.waits.delete(w);
      else if (now >= w.deadline) {
        this.waits.delete(w);
        w.expire();
      }
    });
    this.schedule();
  }
}
