import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { type AddressInfo, type Socket, connect, createServer } from 'node:net';
import { after, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { NetFaults, netFaultsSkipReason } from '../../src/transport/net-faults.js';
import { type Flow, establishedConnections, isFlow } from '../../src/transport/tcp-connections.js';

/**
 * The network-fault mechanism on real loopback tcp connections (node:net, no ZeroMQ): each fault
 * hits exactly the connection it names while a second connection on lo keeps flowing.
 */

interface Side {
  socket: Socket;
  received: number;
  errors: string[];
  closed: boolean;
}

interface Pair {
  client: Side;
  server: Side;
  flow: Flow;
  close(): void;
}

function side(socket: Socket): Side {
  const s: Side = { socket, received: 0, errors: [], closed: false };
  socket.on('data', (d: Buffer) => (s.received += d.length));
  socket.on('error', (e: NodeJS.ErrnoException) => s.errors.push(e.code ?? e.message));
  socket.on('close', () => (s.closed = true));
  return s;
}

async function pair(): Promise<Pair> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  const accepted = once(server, 'connection') as Promise<[Socket]>;
  const client = connect({ port, host: '127.0.0.1' });
  await once(client, 'connect');
  const [socket] = await accepted;
  server.close();
  return {
    client: side(client),
    server: side(socket),
    flow: { a: { ip: '127.0.0.1', port: client.localPort! }, b: { ip: '127.0.0.1', port } },
    close: () => {
      client.destroy();
      socket.destroy();
    },
  };
}

/** Until cond() holds or ms pass; whether it held. */
async function until(cond: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (!cond() && Date.now() < end) await sleep(10);
  return cond();
}

/** A ping both ways on the pair gets its answer within 500 ms: the connection is untouched. */
async function flows(p: Pair): Promise<boolean> {
  const [c, s] = [p.client.received, p.server.received];
  p.client.socket.write('ping');
  p.server.socket.write('pong');
  return until(() => p.client.received === c + 4 && p.server.received === s + 4, 500);
}

/** Writes as fast as the socket takes for ms; the bits per second the other side received. */
async function bulk(from: Side, to: Side, ms: number): Promise<number> {
  const chunk = Buffer.alloc(64 * 1024);
  let stop = false;
  const pump = () => {
    while (!stop && from.socket.write(chunk)) {}
  };
  from.socket.on('drain', pump);
  const start = to.received;
  const t0 = performance.now();
  pump();
  await sleep(ms);
  const bits = (to.received - start) * 8;
  const seconds = (performance.now() - t0) / 1000;
  stop = true;
  from.socket.removeListener('drain', pump);
  return bits / seconds;
}

const skip = netFaultsSkipReason();

describe('network faults on loopback', { skip: skip ?? false }, () => {
  const faults = new NetFaults();
  const pairs: Pair[] = [];
  const fresh = async () => {
    const p = await pair();
    pairs.push(p);
    return p;
  };
  after(async () => {
    await faults.removeAll();
    for (const p of pairs) p.close();
  });

  it('lists established connections with their processes', async () => {
    const p = await fresh();
    const mine = (await establishedConnections(undefined, { processes: true })).filter((c) => isFlow(c, p.flow));
    assert.equal(mine.length, 2, 'both ends of the connection');
    for (const c of mine) assert.deepEqual(c.pids, [process.pid]);
  });

  it('partition: silent, the connection stays up, and what was written arrives after the heal', { timeout: 15_000 }, async () => {
    const [p, other] = [await fresh(), await fresh()];
    const applied = await faults.partition([p.flow]);
    p.client.socket.write(Buffer.alloc(1000));
    p.server.socket.write(Buffer.alloc(700));
    assert.ok(await flows(other), 'another connection on lo keeps flowing');
    await sleep(1200);
    assert.equal(p.server.received, 0, 'nothing crosses the partition');
    assert.equal(p.client.received, 0, 'nothing crosses the partition');
    assert.deepEqual([...p.client.errors, ...p.server.errors], [], 'no error on either side');
    assert.ok(!p.client.closed && !p.server.closed, 'no close');
    const up = (await establishedConnections()).filter((c) => isFlow(c, p.flow));
    assert.equal(up.length, 2, 'still established in the kernel');
    await applied.remove();
    // tcp retransmits (RTO 200 ms doubling: the next one ~1.4 s after the first send).
    assert.ok(await until(() => p.server.received === 1000 && p.client.received === 700, 5000), 'all arrives after the heal');
    assert.ok(await flows(p));
  });

  it('cut: both ends fail within a second, others do not', async (t) => {
    const [p, other] = [await fresh(), await fresh()];
    const t0 = performance.now();
    await faults.cut([p.flow]);
    assert.ok(await until(() => p.client.closed && p.server.closed, 1000), 'both ends closed');
    assert.ok(performance.now() - t0 < 1000);
    t.diagnostic(`client ${p.client.errors}, server ${p.server.errors}`);
    assert.equal(p.client.errors.length + p.server.errors.length, 2, `both ends see an error: ${[...p.client.errors, ...p.server.errors]}`);
    for (const e of [...p.client.errors, ...p.server.errors]) assert.match(e, /^(ECONNRESET|ECONNABORTED)$/);
    assert.ok(await flows(other));
  });

  it('slow: 1 mbit holds a bulk transfer near the limit, unshaped traffic runs far faster', { timeout: 15_000 }, async (t) => {
    const [p, other] = [await fresh(), await fresh()];
    const unshaped = await bulk(p.client, p.server, 300);
    await until(() => p.client.socket.writableLength === 0, 2000);
    await sleep(200); // what the kernel still held drains unshaped
    const limit = 1_000_000;
    const applied = await faults.slow([p.flow], limit);
    const [shaped, beside] = await Promise.all([bulk(p.client, p.server, 1500), bulk(other.client, other.server, 300)]);
    await applied.remove();
    const mbit = (bps: number) => `${(bps / 1e6).toFixed(2)} Mbit/s`;
    t.diagnostic(`shaped ${mbit(shaped)}, unshaped ${mbit(unshaped)}, another connection meanwhile ${mbit(beside)}`);
    assert.ok(shaped > 0.5 * limit && shaped < 1.5 * limit, `shaped ${mbit(shaped)}, limit ${mbit(limit)}`);
    assert.ok(unshaped > 20 * limit, `unshaped ${mbit(unshaped)}`);
    assert.ok(beside > 20 * limit, `another connection meanwhile ${mbit(beside)}`);
  });

  it('removeAll leaves no nft table and no qdisc behind', async () => {
    const p = await fresh();
    await faults.partition([p.flow]);
    await faults.slow([p.flow], 8_000_000);
    assert.match(execFileSync('nft', ['list', 'tables'], { encoding: 'utf8' }), new RegExp(`inet ${faults.table}\\b`));
    assert.match(execFileSync('tc', ['qdisc', 'show', 'dev', 'lo'], { encoding: 'utf8' }), /htb/);
    await faults.removeAll();
    assert.doesNotMatch(execFileSync('nft', ['list', 'tables'], { encoding: 'utf8' }), new RegExp(`inet ${faults.table}\\b`));
    assert.doesNotMatch(execFileSync('tc', ['qdisc', 'show', 'dev', 'lo'], { encoding: 'utf8' }), /htb|tbf/);
    assert.ok(await flows(p), 'the healed connection flows');
  });
});
