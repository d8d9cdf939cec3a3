import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RunResult } from '../../src/core/types.js';
import { loadScenario, parseScenarioText } from '../../src/scenario/load.js';
import { applyOverrides } from '../../src/scenario/overrides.js';
import type { Scenario, TransportName } from '../../src/scenario/schema.js';
import { runScenario } from '../../src/runtime/run.js';
import { group, scenariosDir } from '../support/run-shipped.js';

/**
 * Where messages wait and where they are lost under HWM pressure (B6, B7, B10, B11, B17, B18),
 * with the shipped scenarios. Qualitative outcomes only, never timings.
 */

async function shipped(
  file: string,
  transport: TransportName,
  durationMs: number,
  change: (s: Scenario) => Scenario = (s) => s,
): Promise<RunResult> {
  return runScenario(change(applyOverrides(await loadScenario(`${scenariosDir}${file}`), { transport, durationMs })));
}

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

describe('slow subscriber (B10, B11)', () => {
  it('the slow group loses most of the stream, the fast group at most a twentieth, and the backlog drains after the publisher stops', async () => {
    // Determinism: the slow subscriber also stops reading for the last part of the run, so its
    // queues are certainly full when the last messages are sent (tail loss), and it reads
    // what was buffered afterwards (drained). Room for 100,000 messages in the fast subscribers'
    // own queues (libzmq's I/O thread fills them even while a busy machine holds up their JS
    // thread) keeps the fast group safe from scheduling stalls: with the shipped 1,000 a full
    // test suite on 2 cores lost a few hundred messages there now and then. So the publisher
    // keeps its shipped 10,000 msgs/s, which fills the slow subscriber's queues well before its
    // pause even when a busy machine slows the publisher down (at 5,000 it sometimes had not,
    // and there was no midstream loss).
    const r = await shipped('slow-subscriber-small-buffers.yaml', 'tcp', 1000, (s) => ({
      ...s,
      warmupMs: 300,
      groups: s.groups.map((g) => {
        if (g.name === 'slow') return { ...g, pauses: [{ atMs: 600, forMs: 900 }] };
        if (g.name === 'fast') return { ...g, options: { ...g.options, rcvhwm: 100_000 } };
        return g;
      }),
    }));
    assert.deepEqual(r.problems, []);
    const slow = group(r, 'slow');
    const fast = group(r, 'fast');
    const sent = group(r, 'publisher').sent;
    assert.equal(slow.loss.head, 0, 'the barrier leaves no head loss');
    // Where the slow subscriber's losses fall (midstream or tail) and whether the fast ones lose
    // nothing depend, in a run this short, on libzmq's I/O thread running on time: a full suite
    // on 2 cores with the native engine's tests beside it once saw no midstream loss and once 956
    // lost by the fast group. The claim itself (midstream loss at the slow subscriber, none at the
    // fast ones) is judged on a full-length run by the catalogue (B10, verify.test.ts); here the
    // contrast and the accounting are asserted.
    assert.ok(slow.loss.tail > 0, `tail ${slow.loss.tail}`);
    assert.equal(slow.lost, slow.loss.head + slow.loss.midstream + slow.loss.tail);
    assert.equal(slow.received + slow.lost, sent);
    assert.ok(slow.drained.messages > 0 && slow.drained.ms > 0, 'buffered messages arrive after the publisher stopped');
    assert.ok(slow.lost > sent / 2, `the slow subscriber lost ${slow.lost} of ${sent}`);
    assert.ok(fast.lost < (2 * sent) / 20, `the fast subscribers lost ${fast.lost} of ${2 * sent}`);
    assert.equal(fast.received + fast.lost, 2 * sent);
    assert.deepEqual(slow.options, { sub: { rcvhwm: 1000, rcvbuf: 16384 } }, 'effective socket options are reported');

    // The time series: one point per interval from the start of sending, warm-up marked,
    // and per-interval figures that add up to the totals.
    const ts = r.timeseries!;
    assert.ok(ts, 'a time series is recorded');
    assert.equal(ts.intervalMs, 100);
    const sendingMs = r.timing.measureEndMs - r.timing.measureStartMs + r.timing.warmupMs;
    assert.ok(ts.points >= Math.floor(sendingMs / 100) - 2, `points ${ts.points} for ${sendingMs} ms of sending`);
    assert.ok(ts.points <= Math.ceil(r.timing.totalMs / 100) + 2, `points ${ts.points} for a ${r.timing.totalMs} ms run`);
    assert.equal(ts.t.length, ts.points);
    assert.ok(ts.warmup[0] === true && ts.t[0]! <= 0, 'the first points are warm-up, at negative times');
    assert.equal(ts.warmup.at(-1), false);
    assert.equal(sum(ts.groups.publisher!.sent), sent);
    assert.equal(sum(ts.groups.fast!.received), fast.received);
    assert.equal(sum(ts.groups.slow!.received), slow.received);
    assert.ok(Math.max(...ts.groups.slow!.inFlight) > 0, 'a backlog is in flight towards the slow group');
    assert.ok(Math.max(...ts.groups.slow!.latency.p99) > 0);
    const kernel = ts.kernel.feed!;
    assert.equal(kernel.bindSendQueue.length, ts.points);
    assert.ok(Math.max(...kernel.bindSendQueue, ...kernel.connectRecvQueue) > 0, 'the kernel holds part of the backlog');
    assert.equal(Object.keys(ts.workers).length, 3, 'one series per worker thread');
  });
});

