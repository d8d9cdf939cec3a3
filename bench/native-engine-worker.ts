/**
 * One side of bench/native-engine.ts's PUSH/PULL loop, in a worker thread, driven only through
 * the engine seam (EngineSocket), as roles drive sockets.
 */
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { parentPort, workerData } from 'node:worker_threads';
import type { EngineSocket, SocketEngine } from '../src/engine/engine.js';
import { loadNativeEngine } from '../src/engine/native/native-engine.js';
import { zeromqjsEngine } from '../src/engine/zeromqjs-engine.js';
import { type NativeBenchWorkerData, RECEIVED, SENT, SENT_DONE, STOP } from './native-engine-shared.js';

/** Messages between two yields to the event loop when nothing waits. */
const BATCH = 1000;

const data = workerData as NativeBenchWorkerData;
const control = new Int32Array(data.control);

function engineOf(): SocketEngine {
  if (data.engine === 'zeromq.js') return zeromqjsEngine;
  const native = loadNativeEngine();
  if ('reason' in native) throw new Error(native.reason);
  if (data.context) native.engine.adoptContext(data.context);
  return native.engine;
}

async function receiveAll(pull: EngineSocket): Promise<{ received: number; wrongSize: number }> {
  let n = 0;
  let wrongSize = 0;
  for (;;) {
    for (let i = 0; i < BATCH; i++) {
      let frames = pull.receive();
      if (!Array.isArray(frames)) {
        try {
          frames = await frames;
        } catch {
          if (Atomics.load(control, SENT_DONE) === 1) return { received: n, wrongSize }; // nothing more came
          continue;
        }
      }
      if (frames[0]!.length !== data.sizeBytes) wrongSize++;
      Atomics.store(control, RECEIVED, ++n);
      if (Atomics.load(control, SENT_DONE) === 1 && n >= Atomics.load(control, SENT)) return { received: n, wrongSize };
    }
    await yieldToLoop();
  }
}

async function sendAll(push: EngineSocket): Promise<number> {
  const message = Buffer.alloc(data.sizeBytes);
  let sent = 0;
  while (Atomics.load(control, STOP) === 0) {
    for (let i = 0; i < BATCH; i++) {
      const sending = push.send(message);
      if (sending) await sending;
      sent++;
    }
    await yieldToLoop();
  }
  return sent;
}

const engine = engineOf();
if (data.role === 'receiver') {
  const pull = engine.open({ type: 'pull', options: { rcvtimeo: 2000 }, curve: null });
  await pull.bind(data.address);
  parentPort!.postMessage({ kind: 'bound', endpoint: pull.lastEndpoint });
  const result = await receiveAll(pull);
  pull.close();
  await pull.released;
  parentPort!.postMessage({ kind: 'result', ...result });
} else {
  const push = engine.open({ type: 'push', options: {}, curve: null });
  push.connect(data.address);
  parentPort!.postMessage({ kind: 'connected' });
  const sent = await sendAll(push);
  Atomics.store(control, SENT, sent);
  Atomics.store(control, SENT_DONE, 1);
  // open until the receiver has everything (linger 0 would drop what is still queued)
  await new Promise<void>((resolve) => parentPort!.once('message', () => resolve()));
  push.close();
  await push.released;
  parentPort!.postMessage({ kind: 'result', sent });
}
