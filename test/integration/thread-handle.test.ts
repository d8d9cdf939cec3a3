import assert from 'node:assert/strict';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { after, describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Piscina } from 'piscina';
import { PROTOCOL_VERSION } from '../../src/protocol/control.js';
import { ThreadWorkerHandle, callWithin } from '../../src/runtime/worker-handle.js';

/**
 * The coordinator's handle on a worker thread, with a real worker (no roles). The 1-hour soak
 * found the coordinator's heap growing by ~6 MiB a minute: every call raced the task's
 * long-lived `done` promise, which kept each reply alive until the task ended.
 */

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const pool = new Piscina({
  filename: new URL('../../src/runtime/worker.js', import.meta.url).href,
  minThreads: 1,
  maxThreads: 1,
  idleTimeout: Number.MAX_SAFE_INTEGER,
});
after(() => pool.destroy());

const init = { protocolVersion: PROTOCOL_VERSION, slot: 0, roles: [], warmup: false };

/** A reply's object, only weakly held here, and whether the call can still see it. */
async function weakReply(h: ThreadWorkerHandle): Promise<WeakRef<object>> {
  const reply = await callWithin(h, { kind: 'sample' }, 5000);
  assert.equal(reply.kind, 'sample');
  return new WeakRef(reply);
}

describe('ThreadWorkerHandle', () => {
  it('keeps no reply once it is answered, while the worker goes on', async () => {
    const h = new ThreadWorkerHandle(pool, 0, init);
    let alive = -1;
    try {
      const refs: Array<WeakRef<object>> = [];
      for (let i = 0; i < 20; i++) refs.push(await weakReply(h));
      // WeakRefs hold their target until the current job ends; then a full collection.
      await nextTurn();
      gc();
      await nextTurn();
      gc();
      alive = refs.filter((r) => r.deref() !== undefined).length;
    } finally {
      // Whatever happened, the task ends and its port closes, so the test file can exit.
      assert.equal((await callWithin(h, { kind: 'finish' }, 5000)).kind, 'results');
      await h.done;
    }
    assert.equal(alive, 0, `${alive} of 20 replies still reachable from the handle`);
  });

  it('a call after the task ended fails at once, not at its timeout', async () => {
    const h = new ThreadWorkerHandle(pool, 0, init);
    assert.equal((await h.call({ kind: 'finish' })).kind, 'results');
    await h.done;
    await new Promise((resolve) => setTimeout(resolve, 300)); // the grace for trailing replies
    const t0 = performance.now();
    await assert.rejects(callWithin(h, { kind: 'status' }, 10_000), /worker 0 ended before answering/);
    assert.ok(performance.now() - t0 < 1000, 'not after the 10 s timeout');
  });
});
