import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tailFigures } from '../../../bench/req-tail/figures.js';

test('the tail figures of round trips are nearest-rank percentiles in µs', () => {
  // 1..1000 µs: p50 is the 500th value, p99 the 990th, p99.9 the 999th
  const ns = Array.from({ length: 1000 }, (_, i) => (1000 - i) * 1000);
  assert.deepEqual(tailFigures(ns), { count: 1000, p50Us: 500, p99Us: 990, p999Us: 999, maxUs: 1000 });
});

test('the tail figures of one round trip are that round trip, and of none are NaN', () => {
  assert.deepEqual(tailFigures([97_123]), { count: 1, p50Us: 97.12, p99Us: 97.12, p999Us: 97.12, maxUs: 97.12 });
  const none = tailFigures([]);
  assert.equal(none.count, 0);
  assert.ok(Number.isNaN(none.p50Us) && Number.isNaN(none.maxUs));
});
