/**
 * The native engine against the zeromq.js engine, through the engine seam: 64 B PUSH/PULL over
 * tcp and inproc, the PULL and the PUSH in two worker threads of this process (as zmq-bench
 * places roles), the engines alternating round by round. Counts in a fixed time after a warm-up.
 *
 * `node dist/bench/native-engine.js [rounds] [durationMs] [sizeBytes]`
 */
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import { loadNativeEngine } from '../src/engine/native/native-engine.js';
import { type NativeBenchWorkerData, RECEIVED, STOP } from './native-engine-shared.js';
import { spread } from './spread.js';

type Engine = NativeBenchWorkerData['engine'];
type Transport = 'tcp' | 'inproc';

const WORKER = new URL('./native-engine-worker.js', import.meta.url);
const WARMUP_MS = 300;

function start(data: NativeBenchWorkerData): {
  worker: Worker;
  exited: Promise<unknown>;
  next: (kind: string) => Promise<Record<string, unknown>>;
} {
  const worker = new Worker(WORKER, { workerData: data });
  // taken now: a worker that exits before anyone awaits its exit would leave that await unsettled
  const exited = once(worker, 'exit');
  const inbox: Array<Record<string, unknown>> = [];
  const waiting: Array<() => void> = [];
  worker.on('message', (m: Record<string, unknown>) => {
    inbox.push(m);
    waiting.shift()?.();
  });
  const next = async (kind: string): Promise<Record<string, unknown>> => {
    for (;;) {
      const i = inbox.findIndex((m) => m.kind === kind);
      if (i >= 0) return inbox.splice(i, 1)[0]!;
      await new Promise<void>((resolve, reject) => {
        waiting.push(resolve);
        worker.once('error', reject);
        worker.once('exit', (code) => reject(new Error(`${data.engine} ${data.role} exited (code ${code}) before '${kind}'`)));
      });
    }
  };
  return { worker, exited, next };
}

let counter = 0;

async function pushPull(
  engine: Engine,
  transport: Transport,
  sizeBytes: number,
  durationMs: number,
  context: SharedArrayBuffer | null,
): Promise<number> {
  const control = new SharedArrayBuffer(4 * Int32Array.BYTES_PER_ELEMENT);
  const shared = new Int32Array(control);
  const address = transport === 'tcp' ? 'tcp://127.0.0.1:*' : `inproc://native-bench-${process.pid}-${counter++}`;
  const base = { engine, sizeBytes, control, context: engine === 'native' ? context : null };
  const receiver = start({ ...base, role: 'receiver', address });
  const { endpoint } = await receiver.next('bound');
  const sender = start({ ...base, role: 'sender', address: String(endpoint) });
  await sender.next('connected');
  await sleep(WARMUP_MS);
  const c0 = Atomics.load(shared, RECEIVED);
  const t0 = process.hrtime.bigint();
  await sleep(durationMs);
  const c1 = Atomics.load(shared, RECEIVED);
  const t1 = process.hrtime.bigint();
  Atomics.store(shared, STOP, 1);
  const r = await receiver.next('result');
  sender.worker.postMessage('close');
  const s = await sender.next('result');
  if (r.received !== s.sent || r.wrongSize !== 0)
    throw new Error(`${engine} ${transport}: sent ${s.sent}, received ${r.received}, wrong size ${r.wrongSize}`);
  await Promise.all([receiver.exited, sender.exited]);
  return (c1 - c0) / (Number(t1 - t0) / 1e9);
}

const k = (x: number) => `${(x / 1000).toFixed(0)}k`;

const [rounds = '3', duration = '1000', size = '64'] = process.argv.slice(2);
if (![rounds, duration, size].every((x) => /^[1-9][0-9]*$/.test(x))) {
  console.error('usage: node dist/bench/native-engine.js [rounds] [durationMs] [sizeBytes] (whole numbers)');
  process.exit(2);
}
const native = loadNativeEngine();
if ('reason' in native) {
  console.log(`skipped: ${native.reason}`);
} else {
  const context = native.engine.shareContext();
  console.log(
    `native engine: ${native.engine.library} (libzmq ${native.engine.versions.libzmq}); ${size} B PUSH/PULL, two worker threads, ${rounds} rounds of ${duration} ms`,
  );
  for (const transport of ['tcp', 'inproc'] as const) {
    const runs: Record<Engine, number[]> = { 'zeromq.js': [], native: [] };
    const ratios: number[] = [];
    for (let round = 0; round < Number(rounds); round++) {
      // alternate which engine goes first, so a drifting machine load favours neither
      const order: Engine[] = round % 2 === 0 ? ['zeromq.js', 'native'] : ['native', 'zeromq.js'];
      const got: Partial<Record<Engine, number>> = {};
      for (const engine of order) {
        if (process.env.DEBUG) console.error(transport, round, engine);
        got[engine] = await pushPull(engine, transport, Number(size), Number(duration), context);
      }
      runs['zeromq.js'].push(got['zeromq.js']!);
      runs.native.push(got.native!);
      ratios.push(got.native! / got['zeromq.js']!);
    }
    const ratio = spread(ratios);
    console.log(
      `${transport}: zeromq.js ${runs['zeromq.js'].map(k).join(' ')} msgs/s; native ${runs.native.map(k).join(' ')} msgs/s; ` +
        `ratio median ${ratio.median.toFixed(1)}x (${ratio.min.toFixed(1)}-${ratio.max.toFixed(1)}x)`,
    );
  }
}
