import { parentPort, workerData } from 'node:worker_threads';
import { zeromqjsEngine } from '../../src/engine/zeromqjs-engine.js';

/**
 * A worker thread with an echoing CURVE ROUTER on a free loopback port: posts its address, echoes
 * until told 'stop', then closes its socket and ends by itself (terminating a thread with a
 * pending receive aborts the process, trap 7).
 */

const { secretKey } = workerData as { secretKey: string };
const socket = zeromqjsEngine.open({ type: 'router', options: { linger: 0 }, curve: { as: 'server', secretKey } });
await socket.bind('tcp://127.0.0.1:*');
parentPort?.once('message', () => {
  socket.close();
  parentPort?.close();
});
parentPort?.postMessage(socket.lastEndpoint);
try {
  for (;;) await socket.send(zeromqjsEngine.resendable(await socket.receive()));
} catch {
  // closed
}
