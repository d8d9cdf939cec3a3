import assert from 'node:assert/strict';
import { constants } from 'node:os';
import { test } from 'node:test';
import {
  errnoName,
  fromNativeValue,
  toNativeValue,
  ZMQ_MONITOR_EVENTS,
  ZMQ_OPTION_IDS,
  ZMQ_SOCKET_TYPES,
} from '../../../src/engine/native/constants.js';
import { SOCKET_EVENT_TYPES } from '../../../src/engine/engine.js';
import { OPTION_NAMES } from '../../../src/scenario/socket-options.js';

test('every scenario option maps to its libzmq id (zmq.h 4.3)', () => {
  assert.deepEqual(Object.keys(ZMQ_OPTION_IDS).sort(), [...OPTION_NAMES].sort());
  const ids = Object.fromEntries(Object.entries(ZMQ_OPTION_IDS).map(([n, o]) => [n, o.id]));
  assert.deepEqual(ids, {
    sndhwm: 23,
    rcvhwm: 24,
    linger: 17,
    immediate: 39,
    conflate: 54,
    sndtimeo: 28,
    rcvtimeo: 27,
    sndbuf: 11,
    rcvbuf: 12,
    nodrop: 69,
    mandatory: 33,
    backlog: 19,
    heartbeatIvl: 75,
    heartbeatTimeout: 77,
    heartbeatTtl: 76,
    reconnectIvl: 18,
    reconnectIvlMax: 21,
    tcpKeepalive: 34,
    tcpKeepaliveIdle: 36,
    tcpKeepaliveCnt: 35,
    tcpKeepaliveIntvl: 37,
    handshakeIvl: 66,
    connectTimeout: 79,
    handover: 56,
    probeRouter: 51,
    routingId: 5,
    maxMsgSize: 22,
    xpubVerbose: 40,
    xpubVerboser: 78,
    xpubWelcomeMsg: 72,
  });
});

const int32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32LE(n);
  return b;
};

test('boolean options travel as C ints and come back as booleans; numbers stay numbers', () => {
  assert.deepEqual(toNativeValue(ZMQ_OPTION_IDS.conflate, true), int32(1));
  assert.deepEqual(toNativeValue(ZMQ_OPTION_IDS.immediate, false), int32(0));
  assert.deepEqual(toNativeValue(ZMQ_OPTION_IDS.linger, -1), int32(-1));
  assert.equal(fromNativeValue(ZMQ_OPTION_IDS.conflate, int32(1), 4), true);
  assert.equal(fromNativeValue(ZMQ_OPTION_IDS.immediate, int32(0), 4), false);
  assert.equal(fromNativeValue(ZMQ_OPTION_IDS.sndhwm, int32(1000), 4), 1000);
});

test('maxMsgSize travels as an int64_t and the routing id as its UTF-8 bytes', () => {
  const big = toNativeValue(ZMQ_OPTION_IDS.maxMsgSize, 5_000_000_000);
  assert.equal(big.length, 8);
  assert.equal(fromNativeValue(ZMQ_OPTION_IDS.maxMsgSize, big, 8), 5_000_000_000);
  assert.equal(fromNativeValue(ZMQ_OPTION_IDS.maxMsgSize, toNativeValue(ZMQ_OPTION_IDS.maxMsgSize, -1), 8), -1);
  const id = toNativeValue(ZMQ_OPTION_IDS.routingId, 'wörker-1');
  assert.equal(id.length, 9);
  assert.equal(fromNativeValue(ZMQ_OPTION_IDS.routingId, Buffer.concat([id, Buffer.alloc(20)]), id.length), 'wörker-1');
});

test('socket types have libzmq’s numbers', () => {
  assert.deepEqual(ZMQ_SOCKET_TYPES, {
    pair: 0,
    pub: 1,
    sub: 2,
    req: 3,
    rep: 4,
    dealer: 5,
    router: 6,
    pull: 7,
    push: 8,
    xpub: 9,
    xsub: 10,
    radio: 14,
    dish: 15,
  });
});

test('monitor events map onto the names the engine seam reports, each name once', () => {
  const names = [...ZMQ_MONITOR_EVENTS.values()];
  assert.deepEqual([...names].sort(), [...SOCKET_EVENT_TYPES].sort());
  assert.equal(ZMQ_MONITOR_EVENTS.get(0x1000), 'handshake');
});

test('errno names: the platform’s first name, and libzmq’s own numbers', () => {
  assert.equal(errnoName(11), 'EAGAIN');
  assert.equal(errnoName(156_384_712 + 51), 'EFSM');
  assert.equal(errnoName(156_384_712 + 53), 'ETERM');
  assert.equal(errnoName(constants.errno.ENOTSOCK), 'ENOTSOCK');
  assert.equal(errnoName(999_999), 'E999999');
});
