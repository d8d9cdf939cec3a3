import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { GroupSample, Sample } from '../../../src/collect/sample.js';
import { absorb, groupValues, higher, pointOf, upperBound } from '../../../src/collect/series-point.js';

const group = (sent: number, inFlight: number): GroupSample => ({
  sent,
  received: sent,
  lost: 0,
  notSent: 1,
  blockedMs: 0.5,
  inFlight,
  histogram: '',
});

const sample = (tMs: number, warmup: boolean, groups: Record<string, GroupSample>, heap: number | null): Sample => ({
  tMs,
  warmup,
  groups,
  workers:
    heap === null ? {} : { w: { eventLoopDelayP99Ms: heap / 100, eventLoopDelayMaxMs: 10, heapUsedBytes: heap, heapTotalBytes: 2 * heap } },
  kernel: {},
});

test('a sample becomes a point of its own, copied, with nothing measured yet', () => {
  const s = sample(100, false, { g: group(5, 2) }, 1000);
  const p = pointOf(s);
  assert.deepEqual(p.groups.get('g'), {
    sent: 5,
    received: 5,
    lost: 0,
    notSent: 1,
    blockedMs: 0.5,
    inFlight: 2,
    latency: null,
    sendLagP99: null,
  });
  p.workers.get('w')!.heapUsedBytes = 0;
  assert.equal(s.workers['w']!.heapUsedBytes, 1000, 'the sample is left as it was');
});

test('absorbing the next sample: counters add up, gauges take the later value, what is missing counts as zeros', () => {
  const into = pointOf(sample(100, true, { g: group(5, 2), gone: group(1, 9) }, 1000));
  absorb(into, pointOf(sample(200, false, { g: group(7, 4), fresh: group(3, 3) }, null)));
  assert.equal(into.t, 200);
  assert.equal(into.warmup, false, 'warm-up only if both were');
  assert.deepEqual(groupValues(into.groups.get('g')), {
    sent: 12,
    received: 12,
    lost: 0,
    notSent: 2,
    blockedMs: 1,
    inFlight: 4,
    p50: 0,
    p99: 0,
    max: 0,
    sendLagP99: 0,
  });
  assert.equal(into.groups.get('gone')!.inFlight, 0);
  assert.equal(into.groups.get('fresh')!.sent, 3);
  assert.deepEqual(into.workers.get('w'), { eventLoopDelayP99Ms: 10, eventLoopDelayMaxMs: 10, heapUsedBytes: 0, heapTotalBytes: 0 });
});

test('percentiles of merged parts: the higher of each, null where a part measured nothing', () => {
  assert.deepEqual(upperBound({ p50: 1, p99: 9, max: 20 }, { p50: 2, p99: 5, max: 30 }), { p50: 2, p99: 9, max: 30 });
  assert.deepEqual(upperBound(null, { p50: 1, p99: 2, max: 3 }), { p50: 1, p99: 2, max: 3 });
  assert.equal(upperBound(null, null), null);
  assert.equal(higher(3, null), 3);
  assert.equal(higher(null, null), null);
  assert.equal(higher(3, 4), 4);
});

test('a group absent from a point has zeros in every column', () => {
  assert.deepEqual(Object.values(groupValues(undefined)), [0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
});
