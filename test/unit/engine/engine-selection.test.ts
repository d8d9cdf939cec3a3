import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';
import { engineUnavailable } from '../../../src/engine/availability.js';

/**
 * Which engine a role gets, and what it costs a thread: koffi is loaded only in a thread that
 * asks for the native engine. Checked in fresh worker threads (the test's own thread may have
 * loaded koffi already), through the CommonJS cache that koffi is required into.
 */

const current = new URL('../../../src/engine/current.js', import.meta.url).href;

/** In a new thread: the engines named, in turn; then whether koffi was loaded. */
function koffiLoadedAfter(names: string[]): Promise<{ engines: string[]; koffi: boolean }> {
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    import(workerData.current).then((m) => {
      const engines = workerData.names.map((n) => m.engineNamed(n).name);
      const koffi = Object.keys(require.cache).some((k) => /[\\\\/]koffi[\\\\/]/.test(k));
      parentPort.postMessage({ engines, koffi });
    });`;
  return new Promise((resolve, reject) => {
    const w = new Worker(code, { eval: true, workerData: { current, names } });
    w.once('message', (m: { engines: string[]; koffi: boolean }) => {
      resolve(m);
      void w.terminate();
    });
    w.once('error', reject);
  });
}

describe('engineNamed: the engine of a role', () => {
  it('gives zeromq.js without loading koffi', async () => {
    assert.deepEqual(await koffiLoadedAfter(['zeromq.js']), { engines: ['zeromq.js'], koffi: false });
  });

  it('loads koffi for the native engine', { skip: engineUnavailable('native') ?? false }, async () => {
    assert.deepEqual(await koffiLoadedAfter(['zeromq.js', 'native']), { engines: ['zeromq.js', 'native'], koffi: true });
  });
});
