import { createRequire } from 'node:module';
import type * as Koffi from 'koffi';

/**
 * libzmq's C API through koffi: the only module that imports koffi. Every call is synchronous;
 * callers pass ZMQ_DONTWAIT (or a zero timeout) so that none of them waits inside libzmq for long.
 * Pointers stay opaque outside this module.
 */

/** A C pointer libzmq gave us (a context or a socket). */
export type ZmqPointer = { readonly __zmqPointer: unique symbol };

export interface Libzmq {
  /** the file loaded */
  readonly path: string;
  /** libzmq's version, "4.3.5" */
  readonly version: string;
  ctxNew(): ZmqPointer | null;
  ctxSet(ctx: ZmqPointer, option: number, value: number): number;
  ctxGet(ctx: ZmqPointer, option: number): number;
  socket(ctx: ZmqPointer, type: number): ZmqPointer | null;
  close(socket: ZmqPointer): number;
  setsockopt(socket: ZmqPointer, option: number, value: Buffer, size: number): number;
  /** `size` is a size_t in and out (8 bytes) */
  getsockopt(socket: ZmqPointer, option: number, value: Buffer, size: Buffer): number;
  bind(socket: ZmqPointer, address: string): number;
  connect(socket: ZmqPointer, address: string): number;
  send(socket: ZmqPointer, data: Buffer, size: number, flags: number): number;
  /** `msg` is a zmq_msg_t: 64 bytes of our memory */
  msgInit(msg: Buffer): number;
  msgRecv(msg: Buffer, socket: ZmqPointer, flags: number): number;
  msgMore(msg: Buffer): number;
  /** A copy of a received message's bytes, in JS memory (libzmq reuses its own). */
  msgCopy(msg: Buffer, size: number): Buffer;
  /** `items` are zmq_pollitem_t, POLL_ITEM_BYTES each; write them with writePollItem */
  poll(items: Buffer, count: number, timeoutMs: number): number;
  writePollItem(items: Buffer, index: number, socket: ZmqPointer, events: number): void;
  socketMonitor(socket: ZmqPointer, address: string | null, events: number): number;
  errno(): number;
  strerror(errno: number): string;
  curveKeypair(publicKey: Buffer, secretKey: Buffer): number;
  /**
   * zmq_proxy_steerable, called asynchronously: it runs on a libuv threadpool thread until its
   * control socket says TERMINATE, then `done` gets its return code on this thread. Until then
   * none of the four sockets may be touched here (libzmq sockets are not thread-safe).
   */
  proxySteerable(
    frontend: ZmqPointer,
    backend: ZmqPointer,
    capture: ZmqPointer | null,
    control: ZmqPointer,
    done: (error: Error | null, rc: number) => void,
  ): void;
  /** A pointer as a number (to share a context between threads), and back. */
  address(pointer: ZmqPointer): bigint;
  pointerAt(address: bigint): ZmqPointer;
  /** RADIO and DISH, where the library has libzmq's draft API; else the reason it has not (one line) */
  readonly draft: DraftCalls | string;
}

/** The draft API's calls for RADIO and DISH (zmq_join, and a message's group). */
export interface DraftCalls {
  join(socket: ZmqPointer, group: string): number;
  /** Sends `body` as one message with `group` set: its size, or -errno (the message is closed either way). */
  sendGrouped(socket: ZmqPointer, group: string, body: Buffer, flags: number): number;
  /** The group of the message last received into `msg`. */
  msgGroup(msg: Buffer): string;
}

/** zmq_pollitem_t on 64-bit Unix: void *socket; int fd; short events; short revents. */
export const POLL_ITEM_BYTES = 16;
export const ZMQ_MSG_BYTES = 64;

export type Loaded = { lib: Libzmq } | { reason: string };

type Koffi = typeof Koffi;

function requireKoffi(): Koffi | string {
  try {
    return createRequire(import.meta.url)('koffi') as Koffi;
  } catch (e) {
    return `koffi cannot be loaded (${firstLine(e)})`;
  }
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '';
}

type KoffiFunction = ReturnType<Koffi.LibraryHandle['func']>;

