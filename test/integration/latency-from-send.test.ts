import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseScenarioText } from '../../src/scenario/load.js';
import { runScenario } from '../../src/runtime/run.js';
import { judgeRun } from '../../src/ci/outcome.js';
import type { LiveFigures } from '../../src/collect/live-figures.js';
import { decodeHistogram } from '../../src/stats/histogram.js';
import { fallsBehindScenario } from '../support/falls-behind.js';
import { group } from '../support/run-shipped.js';

/**
 * Latency from the actual send time next to latency from the intended one (coordinated
 * omission corrected), with real sockets. A sender that keeps up: the two are about the same.
 * One that falls far behind its schedule: the corrected latency shows the wait for the
 * schedule, the one from the actual send does not. Generous bounds only: the machine is noisy.
 */

describe('latency from the actual send', () => {
  it('a paced push that keeps up: the same samples, and p50 of the same order as latency', async () => {
    let live: LiveFigures | undefined;
    const scenario = parseScenarioText(
      `
name: keeps-up
transport: inproc
duration: 500ms
drain: 1s
thresholds:
  latency_from_send: ["p(99) < 10s"]
  "latency_from_send{group:puller}": ["max < 3600s"]
topology:
  endpoints: [tasks]
  groups:
    - { name: pusher, type: push, bind: tasks, rate: 2000 }
    - { name: puller, type: pull, connect: tasks }
`,
      'keeps-up.yaml',
    );
    // the figures so far (what abortOnFail judges) carry it too
    const r = judgeRun(await runScenario(scenario, { judgeLive: (f) => ((live = f), null) }), scenario.thresholds);
    assert.deepEqual(r.problems, []);
    const puller = group(r, 'puller');
    const { latency, latencyFromSend } = puller;
    assert.ok(latency.count > 0, 'latency measured');
    assert.equal(latencyFromSend.count, latency.count, 'every timed message is timed both ways');
    assert.equal(decodeHistogram(puller.histogramFromSend).totalCount, latency.count);
    // Per message, latency = latency from the send + that send's lag: never below, and at the
    // median not further above than the largest send lag (plus the histograms' 0.1% rounding).
    const lag = group(r, 'pusher').sendLag!.summary;
    const why = `latency p50 ${latency.p50} µs, from send p50 ${latencyFromSend.p50} µs, send lag p50 ${lag.p50} µs, p99 ${lag.p99} µs, max ${lag.max} µs`;
    assert.ok(latencyFromSend.p50 > 0 && latencyFromSend.p50 <= latency.p50 * 1.002 + 0.01, why);
    assert.ok(latency.p50 - latencyFromSend.p50 <= lag.max + latency.p50 * 0.002 + 0.01, why);
    // Same order of magnitude when the sender kept up, as it does unless the machine is very
    // busy (then the send lag, already judged by send-lag.test.ts, explains the gap above).
    if (lag.p99 < 1000) assert.ok(latency.p50 < latencyFromSend.p50 * 10 + 100, why);
    assert.deepEqual(r.totals.latencyFromSend, latencyFromSend, 'totals: the terminal group');
    assert.equal(group(r, 'pusher').latencyFromSend.count, 0, 'a sender measures no latency');
    const livePuller = live?.groups.find((g) => g.name === 'puller');
    assert.ok(livePuller && livePuller.latencyFromSend.count > 0, 'live figures have latency from the send');
    assert.equal(decodeHistogram(livePuller.histogramFromSend).totalCount, decodeHistogram(livePuller.histogram).totalCount);
    assert.equal(decodeHistogram(live!.totals.histogramFromSend).totalCount, livePuller.latencyFromSend.count);
    assert.deepEqual(
      r.thresholds?.map((t) => [t.metric, t.passed, t.actual !== null]),
      [
        ['latency_from_send', true, true],
        ['latency_from_send{group:puller}', true, true],
      ],
    );
  });

  it('a push that falls far behind its schedule: latency from the intended time is far above latency from the actual send', async () => {
    // As in send-lag.test.ts: 12,000 messages asked for, ~300 read; small kernel buffers keep
    // the HWM in charge on tcp, so the sender blocks and its schedule runs away from it.
    // 4 KiB messages: at 64 bytes the kernel buffers alone hold ~800 messages (~1.7 s of this
    // reader), so the messages that arrive at all are the early ones, sent almost on time, and
    // both latencies are that queueing (measured: p99 1.85 s vs 1.69 s). With fewer messages in
    // the queues the arrivals are ones the schedule had long wanted out (measured: ~0.65 s vs ~0.09 s).
    const r = await runScenario(fallsBehindScenario({ size: '4KiB' }));
    const { latency, latencyFromSend } = group(r, 'puller');
    assert.ok(latency.count > 0);
    assert.equal(latencyFromSend.count, latency.count);
    assert.ok(
      latency.p99 >= 2 * latencyFromSend.p99,
      `latency p99 ${latency.p99} µs is not 2× latencyFromSend p99 ${latencyFromSend.p99} µs`,
    );
    assert.ok(latency.p50 > latencyFromSend.p50, 'coordinated omission made visible at the median too');
  });

  it("round trips: req and dealer time their replies from the request's actual send too", async () => {
    const r = await runScenario(
      parseScenarioText(
        `
name: round-trips
transport: inproc
duration: 300ms
drain: 1s
topology:
  endpoints: [svc, async]
  groups:
    - { name: client, type: req, connect: svc, rate: 1000 }
    - { name: server, type: rep, bind: svc }
    - { name: asker, type: dealer, connect: async, rate: 1000 }
    - { name: answerer, type: router, bind: async }
`,
        'round-trips.yaml',
      ),
    );
    assert.deepEqual(r.problems, []);
    for (const name of ['client', 'asker']) {
      const { latency, latencyFromSend, latencyKind } = group(r, name);
      assert.equal(latencyKind, 'round-trip');
      assert.ok(latency.count > 0, `${name} measured round trips`);
      assert.equal(latencyFromSend.count, latency.count, `${name}: every round trip timed both ways`);
      assert.ok(
        latencyFromSend.p50 <= latency.p50 * 1.01 + 1,
        `${name}: from send p50 ${latencyFromSend.p50} µs, latency p50 ${latency.p50} µs`,
      );
    }
  });
});
