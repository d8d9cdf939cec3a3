import { parentPort, workerData } from 'node:worker_threads';
import { zeromqjsEngine } from '../../src/engine/zeromqjs-engine.js';

/**
 * A worker thread with an echoing CURVE ROUTER on a free loopback port: posts its address, echoes
 * until told 'stop', then closes its socket and ends by itself (terminating a thread with a
 * pending receive aborts the process, trap 7).
 */

// `node --test dist/test/` runs every file under test/, this one too: outside a worker it does nothing
if (parentPort !== null) await echo((workerData as { secretKey: string }).secretKey);

async function echo(secretKey: string): Promise<void> {
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
}
