import assert from 'node:assert/strict';
import { test } from 'node:test';
import { judge, type Rounds } from '../../../bench/overhead/judge.js';
import type { Measurement } from '../../../bench/overhead/types.js';

const thr = (perSec: number): Measurement => ({ perSec, p50Us: null, p99Us: null });
const rtt = (p50Us: number): Measurement => ({ perSec: 1e6 / p50Us, p50Us, p99Us: p50Us * 2 });

test('the native engine is judged round by round against C and the zeromq.js engine; a failed run drops its round only', () => {
  const rounds: Rounds = {
    bare: [thr(300), thr(300), thr(300)],
    floor: [thr(250), thr(250), thr(250)],
    harness: [thr(200), thr(250), thr(200)],
    nativeEngine: [thr(1100), null, thr(1000)],
    c: [thr(3000), thr(3000), thr(2500)],
  };
  const c = judge({ pattern: 'push-pull', transport: 'tcp', sizeBytes: 64 }, rounds, ['native engine run 2: boom']);
  assert.deepEqual(c.nativeToC?.pairs, [1100 / 3000, 1000 / 2500]);
  assert.deepEqual(c.nativeToHarness?.pairs, [5.5, 5]);
  assert.deepEqual(
    c.nativeGoals.map((g) => [g.text, g.met]),
    [
      ['≥ 0.35× C', true],
      ['≥ 5× zeromq.js engine', true],
    ],
  );
  assert.equal(c.nativeEngine?.median.perSec, 1050);
  assert.equal(c.nativeEngine?.runs.length, 3);
});

test('1 KiB asks 0.8× C, a round trip p50 at most 1.2× C; no native goals when the engine did not run', () => {
  const kib = judge(
    { pattern: 'push-pull', transport: 'ipc', sizeBytes: 1024 },
    { bare: [thr(200)], floor: [thr(190)], harness: [thr(180)], nativeEngine: [thr(700)], c: [thr(1000)] },
    [],
  );
  assert.deepEqual(
    kib.nativeGoals.map((g) => [g.text, g.met]),
    [['≥ 0.8× C', false]],
  );
  const rr = judge(
    { pattern: 'req-rep', transport: 'inproc', sizeBytes: 64 },
    { bare: [rtt(90)], floor: [rtt(92)], harness: [rtt(95)], nativeEngine: [rtt(66)], c: [rtt(60)] },
    [],
  );
  assert.deepEqual(
    rr.nativeGoals.map((g) => [g.text, g.met]),
    [['p50 ≤ 1.2× C', true]],
  );
  const none = judge(
    { pattern: 'req-rep', transport: 'inproc', sizeBytes: 64 },
    { bare: [rtt(90)], floor: [rtt(92)], harness: [rtt(95)], nativeEngine: null, c: null },
    [],
  );
  assert.deepEqual(none.nativeGoals, []);
  assert.equal(none.nativeToC, null);
});
