import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';
import { loadNativeEngine, loadNativeEngineFrom } from '../../src/engine/native/native-engine.js';

/** What only the native engine has: a context shared between threads, and a load that may fail. */

describe('native engine loading', () => {
  it('says in one line why it cannot load a library, without throwing', () => {
    const result = loadNativeEngineFrom(['/nonexistent/libzmq.so.5']);
    assert.ok('reason' in result);
    assert.match(result.reason, /^the native engine is not available: .*\/nonexistent\/libzmq\.so\.5/);
    assert.doesNotMatch(result.reason, /\n/);
  });
});

const native = loadNativeEngine();
const skip = 'reason' in native ? native.reason : false;

describe('native engine context', { skip }, () => {
  it('carries inproc between threads through the shared context', async () => {
    if (!('engine' in native)) return;
    const engine = native.engine;
    const address = `inproc://native-shared-${process.pid}`;
    const pull = engine.open({ type: 'pull', options: { rcvtimeo: 5000 }, curve: null });
    await pull.bind(address);
    const moduleUrl = new URL('../../src/engine/native/native-engine.js', import.meta.url).href;
    // the worker adopts the context, connects to this thread's inproc endpoint and sends once
    const code = `
      const { workerData, parentPort } = require('node:worker_threads');
      import(workerData.moduleUrl).then(({ loadNativeEngine }) => {
        const { engine } = loadNativeEngine();
        engine.adoptContext(workerData.context);
        const push = engine.open({ type: 'push', options: {}, curve: null });
        push.connect(workerData.address);
        const sending = push.send(Buffer.from('across threads'));
        Promise.resolve(sending).then(() => parentPort.once('message', () => push.close()));
      });`;
    const worker = new Worker(code, { eval: true, workerData: { moduleUrl, context: engine.shareContext(), address } });
    try {
      const next = pull.receive();
      const frames = Array.isArray(next) ? next : await next;
      assert.deepEqual(frames.map(String), ['across threads']);
    } finally {
      worker.postMessage('close');
      await new Promise((resolve) => worker.once('exit', resolve));
      pull.close();
      await pull.released;
    }
  });
});
