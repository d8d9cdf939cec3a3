import { isDraftType, type SocketOptionName, type SocketType } from '../../scenario/schema.js';
import { connectableEndpoint, type EngineSocket, type NowOrLater, type Outgoing, type Sending } from '../engine.js';
import {
  errnoName,
  fromNativeValue,
  ZMQ_DONTWAIT,
  ZMQ_EVENTS,
  ZMQ_LAST_ENDPOINT,
  ZMQ_OPTION_IDS,
  ZMQ_POLLIN,
  ZMQ_POLLOUT,
  ZMQ_SNDMORE,
  ZMQ_SUBSCRIBE,
} from './constants.js';
import type { DraftCalls, Libzmq, ZmqPointer } from './libzmq.js';
import type { Monitor } from './monitor.js';
import type { Wait, Waiter } from './waiter.js';

/** An Error as the engine seam promises it: `code` is the errno name. */
export function zmqError(lib: Libzmq, what: string, errno = lib.errno()): Error & { code: string; errno: number } {
  return Object.assign(new Error(`${what}: ${lib.strerror(errno)}`), { code: errnoName(errno), errno });
}

/** The error of an operation on a closed socket (zeromq.js reports ENOTSOCK too). */
function closedError(what: string): Error & { code: string } {
  return Object.assign(new Error(`${what}: the socket is closed`), { code: 'ENOTSOCK' });
}

const EAGAIN = 'EAGAIN';
const EINTR = 'EINTR';

/** What a socket needs of its thread: the library, the waiter, a scratch zmq_msg_t. */
export interface ThreadKit {
  lib: Libzmq;
  waiter: Waiter;
  msg: Buffer;
}

interface Pending {
  wait: Wait;
  reject(e: Error): void;
}

/** A libzmq socket driven synchronously: each call answers at once unless it must wait. */
export class NativeSocket implements EngineSocket {
  private socket: ZmqPointer | null;
  private readonly pending = new Set<Pending>();
  private readonly int = Buffer.alloc(8);
  private readonly size = Buffer.alloc(8);
  /** radio and dish: libzmq's draft calls (a message's group); null for every other type */
  private readonly draft: DraftCalls | null;
  /** a radio's groups as text, by the Buffer a role sends them in (a role reuses its group frames) */
  private readonly groupTexts = new WeakMap<Buffer, string>();
  readonly released: Promise<void>;

  constructor(
    readonly type: SocketType,
    socket: ZmqPointer,
    private readonly kit: ThreadKit,
    private readonly timeouts: { send: number; receive: number },
    private readonly monitor: Monitor | null,
  ) {
    this.socket = socket;
    this.draft = isDraftType(type) && typeof kit.lib.draft !== 'string' ? kit.lib.draft : null;
    this.released = monitor ? monitor.stopped : new Promise((resolve) => (this.releaseOnClose = resolve));
  }

  private releaseOnClose: () => void = () => {};

  get closed(): boolean {
    return this.socket === null;
  }

  /** The libzmq socket, for a proxy of this engine (which then owns it until it stops); null once closed. */
  get pointer(): ZmqPointer | null {
    return this.socket;
  }

  get writable(): boolean {
    return this.socket !== null && (this.readInt(ZMQ_EVENTS) & ZMQ_POLLOUT) !== 0;
  }

  get lastEndpoint(): string {
    if (this.socket === null) return '';
    const text = Buffer.alloc(1024);
    this.size.writeBigUInt64LE(BigInt(text.length));
    if (this.kit.lib.getsockopt(this.socket, ZMQ_LAST_ENDPOINT, text, this.size) !== 0) return '';
    const length = Number(this.size.readBigUInt64LE());
    return connectableEndpoint(text.toString('utf8', 0, Math.max(0, length - 1)));
  }

  bind(address: string): Promise<void> {
    const socket = this.socket;
    if (socket === null) return Promise.reject(closedError('bind'));
    if (this.kit.lib.bind(socket, address) !== 0) return Promise.reject(zmqError(this.kit.lib, `bind ${address}`));
    return Promise.resolve();
  }

  connect(address: string): void {
    const socket = this.open('connect');
    if (this.kit.lib.connect(socket, address) !== 0) throw zmqError(this.kit.lib, `connect ${address}`);
  }

  subscribe(prefixes: readonly string[]): void {
    const socket = this.open('subscribe');
    for (const prefix of prefixes) {
      const bytes = Buffer.from(prefix);
      if (this.kit.lib.setsockopt(socket, ZMQ_SUBSCRIBE, bytes, bytes.length) !== 0) throw zmqError(this.kit.lib, 'subscribe');
    }
  }

  join(groups: readonly string[]): void {
    const socket = this.open('join');
    for (const group of groups) if (this.drafted('join').join(socket, group) !== 0) throw zmqError(this.kit.lib, `join ${group}`);
  }

  private drafted(what: string): DraftCalls {
    if (this.draft === null) throw new Error(`${what}: not a radio or dish socket, or libzmq has no draft API`);
    return this.draft;
  }

  send(message: Outgoing): Sending {
    return this.sendWithin(message, this.timeouts.send);
  }

  sendNow(message: Outgoing): Sending {
    return this.sendWithin(message, 0);
  }

  private sendWithin(message: Outgoing, timeoutMs: number): Sending {
    const frames = Array.isArray(message) ? message : [message];
    let next: number;
    try {
      next = this.sendFrom(frames, 0);
    } catch (e) {
      return Promise.reject(e);
    }
    if (next === frames.length) return undefined;
    // only a whole message can be refused: once its first frame is in, the rest always follows
    if (timeoutMs === 0 && next === 0) return Promise.reject(zmqError(this.kit.lib, 'send', 11));
    const sending = this.waitFor(ZMQ_POLLOUT, next === 0 ? timeoutMs : -1, 'send', () => {
      next = this.sendFrom(frames, next);
      return next === frames.length ? true : null;
    });
    return sending.then(() => undefined);
  }