/** libc's memcpy from the process's own symbols; null where they cannot be loaded. */
function libcMemcpy(koffi: Koffi): KoffiFunction | null {
  try {
    return koffi.load(null).func('void *memcpy(void *dst, const void *src, size_t n)');
  } catch {
    return null;
  }
}

/** Received frames are carved from arenas this big; larger frames get their own Buffer. */
const ARENA_BYTES = 1 << 20;
const OWN_BUFFER_BYTES = ARENA_BYTES / 8;

/**
 * Copies a message's bytes into JS memory. libc's memcpy through koffi costs about 0.17 µs for
 * 64 B; a koffi.view of libzmq's memory copied in JS cost 1.26 µs (measured here), so the view is
 * only the fallback where the process's own symbols cannot be loaded. The copies are views of a
 * 1 MiB arena rather than Buffer.allocUnsafe's: a view costs 50 ns at 1 KiB and 80 ns at 8 KiB,
 * allocUnsafe 120 ns and 720 ns (its pool is 8 KiB), and a receiver makes one per message.
 * A frame kept alive keeps its arena alive; the harness keeps few.
 */
function copier(koffi: Koffi, msgData: KoffiFunction, memcpy: KoffiFunction | null): (msg: Buffer, size: number) => Buffer {
  if (memcpy === null) return (msg, size) => (size === 0 ? Buffer.alloc(0) : Buffer.from(new Uint8Array(koffi.view(msgData(msg), size))));
  const copy = memcpy;
  let arena = Buffer.allocUnsafeSlow(ARENA_BYTES);
  let used = 0;
  const take = (size: number): Buffer => {
    if (size >= OWN_BUFFER_BYTES) return Buffer.allocUnsafeSlow(size);
    if (used + size > ARENA_BYTES) {
      arena = Buffer.allocUnsafeSlow(ARENA_BYTES);
      used = 0;
    }
    const out = arena.subarray(used, used + size);
    used += (size + 7) & ~7; // 8-byte aligned, as a header decoder may read 64-bit fields
    return out;
  };
  return (msg, size) => {
    if (size === 0) return Buffer.alloc(0);
    const out = take(size);
    copy(out, msgData(msg), size);
    return out;
  };
}

/**
 * libzmq 4.x keeps a message's flags in byte 43 of zmq_msg_t (64 bytes: metadata pointer,
 * padding, type, flags, routing id, group), and ZMQ_MORE is bit 0. Reading it from our own copy
 * of the struct saves zmq_msg_more, one FFI call of four per received frame (about 40 ns). It is
 * used only when a self-check on an inproc pair agrees with zmq_msg_more on both frames of a
 * two-frame message; otherwise every frame asks zmq_msg_more.
 */
const MSG_FLAGS_OFFSET = 43;
const MSG_FLAG_MORE = 1;

type MoreReader = (msg: Buffer) => number;

/** The raw calls the self-check needs, bound once by bind(). */
interface MoreCheckCalls {
  ctxNew: KoffiFunction;
  ctxTerm: KoffiFunction;
  socket: KoffiFunction;
  close: KoffiFunction;
  bindTo: KoffiFunction;
  connect: KoffiFunction;
  send: KoffiFunction;
  msgInit: KoffiFunction;
  msgClose: KoffiFunction;
  msgRecv: KoffiFunction;
  msgMore: KoffiFunction;
}

function moreReader(calls: MoreCheckCalls): MoreReader {
  const { ctxNew, ctxTerm, socket, close, bindTo, connect, send, msgInit, msgClose, msgRecv, msgMore } = calls;
  const asked: MoreReader = (msg) => msgMore(msg) as number;
  const ctx = ctxNew();
  if (ctx === null) return asked;
  const PAIR = 0;
  const SNDMORE = 2;
  const a = socket(ctx, PAIR);
  const b = socket(ctx, PAIR);
  const msg = Buffer.alloc(ZMQ_MSG_BYTES);
  let agrees = false;
  try {
    const address = `inproc://zmq-bench-more-check-${process.pid}-${Math.random()}`;
    const frame = Buffer.alloc(64);
    if (bindTo(a, address) === 0 && connect(b, address) === 0 && send(b, frame, 64, SNDMORE) === 64 && send(b, frame, 64, 0) === 64) {
      msgInit(msg);
      const first =
        (msgRecv(msg, a, 0) as number) === 64 && (msgMore(msg) as number) === 1 && (msg[MSG_FLAGS_OFFSET]! & MSG_FLAG_MORE) === 1;
      const second =
        (msgRecv(msg, a, 0) as number) === 64 && (msgMore(msg) as number) === 0 && (msg[MSG_FLAGS_OFFSET]! & MSG_FLAG_MORE) === 0;
      agrees = first && second;
      msgClose(msg);
    }
  } finally {
    close(a);
    close(b);
    ctxTerm(ctx);
  }
  return agrees ? (m) => m[MSG_FLAGS_OFFSET]! & MSG_FLAG_MORE : asked;
}

