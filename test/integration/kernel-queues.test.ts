import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { once } from 'node:events';
import { createServer, connect, type AddressInfo, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { kernelQueuesByEndpoint, readTcpQueues, type EndpointKernelQueues } from '../../src/transport/kernel-queues.js';

const skip = existsSync('/proc/net/tcp')
  ? false
  : '/proc/net/tcp does not exist (not Linux): the kernel tcp queue table cannot be read here';

const MAX_BYTES = 4 * 1024 * 1024;
const CHUNK = Buffer.alloc(64 * 1024, 0x5a);
/** Times a write backs up and no 'drain' follows within STALL_MS: the kernel buffers are then full. */
const STALLS_TO_STOP = 3;
const STALL_MS = 50;

test('unread bytes of a loopback connection show up in the binding side receive queue', { skip, timeout: 20_000 }, async (t) => {
  const accepted: Socket[] = [];
  // pauseOnConnect: Node never reads from the accepted socket, so everything sent stays in the kernel.
  const server = createServer({ pauseOnConnect: true }, (s) => {
    s.on('error', () => {});
    accepted.push(s);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  const client = connect({ port, host: '127.0.0.1' });
  client.on('error', () => {});
  try {
    await once(client, 'connect');

    let written = 0;
    let stalls = 0;
    while (written < MAX_BYTES && stalls < STALLS_TO_STOP) {
      written += CHUNK.length;
      if (client.write(CHUNK)) continue;
      const drained = await Promise.race([once(client, 'drain').then(() => true), sleep(STALL_MS).then(() => false)]);
      if (!drained) stalls++;
    }

    const endpoints = { ep: [`tcp://127.0.0.1:${port}`] };
    let q: EndpointKernelQueues | undefined;
    const deadline = Date.now() + 3_000;
    do {
      q = kernelQueuesByEndpoint(await readTcpQueues(), endpoints).ep;
      if (q && q.connections === 1 && q.bindRecvQueue > 0) break;
      await sleep(50);
    } while (Date.now() < deadline);

    t.diagnostic(`wrote ${written} bytes (${stalls} stalls); kernelQueuesByEndpoint → ${JSON.stringify({ ep: q })}`);
    assert.ok(q, 'the tcp endpoint is reported');
    assert.equal(q.connections, 1);
    assert.ok(q.bindRecvQueue > 0, 'the server never reads, so the kernel holds the bytes on its side');
    // Nothing flows the other way; the kernel cannot hold more than was written.
    assert.equal(q.bindSendQueue, 0);
    assert.equal(q.connectRecvQueue, 0);
    assert.ok(q.bindRecvQueue + q.connectSendQueue <= written);
  } finally {
    client.destroy();
    for (const s of accepted) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});
