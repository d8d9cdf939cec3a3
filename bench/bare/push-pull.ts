/**
 * The smallest correct zeromq.js PUSH/PULL throughput loop, placed as zmq-bench places roles:
 * a PULL (binds) and a PUSH (connects) in two worker threads of this process. Messages are
 * counted in a fixed time after a warm-up: the receiver keeps its count in shared memory and
 * this (idle) thread reads it at both ends of the measured time.
 *
 * Run alone: `node dist/bench/bare/push-pull.js [inproc|ipc|tcp] [size] [durationMs]`.
 */
import { pathToFileURL } from 'node:url';
import { BareWorker, RECEIVED, STOP, bareEndpoint, sleep, type BareTransport } from './common.js';
import type { PushPullWorkerData, ReceiverResult, SenderResult } from './push-pull-worker.js';

export interface BareThroughputOptions {
  transport: BareTransport;
  sizeBytes: number;
  /** messages flow this long before counting starts */
  warmupMs: number;
  /** counting time */
  durationMs: number;
  /** the measuring floor instead of the bare loop (push-pull-worker.ts) */
  measure?: boolean;
}

export interface BareThroughputResult {
  transport: BareTransport;
  sizeBytes: number;
  /** messages received in the measured time / its length */
  msgsPerSec: number;
  /** messages received in the measured time */
  messages: number;
  /** length of the measured time as it happened, s */
  seconds: number;
  /** whole run, warm-up and the tail included */
  sent: number;
  received: number;
  /** received messages whose length was not sizeBytes; 0 unless something is broken */
  wrongSize: number;
}

const WORKER = new URL('./push-pull-worker.js', import.meta.url);

export async function barePushPull(o: BareThroughputOptions): Promise<BareThroughputResult> {
  const endpoint = bareEndpoint(o.transport);
  const control = new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT);
  const shared = new Int32Array(control);
  const data = (role: PushPullWorkerData['role'], address: string): PushPullWorkerData => ({
    role,
    sizeBytes: o.sizeBytes,
    measure: o.measure ?? false,
    address,
    control,
  });
  let receiver: BareWorker | null = null;
  let sender: BareWorker | null = null;
  let stopping: Promise<SenderResult & ReceiverResult> | null = null;
  const stopOnce = () => (stopping ??= stop(shared, sender, receiver));
  try {
    receiver = new BareWorker(WORKER, data('receiver', endpoint.bind));
    const { endpoint: bound } = await receiver.next('bound');
    sender = new BareWorker(WORKER, data('sender', bound));
    await sender.next('connected');
    await sleep(o.warmupMs);
    const c0 = Atomics.load(shared, RECEIVED);
    const t0 = process.hrtime.bigint();
    await sleep(o.durationMs);
    const c1 = Atomics.load(shared, RECEIVED);
    const t1 = process.hrtime.bigint();
    const { sent, received, wrongSize, drained } = await stopOnce();
    if (!drained) throw new Error(`only ${received} of the ${sent} messages sent arrived`);
    const seconds = Number(t1 - t0) / 1e9;
    return {
      transport: o.transport,
      sizeBytes: o.sizeBytes,
      msgsPerSec: (c1 - c0) / seconds,
      messages: c1 - c0,
      seconds,
      sent,
      received,
      wrongSize,
    };
  } finally {
    // After a failure: the same orderly stop, errors ignored (never terminate a zeromq thread).
    if (!stopping) await stopOnce().catch(() => {});
    endpoint.dispose();
  }
}

/**
 * The sender stops at the flag and reports what it sent, its socket still open; the receiver
 * reads all of it and closes; the receiver's thread ends, then the sender's (see the worker).
 */
async function stop(shared: Int32Array, sender: BareWorker | null, receiver: BareWorker | null): Promise<SenderResult & ReceiverResult> {
  Atomics.store(shared, STOP, 1);
  let s: SenderResult = { sent: 0 };
  try {
    if (sender) s = (await sender.next('result')).result as SenderResult;
  } finally {
    // without the sender's count (it failed), the receiver closes at once
    receiver?.post(sender && s.sent > 0 ? { kind: 'stop', expect: s.sent } : { kind: 'stop' });
  }
  const r = receiver ? ((await receiver.next('result')).result as ReceiverResult) : { received: 0, wrongSize: 0, drained: true };
  receiver?.post({ kind: 'exit' });
  const receiverCode = await receiver?.exited;
  sender?.post({ kind: 'exit' });
  const codes = [receiverCode, await sender?.exited];
  if (codes.some((c) => c !== undefined && c !== 0)) throw new Error(`a worker exited with code ${codes.join(', ')}`);
  return { ...s, ...r };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [transport = 'inproc', size = '64', duration = '1000'] = process.argv.slice(2);
  const r = await barePushPull({
    transport: transport as BareTransport,
    sizeBytes: Number(size),
    warmupMs: 200,
    durationMs: Number(duration),
  });
  console.log(JSON.stringify(r));
}