/**
 * The draft calls, when libzmq says it has the draft API (zmq_has("draft"): the prebuilt
 * zeromq addons do) and exports them; else why not. `memcpy` copies a body into libzmq's message
 * (null: through a koffi view, slower).
 */
function draftCalls(
  koffi: Koffi,
  f: (signature: string) => KoffiFunction,
  memcpy: KoffiFunction | null,
  version: string,
): DraftCalls | string {
  let has: KoffiFunction;
  try {
    has = f('int zmq_has(const char *capability)');
  } catch {
    return `libzmq ${version} has no zmq_has, so no draft API: no radio or dish sockets`;
  }
  if ((has('draft') as number) !== 1)
    return `libzmq ${version} was built without its draft API (zmq_has("draft") is 0): no radio or dish sockets`;
  try {
    const join = f('int zmq_join(void *socket, const char *group)');
    const initSize = f('int zmq_msg_init_size(void *msg, size_t size)');
    const data = f('void *zmq_msg_data(void *msg)');
    const setGroup = f('int zmq_msg_set_group(void *msg, const char *group)');
    const group = f('const char *zmq_msg_group(void *msg)');
    const msgSend = f('int zmq_msg_send(void *msg, void *socket, int flags)');
    const msgClose = f('int zmq_msg_close(void *msg)');
    const errno = f('int zmq_errno(void)');
    const out = Buffer.alloc(ZMQ_MSG_BYTES);
    const fill = (size: number, body: Buffer): void => {
      if (size === 0) return;
      if (memcpy !== null) memcpy(data(out), body, size);
      else new Uint8Array(koffi.view(data(out), size)).set(body);
    };
    return {
      join: (socket, g) => join(socket, g) as number,
      sendGrouped: (socket, g, body, flags) => {
        if ((initSize(out, body.length) as number) !== 0) return -(errno() as number);
        fill(body.length, body);
        const sent = (setGroup(out, g) as number) === 0 ? (msgSend(out, socket, flags) as number) : -1;
        if (sent >= 0) return sent; // libzmq owns the message now
        const failed = errno() as number;
        msgClose(out);
        return -failed;
      },
      msgGroup: (msg) => group(msg) as string,
    };
  } catch (e) {
    return `libzmq ${version} says it has the draft API but does not export it (${firstLine(e)}): no radio or dish sockets`;
  }
}

