import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseBitsPerSecond } from '../../../src/core/units.js';
import { isFlow, parseSsEndpoint, parseSsEstablished } from '../../../src/transport/tcp-connections.js';

test('ss endpoints: IPv4, IPv6 in brackets, IPv4-mapped as plain IPv4, interface suffix dropped', () => {
  assert.deepEqual(parseSsEndpoint('127.0.0.1:5555'), { ip: '127.0.0.1', port: 5555 });
  assert.deepEqual(parseSsEndpoint('[::1]:80'), { ip: '::1', port: 80 });
  assert.deepEqual(parseSsEndpoint('[::ffff:127.0.0.1]:41000'), { ip: '127.0.0.1', port: 41000 });
  assert.deepEqual(parseSsEndpoint('[fe80::1%eth0]:22'), { ip: 'fe80::1', port: 22 });
  assert.equal(parseSsEndpoint('*:*'), undefined);
});

test('ss -tnpH state established: both ends and every pid, lines without a tuple skipped', () => {
  const text = [
    '0      0          127.0.0.1:41706     127.0.0.1:45605 users:(("node",pid=18499,fd=21))',
    '0      11     [::ffff:127.0.0.1]:5555 [::ffff:127.0.0.1]:41000 users:(("node",pid=7,fd=3),("node",pid=8,fd=4),("x",pid=7,fd=9))',
    '0      0               [::1]:9000             [::1]:50000',
    'garbage',
    '',
  ].join('\n');
  assert.deepEqual(parseSsEstablished(text), [
    { local: { ip: '127.0.0.1', port: 41706 }, remote: { ip: '127.0.0.1', port: 45605 }, pids: [18499] },
    { local: { ip: '127.0.0.1', port: 5555 }, remote: { ip: '127.0.0.1', port: 41000 }, pids: [7, 8] },
    { local: { ip: '::1', port: 9000 }, remote: { ip: '::1', port: 50000 }, pids: [] },
  ]);
});

test('a flow matches its connection from either end, and nothing else', () => {
  const a = { ip: '127.0.0.1', port: 1 };
  const b = { ip: '127.0.0.1', port: 2 };
  assert.ok(isFlow({ local: a, remote: b, pids: [] }, { a, b }));
  assert.ok(isFlow({ local: b, remote: a, pids: [] }, { a, b }));
  assert.ok(!isFlow({ local: a, remote: { ip: '127.0.0.2', port: 2 }, pids: [] }, { a, b }));
});

test('bandwidths in tc units (decimal)', () => {
  assert.equal(parseBitsPerSecond('1mbit'), 1_000_000);
  assert.equal(parseBitsPerSecond('512kbit'), 512_000);
  assert.equal(parseBitsPerSecond('1.5gbit'), 1_500_000_000);
  assert.equal(parseBitsPerSecond('100bit'), 100);
  assert.equal(parseBitsPerSecond('0mbit'), undefined);
  assert.equal(parseBitsPerSecond('1MB'), undefined);
  assert.equal(parseBitsPerSecond('fast'), undefined);
});
