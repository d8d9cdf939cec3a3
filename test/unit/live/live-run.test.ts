import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LiveFigureTracker } from '../../../src/collect/live-figures.js';
import type { GroupSample, Sample } from '../../../src/collect/sample.js';
import type { TimeChart } from '../../../src/report/html/chart-spec.js';
import { LiveRun } from '../../../src/live/live-run.js';
import { createLatencyHistogram, encodeHistogram, recordNs } from '../../../src/stats/histogram.js';
import { PUSH_PULL, scenarioOf } from '../../support/validation.js';

/** The live page's view of a run, from events made by hand as the sampler makes them. */

const scenario = scenarioOf({ ...PUSH_PULL, duration: '1s', warmup: '200ms' });
const INFO = { index: 1, count: 1, label: 'p', scenario: 'p', transport: 'tcp', durationMs: 1000, warmupMs: 200 };

function groupSample(over: Partial<GroupSample>): GroupSample {
  return { sent: 0, received: 0, lost: 0, notSent: 0, blockedMs: 0, inFlight: 0, histogram: '', ...over };
}

function latencies(us: number): string {
  const h = createLatencyHistogram();
  for (let i = 0; i < 10; i++) recordNs(h, us * 1000);
  return encodeHistogram(h);
}

/** Feeds a sample, and the figures after it in the measured phase, as the sampler does. */
function feed(run: LiveRun, tracker: LiveFigureTracker, tMs: number, workers: Partial<GroupSample>): void {
  const sample: Sample = {
    tMs,
    warmup: tMs <= 0,
    groups: { producers: groupSample({ sent: 100 }), workers: groupSample({ received: 100, ...workers }) },
    workers: {},
    kernel: { work: { bindSendQueue: 10, bindRecvQueue: 0, connectSendQueue: 0, connectRecvQueue: 5 } },
  };
  run.add({ type: 'sample', sample });
  if (tMs > 0) {
    tracker.add(sample.groups);
    run.add({ type: 'figures', figures: tracker.figures(tMs) });
  }
}

const chart = (charts: readonly { id: string }[], id: string) => charts.find((c) => c.id === `live-${id}`) as TimeChart | undefined;

test('the live run has the report charts, which gain a point with every sample', () => {
  const run = new LiveRun(INFO, scenario);
  const tracker = new LiveFigureTracker(scenario.groups);
  const empty = run.update();
  assert.deepEqual(empty.charts, [], 'no charts before the first sample');
  assert.equal(empty.figures.find((f) => f.name === 'throughput')?.text, '0 msgs/s');

  run.add({ type: 'phase', phase: 'measure', atMs: 5 });
  feed(run, tracker, -100, {});
  feed(run, tracker, 0, {});
  feed(run, tracker, 100, { histogram: latencies(250) });
  const first = run.update();
  assert.equal(first.phase, 'measure');
  assert.equal(first.elapsedMs, 100);
  assert.deepEqual(
    first.charts.map((c) => c.id),
    ['live-percentiles', 'live-throughput', 'live-loss', 'live-in-flight', 'live-kernel', 'live-latency'],
  );
  const throughput = chart(first.charts, 'throughput')!;
  assert.deepEqual(throughput.t, [-0.1, 0, 0.1]);
  assert.equal(throughput.warmupEndS, 0);
  assert.deepEqual(throughput.series[0]?.values, [1000, 1000, 1000], 'sent per second, as the report draws it');
  assert.equal(first.figures.find((f) => f.name === 'p50')?.text, '250us');

  feed(run, tracker, 200, {});
  assert.equal(chart(run.update().charts, 'throughput')!.t.length, 4);
});

test('live loss never goes below zero: gaps filled later cancel out, as in result.json', () => {
  const run = new LiveRun(INFO, scenario);
  const tracker = new LiveFigureTracker(scenario.groups);
  feed(run, tracker, 100, { lost: 3 });
  feed(run, tracker, 200, { lost: -3 });
  feed(run, tracker, 300, { lost: 2 });
  const loss = chart(run.update().charts, 'loss')!;
  assert.deepEqual(loss.series.find((s) => s.label === 'workers lost')?.values, [0, 0, 2]);
});

test('faults and socket events reach the timeline and the charts, in time order', () => {
  const run = new LiveRun(INFO, scenario);
  feed(run, new LiveFigureTracker(scenario.groups), 100, {});
  run.add({ type: 'timeline', entry: { tMs: 80, kind: 'fault', action: 'kill', target: 'workers', plannedMs: 75 } });
  run.add({
    type: 'timeline',
    entry: { tMs: 20, kind: 'socket', group: 'workers', instance: 0, event: 'connect', address: 'tcp://127.0.0.1:1' },
  });
  const u = run.update();
  assert.equal(u.timeline.total, 2);
  assert.deepEqual(
    u.timeline.rows.map((r) => r.map((c) => c.text)),
    [
      ['20.0ms', 'socket', 'workers[0] connect', 'tcp://127.0.0.1:1'],
      ['80.0ms', 'fault', 'kill workers', 'planned at 75.0ms'],
    ],
  );
  assert.deepEqual(chart(u.charts, 'throughput')!.markers, [
    { tS: 0.02, kind: 'socket', label: 'workers[0] connect' },
    { tS: 0.08, kind: 'fault', label: 'kill workers' },
  ]);
});