function bind(koffi: Koffi, path: string): Libzmq {
  const handle = koffi.load(path);
  const f = (signature: string) => handle.func(signature);
  const zmq_version = f('void zmq_version(_Out_ int *major, _Out_ int *minor, _Out_ int *patch)');
  const ctxNew = f('void *zmq_ctx_new(void)');
  const ctxSet = f('int zmq_ctx_set(void *ctx, int option, int value)');
  const ctxGet = f('int zmq_ctx_get(void *ctx, int option)');
  const socket = f('void *zmq_socket(void *ctx, int type)');
  const close = f('int zmq_close(void *socket)');
  const setsockopt = f('int zmq_setsockopt(void *socket, int option, void *value, size_t size)');
  const getsockopt = f('int zmq_getsockopt(void *socket, int option, void *value, void *size)');
  const bindTo = f('int zmq_bind(void *socket, const char *address)');
  const connect = f('int zmq_connect(void *socket, const char *address)');
  const send = f('int zmq_send(void *socket, void *data, size_t size, int flags)');
  const msgInit = f('int zmq_msg_init(void *msg)');
  const msgClose = f('int zmq_msg_close(void *msg)');
  const msgRecv = f('int zmq_msg_recv(void *msg, void *socket, int flags)');
  const msgMore = f('int zmq_msg_more(void *msg)');
  const poll = f('int zmq_poll(void *items, int count, long timeout)');
  const socketMonitor = f('int zmq_socket_monitor(void *socket, const char *address, int events)');
  const errno = f('int zmq_errno(void)');
  const strerror = f('const char *zmq_strerror(int errno)');
  const curveKeypair = f('int zmq_curve_keypair(void *publicKey, void *secretKey)');
  const memcpy = libcMemcpy(koffi);
  const copyOut = copier(koffi, f('void *zmq_msg_data(void *msg)'), memcpy);
  const ctxTerm = f('int zmq_ctx_term(void *ctx)');
  const proxySteerable = f('int zmq_proxy_steerable(void *frontend, void *backend, void *capture, void *control)');
  const more = moreReader({ ctxNew, ctxTerm, socket, close, bindTo, connect, send, msgInit, msgClose, msgRecv, msgMore });
  const v = [[0], [0], [0]] as [number[], number[], number[]];
  zmq_version(...v);
  const version = v.map((n) => n[0]).join('.');
  return {
    path,
    version,
    draft: draftCalls(koffi, f, memcpy, version),
    ctxNew: () => ctxNew() as ZmqPointer | null,
    ctxSet: (ctx, option, value) => ctxSet(ctx, option, value) as number,
    ctxGet: (ctx, option) => ctxGet(ctx, option) as number,
    socket: (ctx, type) => socket(ctx, type) as ZmqPointer | null,
    close: (s) => close(s) as number,
    setsockopt: (s, option, value, size) => setsockopt(s, option, value, size) as number,
    getsockopt: (s, option, value, size) => getsockopt(s, option, value, size) as number,
    bind: (s, address) => bindTo(s, address) as number,
    connect: (s, address) => connect(s, address) as number,
    send: (s, data, size, flags) => send(s, data, size, flags) as number,
    msgInit: (msg) => msgInit(msg) as number,
    msgRecv: (msg, s, flags) => msgRecv(msg, s, flags) as number,
    msgMore: more,
    msgCopy: copyOut,
    poll: (items, count, timeoutMs) => poll(items, count, timeoutMs) as number,
    writePollItem: (items, index, s, events) => {
      const at = index * POLL_ITEM_BYTES;
      items.writeBigUInt64LE(koffi.address(s), at);
      items.writeInt32LE(0, at + 8);
      items.writeInt16LE(events, at + 12);
      items.writeInt16LE(0, at + 14);
    },
    socketMonitor: (s, address, events) => socketMonitor(s, address, events) as number,
    errno: () => errno() as number,
    strerror: (n) => strerror(n) as string,
    curveKeypair: (publicKey, secretKey) => curveKeypair(publicKey, secretKey) as number,
    proxySteerable: (frontend, backend, capture, control, done) =>
      proxySteerable.async(frontend, backend, capture, control, (error: unknown, rc: unknown) =>
        done(error === null || error === undefined ? null : error instanceof Error ? error : new Error(String(error)), Number(rc)),
      ),
    address: (pointer) => koffi.address(pointer),
    pointerAt: (address) => {
      const bytes = Buffer.alloc(8);
      bytes.writeBigUInt64LE(address);
      return koffi.decode(bytes, 'void *') as ZmqPointer;
    },
  };
}

/**
 * The first candidate that loads and exports libzmq's C API; when none does, one line that says
 * why (never a throw: a platform without the library must still run the zeromq.js engine).
 */
export function loadLibzmq(candidates: readonly string[]): Loaded {
  const koffi = requireKoffi();
  if (typeof koffi === 'string') return { reason: koffi };
  const failures: string[] = [];
  for (const path of candidates) {
    try {
      return { lib: bind(koffi, path) };
    } catch (e) {
      failures.push(`${path}: ${firstLine(e)}`);
    }
  }
  if (failures.length === 0) return { reason: 'no libzmq to try (the zeromq package is not installed and no system libzmq was named)' };
  return { reason: `libzmq's C API could not be loaded from ${failures.join('; ')}` };
}
