import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  KernelQueueSampler,
  decodeProcNetAddress,
  kernelQueuesByEndpoint,
  loopbackTcpTarget,
  parseProcNetTcp,
  procNetTcpFilesFor,
  readTcpQueues,
  type TcpSocketQueue,
} from '../../../src/transport/kernel-queues.js';

// Shaped like a little-endian host's /proc/net/tcp (trailing columns copied from a real one).
const TCP = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:A0F3 00000000:0000 0A 00000000:00000002 00:00000000 00000000     0        0 1150 1 000000007191ecf0 100 0 0 10 0
   1: 0100007F:A0F3 0100007F:C350 01 00000010:00100000 00:00000000 00000000  1000        0 2001 1 0000000029ba9e32 20 0 0 10 -1
   2: 0100007F:C350 0100007F:A0F3 01 00200000:00000000 00:00000000 00000000  1000        0 2002 2 000000001c89f42f 20 0 0 10 -1
   3: 0100007F:A0F3 0100007F:C351 01 00000000:00000005 00:00000000 00000000  1000        0 2003 1 0000000029ba9e33 20 0 0 10 -1
   4: 0100007F:C351 0100007F:A0F3 01 00000000:00000007 00:00000000 00000000  1000        0 2004 2 000000001c89f430 20 0 0 10 -1
   5: 0100007F:A0F3 0100007F:C352 06 00000400:00000400 00:00000000 00000000     0        0 0 1 0000000000000000 20 0 0 10 -1
   6: 0F02000A:D431 2200A8C0:01BB 01 00000100:00000000 00:00000000 00000000  1000        0 2006 1 000000009c74849a 20 0 0 10 -1
   7: 0F02000A:A0F3 2200A8C0:1F90 01 00000999:00000999 00:00000000 00000000  1000        0 2007 1 000000009c74849b 20 0 0 10 -1
   8: 0100007F:9D68 0100007F:B639 01 00000003:00000000 00:00000000 00000000  1000        0 39248 2 000000009c74849c 20 0 0 10 -1
`;

const TCP6 = `  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000000000000000000001000000:B3F5 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 39245 1 000000008728f781 100 0 0 10 0
   1: 00000000000000000000000001000000:B3F5 00000000000000000000000001000000:8B04 01 00000000:00000300 00:00000000 00000000     0        0 39249 1 0000000029ba9e32 20 0 0 10 -1
   2: 00000000000000000000000001000000:8B04 00000000000000000000000001000000:B3F5 01 00000040:00000000 00:00000000 00000000     0        0 39247 2 000000001c89f42f 20 0 0 10 -1
   3: 0000000000000000FFFF00000100007F:B639 0000000000000000FFFF00000100007F:9D68 01 00000000:00000011 00:00000000 00000000     0        0 39250 1 0000000065a14bbf 20 0 0 10 -1
   4: B80D0120000000000000000001000000:C000 B80D0120000000000000000002000000:01BB 01 00000001:00000001 00:00000000 00000000     0        0 39251 1 0000000065a14bc0 20 0 0 10 -1
