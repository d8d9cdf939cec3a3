import assert from 'node:assert/strict';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';
import { startZap } from '../../src/agent/zap.js';
import type { EngineSocket, SocketEvent } from '../../src/engine/engine.js';
import { zeromqjsEngine } from '../../src/engine/zeromqjs-engine.js';
import type { CurveKeyPair } from '../../src/scenario/plan.js';

/**
 * The ZAP handler with real sockets: a ROUTER as CURVE server on tcp, DEALERs as CURVE clients.
 * This file's process is the only one its handler answers for (one libzmq context per process).
 */

const server = zeromqjsEngine.curveKeyPair();
const coordinator = zeromqjsEngine.curveKeyPair();
const stranger = zeromqjsEngine.curveKeyPair();

/** A promise's value, or null after `ms` (the timer cleared either way: trap 19). */
async function within<T>(ms: number, promise: Promise<T>): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

/** An echoing CURVE ROUTER on a free loopback port, and its events. */
async function echoServer(): Promise<{ socket: EngineSocket; address: string; events: SocketEvent[] }> {
  const events: SocketEvent[] = [];
  const socket = zeromqjsEngine.open(
    { type: 'router', options: { linger: 0 }, curve: { as: 'server', secretKey: server.secretKey } },
    (e) => events.push(e),
  );
  await socket.bind('tcp://127.0.0.1:*');
  void (async () => {
    try {
      for (;;) await socket.send(zeromqjsEngine.resendable(await socket.receive()));
    } catch {
      // closed
    }
  })();
  return { socket, address: socket.lastEndpoint, events };
}

/** Whether a DEALER with these keys gets its message echoed within `ms`. */
async function echoes(address: string, keys: CurveKeyPair, ms: number): Promise<boolean> {
  const dealer = zeromqjsEngine.open({
    type: 'dealer',
    options: { linger: 0 },
    curve: { as: 'client', serverKey: server.publicKey, publicKey: keys.publicKey, secretKey: keys.secretKey },
  });
  try {
    dealer.connect(address);
    await dealer.send(Buffer.from('hello'));
    const reply = await within(ms, Promise.resolve(dealer.receive()));
    return reply?.[0]?.toString() === 'hello';
  } finally {
    dealer.close();
    await dealer.released;
  }
}

describe('ZAP handler', () => {
  it('without a handler, libzmq lets any CURVE client in (trap 28)', async () => {
    const s = await echoServer();
    try {
      assert.equal(await echoes(s.address, stranger, 2000), true);
    } finally {
      s.socket.close();
    }
  });

  it('lets the allowed key in, refuses another with one log line naming its address', async () => {
    const lines: string[] = [];
    const zap = await startZap([coordinator.publicKey], (l) => lines.push(l));
    const s = await echoServer();
    try {
      assert.equal(await echoes(s.address, coordinator, 2000), true);
      assert.deepEqual(lines, []);
      assert.equal(await echoes(s.address, stranger, 500), false);
      assert.deepEqual(lines, ["refused a connection from 127.0.0.1: its CURVE key is not the coordinator's"]);
      assert.ok(
        s.events.some((e) => e.type === 'handshake:error:auth'),
        'the server saw the refusal',
      );
    } finally {
      s.socket.close();
      await zap.stop();
    }
    await zap.ended;
  });

  it('allow() lets one more key in until withdrawn', async () => {
    const lines: string[] = [];
    const zap = await startZap([coordinator.publicKey], (l) => lines.push(l));
    const s = await echoServer();
    try {
      const withdraw = zap.allow(stranger.publicKey);
      assert.equal(await echoes(s.address, stranger, 2000), true);
      withdraw();
      assert.equal(await echoes(s.address, stranger, 500), false);
      assert.equal(lines.length, 1);
      assert.equal(await echoes(s.address, coordinator, 2000), true, 'the coordinator is still allowed');
    } finally {
      s.socket.close();
      await zap.stop();
    }
  });

  it("answers for a worker thread's CURVE server too: one context per process", async () => {
    const lines: string[] = [];
    const zap = await startZap([coordinator.publicKey], (l) => lines.push(l));
    const worker = new Worker(new URL('../support/curve-echo-worker.js', import.meta.url), { workerData: { secretKey: server.secretKey } });
    try {
      const [address] = (await once(worker, 'message')) as [string];
      assert.equal(await echoes(address, coordinator, 2000), true);
      assert.equal(await echoes(address, stranger, 500), false);
      assert.equal(lines.length, 1);
    } finally {
      worker.postMessage('stop');
      await once(worker, 'exit');
      await zap.stop();
    }
  });

  it('is one per process: a second one is refused while the first runs, and can start once it stopped', async () => {
    const first = await startZap([], () => {});
    await assert.rejects(
      startZap([], () => {}),
      { code: 'EADDRINUSE' },
    );
    await first.stop();
    const again = await startZap([], () => {});
    await again.stop();
  });
});