describe('slow joiner (B6, B7)', () => {
  it('without the barrier the subscriber loses the first messages; with it, none', async () => {
    const without = await shipped('slow-joiner.yaml', 'tcp', 300);
    assert.deepEqual(without.problems, []);
    const late = group(without, 'subscriber');
    assert.ok(late.loss.head > 0, 'what was sent before the subscription was in place is head loss');
    assert.equal(late.received + late.lost, group(without, 'publisher').sent);

    const withBarrier = await shipped('slow-joiner.yaml', 'tcp', 300, (s) => ({ ...s, barrier: true }));
    assert.deepEqual(withBarrier.problems, []);
    assert.equal(group(withBarrier, 'subscriber').loss.head, 0);
    assert.equal(group(withBarrier, 'subscriber').received, group(withBarrier, 'publisher').sent);
  });
});

describe('push backpressure (B17, B18)', () => {
  for (const transport of ['inproc', 'tcp'] as const) {
    it(`PUSH to a slow PULL loses nothing and records the time it was blocked (${transport})`, async () => {
      const r = await shipped('push-backpressure.yaml', transport, 600);
      assert.deepEqual(r.problems, []);
      const pusher = group(r, 'pusher');
      const puller = group(r, 'puller');
      assert.ok(pusher.sent > 0);
      assert.equal(puller.received, pusher.sent);
      assert.equal(puller.lost, 0);
      assert.ok(pusher.blocked.ms > 0 && pusher.blocked.share > 0 && pusher.blocked.share <= 1, JSON.stringify(pusher.blocked));
      assert.ok(sum(r.timeseries!.groups.pusher!.blockedMs) >= pusher.blocked.ms * 0.99, 'the time series holds the blocked time too');
    });
  }

  it('whenBlocked: give-up counts a timed-out send as not sent and goes on', async () => {
    const r = await runScenario(
      parseScenarioText(
        `
name: give-up
transport: inproc
duration: 500ms
topology:
  endpoints: [tasks]
  groups:
    - { name: pusher, type: push, bind: tasks, whenBlocked: give-up, giveUpAfter: 1ms, options: { sndhwm: 10 } }
    - { name: puller, type: pull, connect: tasks, delay: 5ms, options: { rcvhwm: 10 } }
`,
        'give-up.yaml',
      ),
    );
    assert.deepEqual(r.problems, []);
    const pusher = group(r, 'pusher');
    assert.ok(pusher.notSent > 0, 'sends were given up');
    assert.equal(group(r, 'puller').received, pusher.sent, 'what was sent all arrived');
    assert.equal(group(r, 'puller').lost, 0, 'a message given up is not a lost one');
  });
});

describe('conflate', () => {
  it('a conflating subscriber gets far fewer messages than sent, in order, and the newest last', async () => {
    const r = await shipped('conflate.yaml', 'tcp', 600);
    assert.deepEqual(r.problems, []);
    const latest = group(r, 'latest');
    const sent = group(r, 'ticker').sent;
    assert.ok(latest.received > 0 && latest.received < sent / 2, `received ${latest.received} of ${sent}`);
    assert.equal(latest.reordered + latest.duplicates, 0);
    assert.equal(latest.loss.tail, 0, 'the last update sent is the last one received');
  });
});
