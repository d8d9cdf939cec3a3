import { test } from 'node:test';
import assert from 'node:assert/strict';
import { roundTripsSettled } from '../../../src/runtime/round-trips-settled.js';

/** A role whose request in flight gets its reply when `reply()` is called. */
function roleWaiting(): { roundTripInFlight(): Promise<void> | null; reply(): void } {
  let settle!: () => void;
  let inFlight: Promise<void> | null = new Promise<void>((resolve) => (settle = resolve));
  return {
    roundTripInFlight: () => inFlight,
    reply: () => {
      inFlight = null;
      settle();
    },
  };
}

const idle = { roundTripInFlight: () => null };

test('a sample waits for nothing when no request is in flight', async () => {
  const t0 = performance.now();
  await roundTripsSettled([idle, idle], 10_000);
  assert.ok(performance.now() - t0 < 1_000);
});

test('a sample waits until every request in flight has its reply', async () => {
  const a = roleWaiting();
  const b = roleWaiting();
  let settled = false;
  const waiting = roundTripsSettled([a, idle, b], 10_000).then(() => (settled = true));
  await new Promise((r) => setTimeout(r, 20));
  a.reply();
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(settled, false, 'b still waits for its reply');
  b.reply();
  await waiting;
  assert.equal(settled, true);
});

test('a reply that never comes (a dead server, a closed loop) holds a sample back only until the limit', async () => {
  const t0 = performance.now();
  await roundTripsSettled([roleWaiting()], 50);
  const waited = performance.now() - t0;
  assert.ok(waited >= 45, `waited ${waited} ms`);
  assert.ok(waited < 5_000, `waited ${waited} ms`);
});
