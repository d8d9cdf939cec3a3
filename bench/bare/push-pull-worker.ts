/**
 * The two roles of the bare PUSH/PULL throughput loop, one per worker thread (see push-pull.ts).
 * As libzmq's local_thr/remote_thr, minus what zeromq.js forbids: the sender awaits each send
 * (one send in flight per socket, trap 4) and allocates a fresh Buffer per message (a reused
 * buffer over 128 B is corrupted, trap 3); the receiver reads with `for await`.
 *
 * With `measure`, the same loops also do the least a measurement needs per message
 * (measuring.ts): the "measuring floor" of bench/overhead.ts.
 */
import { workerData } from 'node:worker_threads';
import * as zmq from 'zeromq';
import { RECEIVED, STOP } from './common.js';
import { done, post, received, releaseReceivedMessages } from './worker-side.js';
import { checkedSend, measuringArrival, measuringStamp } from './measuring.js';

/** Imported by the main thread as types only: importing this module runs a role. */
export interface PushPullWorkerData {
  role: 'sender' | 'receiver';
  sizeBytes: number;
  /** the measuring floor: stamp, check, decode, track and record per message (see above) */
  measure: boolean;
  /** receiver: where to bind; sender: where to connect (the receiver's lastEndpoint) */
  address: string;
  /** SharedArrayBuffer of 2 Int32: [STOP] set by the main thread, [RECEIVED] kept by the receiver */
  control: SharedArrayBuffer;
}

export interface SenderResult {
  sent: number;
  /** measuring floor: ms spent in sends that found the socket not writable */
  blockedMs?: number;
}
export interface ReceiverResult {
  received: number;
  /** messages whose length was not sizeBytes (0 when all is well) */
  wrongSize: number;
  /** false when not everything sent had arrived DRAIN_LIMIT_MS after the stop */
  drained: boolean;
}

/** Longest wait for the rest of the messages after the stop. */
const DRAIN_LIMIT_MS = 5000;

// Undeliverable messages must not hold the process at exit (trap 2); linger 0 on each socket too.
zmq.context.blocky = false;

const data = workerData as PushPullWorkerData;
const control = new Int32Array(data.control);

/**
 * The PULL: counts what arrives until told to stop, then reads the rest and closes. The socket
 * lives in this function only, so that once it returns the garbage collection can release
 * every received buffer (a socket still referenced from module scope keeps its last message).
 */
async function receive(): Promise<ReceiverResult> {
  const pull = new zmq.Pull();
  pull.linger = 0;
  await pull.bind(data.address);
  post({ kind: 'bound', endpoint: pull.lastEndpoint ?? data.address });
  let n = 0;
  let wrongSize = 0;
  const measure = data.measure ? await measuringArrival() : null;
  // Told to stop once the sender has stopped (its socket still open, so nothing is dropped):
  // read until everything it sent has arrived, then close. Closing ends the pending receive.
  let expect = Number.POSITIVE_INFINITY;
  let fallback: NodeJS.Timeout | undefined;
  void received('stop').then((m) => {
    expect = m.expect ?? 0;
    if (n >= expect) pull.close();
    else fallback = setTimeout(() => pull.close(), DRAIN_LIMIT_MS);
  });
  try {
    for await (const [msg] of pull) {
      if (msg!.length !== data.sizeBytes) wrongSize++;
      measure?.(msg!);
      // The main thread reads the count at the start and the end of the measured time.
      Atomics.store(control, RECEIVED, ++n);
      if (n >= expect) pull.close();
    }
  } catch (e) {
    if (!pull.closed) throw e; // closed under a pending receive: ENOTSOCK (trap 6)
  }
  clearTimeout(fallback);
  return { received: n, wrongSize, drained: n >= expect };
}

/** The PUSH: a fresh Buffer per message, each send awaited, until the shared stop flag. */
async function send(): Promise<{ result: SenderResult; close: () => void }> {
  const push = new zmq.Push();
  push.linger = 0;
  push.connect(data.address);
  if (data.measure) return sendMeasuring(push);
  post({ kind: 'connected' });
  let sent = 0;
  // A shared flag, not a port message: while sends complete at once, the loop runs on
  // microtasks and a port message could wait long for its turn.
  while (Atomics.load(control, STOP) === 0) {
    await push.send(Buffer.alloc(data.sizeBytes));
    sent++;
  }
  return { result: { sent }, close: () => push.close() };
}

/** The sender of the measuring floor: as send(), plus what each message needs to be measured. */
async function sendMeasuring(push: zmq.Push): Promise<{ result: SenderResult; close: () => void }> {
  const stamp = await measuringStamp(data.sizeBytes);
  post({ kind: 'connected' });
  let sent = 0;
  let blockedNs = 0;
  while (Atomics.load(control, STOP) === 0) {
    blockedNs += await checkedSend(push, stamp(sent));
    sent++;
  }
  return { result: { sent, blockedMs: blockedNs / 1e6 }, close: () => push.close() };
}

if (data.role === 'receiver') {
  const result = await receive();
  await releaseReceivedMessages();
  await done(result);
} else {
  const { result, close } = await send();
  // The socket stays open until the receiver has read everything and its thread has ended:
  // a message dropped at close, or a received buffer released later, calls back into this
  // thread's zeromq module (messages over 128 B are sent without a copy; docs/zeromq-traps.md trap 16).
  await done(result, close);
}
