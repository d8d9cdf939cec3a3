import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Command } from 'commander';
import { DEFAULT_LIVE_HOST, DEFAULT_LIVE_PORT, isLoopback, liveOption, liveUrl, parseLiveAddress } from '../../../src/live/live-address.js';

test('--live takes [host:]port, loopback unless a host is named', () => {
  assert.deepEqual(parseLiveAddress('8080'), { host: DEFAULT_LIVE_HOST, port: 8080 });
  assert.deepEqual(parseLiveAddress(':0'), { host: DEFAULT_LIVE_HOST, port: 0 });
  assert.deepEqual(parseLiveAddress(String(DEFAULT_LIVE_PORT)), { host: '127.0.0.1', port: DEFAULT_LIVE_PORT });
  assert.deepEqual(parseLiveAddress('localhost:9000'), { host: 'localhost', port: 9000 });
  assert.deepEqual(parseLiveAddress('0.0.0.0:9000'), { host: '0.0.0.0', port: 9000 });
  assert.deepEqual(parseLiveAddress('[::1]:9000'), { host: '::1', port: 9000 });
});

test('--live refuses what is not [host:]port, and says where scenario files go', () => {
  for (const bad of ['', 'abc', '70000', 'host:', 'host:port', '::1:80', '1.2.3.4:-1']) {
    const r = parseLiveAddress(bad);
    assert.equal(typeof r, 'string', bad);
    assert.match(r as string, /^expected \[host:\]port/);
  }
  assert.match(parseLiveAddress('scenarios/pipeline.yaml') as string, /scenario files go before --live/);
});

test('loopback is 127.0.0.0/8, ::1 and localhost; URLs bracket IPv6', () => {
  for (const h of ['127.0.0.1', '127.1.2.3', '::1', 'localhost', 'LOCALHOST']) assert.ok(isLoopback(h), h);
  for (const h of ['0.0.0.0', '::', '192.168.1.2', '128.0.0.1', 'example.com', '127.example.com']) assert.ok(!isLoopback(h), h);
  assert.equal(liveUrl('127.0.0.1', 9465), 'http://127.0.0.1:9465/');
  assert.equal(liveUrl('::1', 9465), 'http://[::1]:9465/');
});

test('the CLI option: --live alone is loopback on the default port, a value is parsed, a bad one is refused', () => {
  const parse = (...args: string[]) =>
    new Command()
      .exitOverride()
      .configureOutput({ writeErr: () => undefined })
      .addOption(liveOption())
      .parse(args, { from: 'user' })
      .opts().live as unknown;
  assert.deepEqual(parse('--live'), { host: '127.0.0.1', port: DEFAULT_LIVE_PORT });
  assert.deepEqual(parse('--live', '0'), { host: '127.0.0.1', port: 0 });
  assert.equal(parse(), undefined);
  assert.throws(() => parse('--live', 'x.yaml'), /scenario files go before --live/);
});
