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
  });
});

test('boolean options travel as C ints and come back as booleans; numbers stay numbers', () => {
  assert.equal(toNativeValue(true), 1);
  assert.equal(toNativeValue(false), 0);
  assert.equal(toNativeValue(-1), -1);
  assert.equal(fromNativeValue(ZMQ_OPTION_IDS.conflate, 1), true);
  assert.equal(fromNativeValue(ZMQ_OPTION_IDS.immediate, 0), false);
  assert.equal(fromNativeValue(ZMQ_OPTION_IDS.sndhwm, 1000), 1000);
});

test('socket types have libzmq’s numbers', () => {
  assert.deepEqual(ZMQ_SOCKET_TYPES, { pair: 0, pub: 1, sub: 2, req: 3, rep: 4, dealer: 5, router: 6, pull: 7, push: 8 });
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
