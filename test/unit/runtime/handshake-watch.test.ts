import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EarlyStop } from '../../../src/runtime/early-stop.js';
import { HandshakeWatch, type HandshakeFailed } from '../../../src/runtime/handshake-watch.js';

const plan = {
  roles: [
    { group: 'server', instance: 0 },
    { group: 'client', instance: 2 },
  ],
};
const server: HandshakeFailed = {
  kind: 'handshake-failed',
  roleId: 0,
  side: 'server',
  event: 'handshake:error:protocol',
  address: 'tcp://127.0.0.1:5555',
};
const client: HandshakeFailed = {
  kind: 'handshake-failed',
  roleId: 1,
  side: 'client',
  event: 'handshake:error:other',
  address: 'tcp://127.0.0.1:5555',
};
const CLIENT_LINE = 'CURVE handshake failed: client[2] handshake:error:other on tcp://127.0.0.1:5555 (is the server key right?)';
const SERVER_LINE = 'CURVE handshake failed: server[0] handshake:error:protocol on tcp://127.0.0.1:5555 (is the server key right?)';
const WAIT_MS = 30;
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('HandshakeWatch: a failed CURVE handshake before the start fails the run', () => {
  it('the client side fails the run at once, in its words', () => {
    const stop = new EarlyStop();
    const watch = new HandshakeWatch(plan, stop, WAIT_MS);
    watch.open();
    watch.failed(client);
    assert.deepEqual(stop.problems, [CLIENT_LINE]);
    assert.equal(stop.signal.aborted, true);
  });

  it('the server side waits a moment for the client, whose words win', async () => {
    const stop = new EarlyStop();
    const watch = new HandshakeWatch(plan, stop, WAIT_MS);
    watch.open();
    watch.failed(server);
    assert.equal(stop.signal.aborted, false);
    watch.failed(client);
    await wait(WAIT_MS * 2);
    assert.deepEqual(stop.problems, [CLIENT_LINE]);
  });

  it('the server side alone fails the run after that moment', async () => {
    const stop = new EarlyStop();
    const watch = new HandshakeWatch(plan, stop, WAIT_MS);
    watch.open();
    watch.failed(server);
    watch.failed(server);
    await wait(WAIT_MS * 2);
    assert.deepEqual(stop.problems, [SERVER_LINE]);
  });

  it('watches only between open and close: the barrier reached, a later failure is left to the roles', async () => {
    const stop = new EarlyStop();
    const watch = new HandshakeWatch(plan, stop, WAIT_MS);
    watch.failed(client);
    watch.open();
    watch.failed(server);
    watch.close();
    watch.failed(client);
    await wait(WAIT_MS * 2);
    assert.deepEqual(stop.problems, []);
    assert.equal(stop.signal.aborted, false);
  });

  it('a run already stopping gets no handshake problem', async () => {
    const stop = new EarlyStop();
    const watch = new HandshakeWatch(plan, stop, WAIT_MS);
    watch.open();
    watch.failed(server);
    stop.fail('role 1: bind failed');
    watch.failed(client);
    await wait(WAIT_MS * 2);
    assert.deepEqual(stop.problems, ['role 1: bind failed']);
  });
});
