import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setImmediate as tick } from 'node:timers/promises';
import type { Libzmq, ZmqPointer } from '../../../src/engine/native/libzmq.js';
import { MAX_BLOCK_MS, type Wait, Waiter } from '../../../src/engine/native/waiter.js';

/** Records the timeout of each zmq_poll; no socket is ever ready. */
function recordingLib(timeouts: number[]): Libzmq {
  return {
    writePollItem: () => {},
    poll: (_items: Buffer, _count: number, timeoutMs: number) => (timeouts.push(timeoutMs), 0),
  } as unknown as Libzmq;
}

function wait(name: string): Wait {
  return { socket: name as unknown as ZmqPointer, events: 1, deadline: Number.POSITIVE_INFINITY, ready: () => false, expire: () => {} };
}

test('a lone wait blocks in its first poll (no extra event-loop turn per REQ/REP hop)', async () => {
  const timeouts: number[] = [];
  const waiter = new Waiter(recordingLib(timeouts));
  const w = wait('a');
  waiter.add(w);
  await tick();
  waiter.remove(w);
  assert.deepEqual(timeouts, [MAX_BLOCK_MS]);
});

test('several waits poll without blocking first, then block', async () => {
  const timeouts: number[] = [];
  const waiter = new Waiter(recordingLib(timeouts));
  const [a, b] = [wait('a'), wait('b')];
  waiter.add(a);
  waiter.add(b);
  await tick();
  await tick();
  waiter.remove(a);
  waiter.remove(b);
  await tick();
  assert.deepEqual(timeouts.slice(0, 2), [0, MAX_BLOCK_MS]);
});