  /** Sends frames from `first` on; the index of the first one not sent (frames.length: all). */
  private sendFrom(frames: readonly Buffer[], first: number): number {
    const socket = this.open('send');
    if (this.draft !== null) return this.sendGrouped(socket, frames);
    const last = frames.length - 1;
    for (let i = first; i <= last; i++) {
      const frame = frames[i]!;
      if (this.kit.lib.send(socket, frame, frame.length, i < last ? ZMQ_DONTWAIT | ZMQ_SNDMORE : ZMQ_DONTWAIT) >= 0) continue;
      const errno = this.kit.lib.errno();
      const code = errnoName(errno);
      if (code === EAGAIN || code === EINTR) return i;
      throw zmqError(this.kit.lib, 'send', errno);
    }
    return frames.length;
  }

  /** A RADIO's [group, body]: the body, with its group; 0 when it could not go yet, 2 once it went. */
  private sendGrouped(socket: ZmqPointer, frames: readonly Buffer[]): number {
    const [group, body] = frames;
    if (frames.length !== 2 || group === undefined || body === undefined) throw new Error('a radio message is [group, body]');
    let text = this.groupTexts.get(group);
    if (text === undefined) {
      text = group.toString('utf8');
      this.groupTexts.set(group, text);
    }
    const sent = this.drafted('send').sendGrouped(socket, text, body, ZMQ_DONTWAIT);
    if (sent >= 0) return frames.length;
    const code = errnoName(-sent);
    if (code === EAGAIN || code === EINTR) return 0;
    throw zmqError(this.kit.lib, 'send', -sent);
  }

  receive(): NowOrLater<Buffer[]> {
    const frames: Buffer[] = [];
    try {
      if (this.receiveInto(frames)) return frames;
    } catch (e) {
      return Promise.reject(e);
    }
    if (this.timeouts.receive === 0) return Promise.reject(zmqError(this.kit.lib, 'receive', 11));
    return this.waitFor(ZMQ_POLLIN, frames.length === 0 ? this.timeouts.receive : -1, 'receive', () =>
      this.receiveInto(frames) ? frames : null,
    );
  }

  /** Reads the rest of a message into `frames`; false when libzmq has nothing (more) yet. */
  private receiveInto(frames: Buffer[]): boolean {
    const socket = this.open('receive');
    const { lib, msg } = this.kit;
    for (;;) {
      const size = lib.msgRecv(msg, socket, ZMQ_DONTWAIT);
      if (size < 0) {
        const errno = lib.errno();
        const code = errnoName(errno);
        if (code === EAGAIN || code === EINTR) return false;
        throw zmqError(lib, 'receive', errno);
      }
      // a DISH's message carries its group: the group goes first, like a topic frame
      if (this.draft !== null) frames.push(Buffer.from(this.draft.msgGroup(msg)));
      frames.push(lib.msgCopy(msg, size));
      if (lib.msgMore(msg) === 0) return true;
    }
  }

  /** Waits until `attempt` gives a value, the socket is closed, or the timeout (-1: none) passes. */
  private waitFor<T>(events: number, timeoutMs: number, what: string, attempt: () => T | null): Promise<T> {
    const socket = this.open(what);
    return new Promise<T>((resolve, reject) => {
      const pending: Pending = {
        reject,
        wait: {
          socket,
          events,
          deadline: timeoutMs < 0 ? Number.POSITIVE_INFINITY : Date.now() + timeoutMs,
          ready: () => {
            try {
              const value = attempt();
              if (value === null) return false;
              this.pending.delete(pending);
              resolve(value);
            } catch (e) {
              this.pending.delete(pending);
              reject(e);
            }
            return true;
          },
          expire: () => {
            this.pending.delete(pending);
            reject(zmqError(this.kit.lib, what, 11));
          },
        },
      };
      this.pending.add(pending);
      this.kit.waiter.add(pending.wait);
    });
  }

  readOptions(names: readonly SocketOptionName[]): Record<string, unknown> {
    const socket = this.open('readOptions');
    const bytes = Buffer.alloc(256); // the longest option read: a routing id of 255 bytes
    return Object.fromEntries(
      names.map((n) => {
        const option = ZMQ_OPTION_IDS[n];
        this.size.writeBigUInt64LE(BigInt(option.kind === 'bytes' ? bytes.length : option.kind === 'int64' ? 8 : 4));
        if (this.kit.lib.getsockopt(socket, option.id, bytes, this.size) !== 0) throw zmqError(this.kit.lib, `getsockopt ${n}`);
        return [n, fromNativeValue(option, bytes, Number(this.size.readBigUInt64LE()))];
      }),
    );
  }

  private readInt(option: number): number {
    this.size.writeBigUInt64LE(4n);
    if (this.kit.lib.getsockopt(this.open('getsockopt'), option, this.int, this.size) !== 0)
      throw zmqError(this.kit.lib, `getsockopt ${option}`);
    return this.int.readInt32LE(0);
  }

  private open(what: string): ZmqPointer {
    if (this.socket === null) throw closedError(what);
    return this.socket;
  }

  close(): void {
    const socket = this.socket;
    if (socket === null) return;
    this.socket = null;
    for (const p of this.pending) {
      this.kit.waiter.remove(p.wait);
      p.reject(closedError('close'));
    }
    this.pending.clear();
    this.kit.lib.close(socket);
    if (this.monitor) this.monitor.socketClosed();
    else this.releaseOnClose();
  }
}