`;

test('parses /proc/net/tcp rows: addresses, ports, state and both queues', () => {
  const rows = parseProcNetTcp(TCP, 'LE');
  assert.equal(rows.length, 9);
  assert.deepEqual(rows[0], {
    localAddress: '127.0.0.1',
    localPort: 41203,
    remoteAddress: '0.0.0.0',
    remotePort: 0,
    state: 0x0a,
    sendQueueBytes: 0,
    recvQueueBytes: 2,
  });
  assert.deepEqual(rows[1], {
    localAddress: '127.0.0.1',
    localPort: 41203,
    remoteAddress: '127.0.0.1',
    remotePort: 50000,
    state: 1,
    sendQueueBytes: 16,
    recvQueueBytes: 1 << 20,
  });
  assert.equal(rows[2]!.sendQueueBytes, 2 << 20);
  assert.equal(rows[5]!.state, 0x06);
  assert.deepEqual(
    [rows[6]!.localAddress, rows[6]!.localPort, rows[6]!.remoteAddress, rows[6]!.remotePort],
    ['10.0.2.15', 54321, '192.168.0.34', 443],
  );
});

test('parses /proc/net/tcp6 rows, including IPv4-mapped and global addresses', () => {
  const rows = parseProcNetTcp(TCP6, 'LE');
  assert.equal(rows.length, 5);
  assert.deepEqual(rows[0]!.localAddress, '::1');
  assert.deepEqual(rows[0]!.remoteAddress, '::');
  assert.deepEqual(rows[1], {
    localAddress: '::1',
    localPort: 46069,
    remoteAddress: '::1',
    remotePort: 35588,
    state: 1,
    sendQueueBytes: 0,
    recvQueueBytes: 0x300,
  });
  assert.equal(rows[3]!.localAddress, '::ffff:127.0.0.1');
  assert.equal(rows[4]!.localAddress, '2001:db8::1');
  assert.equal(rows[4]!.remoteAddress, '2001:db8::2');
});

test('skips blank, truncated and malformed lines instead of throwing', () => {
  const text = `${TCP.split('\n')[0]}\n\n   0: 0100007F:A0F3\n   1: XYZ:0000 00000000:0000 01 00000000:00000000\n   2: 0100007F:0050 0100007F:C350 01 00000000:00000000 00:00000000\n`;
  const rows = parseProcNetTcp(text, 'LE');
  assert.equal(rows.length, 1);
  assert.equal(rows[0]!.localPort, 80);
  assert.deepEqual(parseProcNetTcp('', 'LE'), []);
});

test('decodes addresses word by word, in either byte order, to RFC 5952 text', () => {
  assert.equal(decodeProcNetAddress('0100007F', 'LE'), '127.0.0.1');
  assert.equal(decodeProcNetAddress('7F000001', 'BE'), '127.0.0.1');
  assert.equal(decodeProcNetAddress('0F02000A', 'LE'), '10.0.2.15');
  assert.equal(decodeProcNetAddress('00000000000000000000000001000000', 'LE'), '::1');
  assert.equal(decodeProcNetAddress('00000000000000000000000000000001', 'BE'), '::1');
  assert.equal(decodeProcNetAddress('000080FE000000000000000001000000', 'LE'), 'fe80::1');
  // A single zero group is not compressed; on a tie the leftmost run is.
  assert.equal(decodeProcNetAddress('B80D0120' + '01000000' + '01000100' + '01000100', 'LE'), '2001:db8:0:1:1:1:1:1');
  assert.equal(decodeProcNetAddress('B80D01200000000000000100' + '01000000', 'LE'), '2001:db8::1:0:0:1');
  assert.equal(decodeProcNetAddress('20010db8000000000001000000000001', 'BE'), '2001:db8::1:0:0:1');
  assert.equal(decodeProcNetAddress('0000000000000000FFFF00000100007F', 'LE'), '::ffff:127.0.0.1');
  assert.throws(() => decodeProcNetAddress('0100007', 'LE'));
});

test('only loopback tcp addresses with a numeric port are sampled', () => {
  assert.deepEqual(loopbackTcpTarget('tcp://127.0.0.1:41235'), { host: '127.0.0.1', port: 41235 });
  assert.deepEqual(loopbackTcpTarget('tcp://127.1.2.3:5'), { host: '127.1.2.3', port: 5 });
  assert.deepEqual(loopbackTcpTarget('tcp://[::1]:41235'), { host: '::1', port: 41235 });
  assert.deepEqual(loopbackTcpTarget('tcp://localhost:7'), { host: '127.0.0.1', port: 7 });
  assert.equal(loopbackTcpTarget('tcp://127.0.0.1:*'), undefined);
  assert.equal(loopbackTcpTarget('tcp://0.0.0.0:41235'), undefined);
  assert.equal(loopbackTcpTarget('tcp://10.0.2.15:41235'), undefined);
  assert.equal(loopbackTcpTarget('ipc:///tmp/zb-1/0-0'), undefined);
  assert.equal(loopbackTcpTarget('inproc://zb-x-0-0'), undefined);
});

const ENDPOINTS: Record<string, string[]> = {
  feed: ['tcp://127.0.0.1:41203'],
  v6: ['tcp://[::1]:46069'],
  mapped: ['tcp://127.0.0.1:46649'],
  idle: ['tcp://127.0.0.1:5555'],
  sock: ['ipc:///tmp/zb-1/0-0'],
  mem: ['inproc://zb-x-0-0'],
  elsewhere: ['tcp://10.0.2.15:41203'],
};

function allRows(): TcpSocketQueue[] {
  return [...parseProcNetTcp(TCP, 'LE'), ...parseProcNetTcp(TCP6, 'LE')];
}

test('groups established sockets per endpoint into binding and connecting sides', () => {
  const byEndpoint = kernelQueuesByEndpoint(allRows(), ENDPOINTS);
  assert.deepEqual(Object.keys(byEndpoint).sort(), ['feed', 'idle', 'mapped', 'v6']);
  // Rows 1 and 3 are the bind side, 2 and 4 the connect side; LISTEN (0), TIME_WAIT (5), the
  // foreign connection (6) and the same port on another address (7) are not counted.
  assert.deepEqual(byEndpoint.feed, {
    bindSendQueue: 16,
    bindRecvQueue: (1 << 20) + 5,
    connectSendQueue: 2 << 20,
    connectRecvQueue: 7,
    connections: 2,
  });
  assert.deepEqual(byEndpoint.v6, { bindSendQueue: 0, bindRecvQueue: 0x300, connectSendQueue: 0x40, connectRecvQueue: 0, connections: 1 });
  // A dual-stack listener shows its IPv4 peer as ::ffff:127.0.0.1 in tcp6; the peer is in tcp.
  assert.deepEqual(byEndpoint.mapped, { bindSendQueue: 0, bindRecvQueue: 0x11, connectSendQueue: 3, connectRecvQueue: 0, connections: 1 });
  assert.deepEqual(byEndpoint.idle, { bindSendQueue: 0, bindRecvQueue: 0, connectSendQueue: 0, connectRecvQueue: 0, connections: 0 });
});

test('an endpoint with several addresses sums them; ipc addresses among them are ignored', () => {
  const byEndpoint = kernelQueuesByEndpoint(allRows(), {
    both: ['ipc:///tmp/zb-1/0-0', 'tcp://127.0.0.1:41203', 'tcp://[::1]:46069'],
  });
  assert.deepEqual(byEndpoint, {
    both: {
      bindSendQueue: 16,
      bindRecvQueue: (1 << 20) + 5 + 0x300,
      connectSendQueue: (2 << 20) + 0x40,
      connectRecvQueue: 7,
      connections: 3,
    },
  });
});

test('the sampler reads nothing when no endpoint is tcp', async () => {
  let reads = 0;
  const read = async (): Promise<TcpSocketQueue[]> => {
    reads++;
    return allRows();
  };
  const none = new KernelQueueSampler({ sock: ['ipc:///tmp/zb-1/0-0'], mem: ['inproc://a'] }, read);
  assert.equal(none.active, false);
  assert.deepEqual(await none.sample(), {});
  assert.equal(reads, 0);

  const some = new KernelQueueSampler(ENDPOINTS, read);
  assert.equal(some.active, true);
  const sampled = await some.sample();
  assert.equal(reads, 1);
  assert.deepEqual(sampled, kernelQueuesByEndpoint(allRows(), ENDPOINTS));
});

test('missing table files give no rows and no error', async () => {
  assert.deepEqual(await readTcpQueues(['/nonexistent/zb/tcp', '/nonexistent/zb/tcp6']), []);
});

test('only the tables of the address families in use are read: IPv4 targets never read /proc/net/tcp6', () => {
  const v4 = loopbackTcpTarget('tcp://127.0.0.1:5555')!;
  const v6 = loopbackTcpTarget('tcp://[::1]:5555')!;
  assert.deepEqual(procNetTcpFilesFor([v4]), ['/proc/net/tcp']);
  assert.deepEqual(procNetTcpFilesFor([v6]), ['/proc/net/tcp6']);
  assert.deepEqual(procNetTcpFilesFor([v4, v6]), ['/proc/net/tcp', '/proc/net/tcp6']);
  assert.deepEqual(procNetTcpFilesFor([]), []);
});
