import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LiveFigureTracker } from '../../../src/collect/live-figures.js';
import type { Sample } from '../../../src/collect/sample.js';
import { LATENCY_BUCKETS_S, METRICS, prometheusName } from '../../../src/live/metric-catalogue.js';
import { MetricSet } from '../../../src/live/metric-set.js';
import { prometheusRegistry } from '../../../src/live/prometheus-registry.js';
import { countsByUpperBound, createLatencyHistogram, decodeHistogram, encodeHistogram, recordNs } from '../../../src/stats/histogram.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePrometheus, valueOf } from '../../support/metrics-text.js';
import { repositoryRoot } from '../../support/repository-files.js';
import { pipeline } from '../../support/sample-result.js';
import { PUSH_PULL, scenarioOf } from '../../support/validation.js';

/**
 * The metric set from a run's events, then from its result: counters of the whole run summed
 * from samples, gauges as the last sample left them, latency buckets from the HDR histograms,
 * and every figure replaced by result.json's at the end. Read through the Prometheus registry.
 */

const scenario = scenarioOf({ ...PUSH_PULL, name: 'unit', transport: 'tcp' });

/** 3 µs twice, 40 µs, 2 s and 20 s (past the last bound) */
function latencies(): string {
  const h = createLatencyHistogram();
  for (const ns of [3_000, 3_000, 40_000, 2e9, 2e10]) recordNs(h, ns);
  return encodeHistogram(h);
}

function sample(tMs: number, sent: number, received: number, lost: number, histogram = ''): Sample {
  const quiet = { notSent: 0, blockedMs: 0, histogram: '' };
  return {
    tMs,
    warmup: tMs <= 0,
    groups: {
      producers: { ...quiet, sent, received: 0, lost: 0, inFlight: 0, blockedMs: 5 },
      workers: { ...quiet, sent: 0, received, lost, inFlight: sent - received - lost, histogram },
    },
    workers: { '0': { eventLoopDelayP99Ms: 2, eventLoopDelayMaxMs: 7, heapUsedBytes: 1e6, heapTotalBytes: 2e6 } },
    kernel: { work: { bindSendQueue: 10, bindRecvQueue: 0, connectSendQueue: 0, connectRecvQueue: 30 } },
  };
}

async function scrape(set: MetricSet) {
  return parsePrometheus(await prometheusRegistry(set).metrics());
}

describe('live metrics of a run', () => {
  it('HDR histograms fall into the fixed buckets with nothing lost', () => {
    const counts = countsByUpperBound(decodeHistogram(latencies()), [5_000, 50_000, 2.5e9, 1e10]);
    assert.deepEqual(counts, [2, 1, 1, 0, 1]);
  });

  it('sums every sample, keeps the last gauges, and ends on the result', async () => {
    const set = new MetricSet();
    const run = set.begin(scenario, { variant: 'unit-tcp', run: 2 });
    const tracker = new LiveFigureTracker(scenario.groups);
    run.onEvent({ type: 'phase', phase: 'set-up', atMs: 0 });
    run.onEvent({ type: 'phase', phase: 'measure', atMs: 50 });
    for (const s of [sample(-100, 100, 90, 0), sample(0, 100, 95, 2), sample(100, 200, 150, 3, latencies())]) {
      run.onEvent({ type: 'sample', sample: s });
      if (s.tMs > 0) {
        tracker.add(s.groups);
        run.onEvent({ type: 'figures', figures: tracker.figures(s.tMs) });
      }
    }
    run.onEvent({ type: 'timeline', entry: { tMs: 20, kind: 'fault', action: 'pause', target: 'workers', plannedMs: 20 } });
    run.onEvent({
      type: 'timeline',
      entry: { tMs: 25, kind: 'fault', action: 'kill', target: 'workers[1]', plannedMs: 25, error: 'gone' },
    });

    let s = await scrape(set);
    const at = { variant: 'unit-tcp', run: '2' };
    assert.equal(valueOf(s, 'zmq_bench_messages_sent_total', { ...at, group: 'producers', engine: 'zeromq.js', host: '' }), 400);
    assert.equal(valueOf(s, 'zmq_bench_messages_received_total', { ...at, group: 'workers' }), 335);
    assert.equal(valueOf(s, 'zmq_bench_messages_lost_total', { group: 'workers', loss: 'midstream' }), 5);
    assert.equal(valueOf(s, 'zmq_bench_messages_lost_total', { group: 'workers', loss: 'tail' }), 0);
    assert.equal(valueOf(s, 'zmq_bench_throughput_messages_per_second', { group: 'producers' }), 2000, '200 in the last 100 ms');
    assert.equal(valueOf(s, 'zmq_bench_in_flight_messages', { group: 'workers' }), 47);
    assert.equal(valueOf(s, 'zmq_bench_send_blocked_seconds_total', { group: 'producers' }), 0.005, 'measured phase only');
    assert.equal(valueOf(s, 'zmq_bench_worker_event_loop_delay_max_seconds', { worker: '0', group: 'producers' }), 0.007);
    assert.equal(valueOf(s, 'zmq_bench_kernel_queue_bytes', { endpoint: 'work', side: 'connect', direction: 'recv' }), 30);
    assert.equal(valueOf(s, 'zmq_bench_fault_events_total', { action: 'pause', outcome: 'done' }), 1);
    assert.equal(valueOf(s, 'zmq_bench_fault_events_total', { action: 'kill', outcome: 'failed' }), 1);
    assert.equal(valueOf(s, 'zmq_bench_run_phase', { phase: 'measure' }), 1);
    assert.equal(valueOf(s, 'zmq_bench_run_phase', { phase: 'set-up' }), 0);
    // the measured phase's latencies, in cumulative buckets
    const bucket = (le: string) => valueOf(s, 'zmq_bench_latency_seconds_bucket', { group: 'workers', kind: 'one-way', le });
    assert.equal(bucket('0.000005'), 2);
    assert.equal(bucket('0.00005'), 3);
    assert.equal(bucket('2.5'), 4);
    assert.equal(bucket('10'), 4);
    assert.equal(bucket('+Inf'), 5);
    assert.equal(valueOf(s, 'zmq_bench_latency_seconds_count', { group: 'workers' }), 5);
    assert.ok(Math.abs(valueOf(s, 'zmq_bench_latency_seconds_sum', { group: 'workers' }) - 22.000046) < 0.05);
    assert.equal(
      s.filter((x) => x.name === 'zmq_bench_latency_seconds_bucket' && x.labels['group'] === 'workers').length,
      LATENCY_BUCKETS_S.length + 1,
    );
    assert.equal(valueOf(s, 'zmq_bench_send_lag_seconds_count', { group: 'producers' }), 0, 'no send lag recorded yet');

    const result = pipeline();
    run.finish(result);
    s = await scrape(set);
    assert.equal(valueOf(s, 'zmq_bench_messages_sent_total', { group: 'producers' }), 10_000);
    assert.equal(valueOf(s, 'zmq_bench_messages_lost_total', { group: 'workers', loss: 'tail' }), 200);
    assert.equal(valueOf(s, 'zmq_bench_messages_lost_total', { group: 'workers', loss: 'midstream' }), 0);
    assert.equal(valueOf(s, 'zmq_bench_throughput_messages_per_second', { group: 'workers' }), 1960);
    assert.equal(valueOf(s, 'zmq_bench_latency_seconds_count', { group: 'workers' }), 0, "the result's (empty) histogram");
    assert.equal(valueOf(s, 'zmq_bench_run_phase', { phase: 'done' }), 1);
    assert.equal(valueOf(s, 'zmq_bench_measured_seconds', at), 5);
    assert.equal(
      s.filter((x) => x.name === 'zmq_bench_fault_events_total').length,
      0,
      "the result's timeline (none) replaces the live one",
    );
  });

  it('several runs are told apart by their labels; a run that failed shows done', async () => {
    const set = new MetricSet();
    set.begin(scenario, { variant: 'a', run: 1 }).finish(pipeline());
    set.begin(scenario, { variant: 'b', run: 1 }).ended();
    const s = await scrape(set);
    assert.equal(valueOf(s, 'zmq_bench_messages_sent_total', { variant: 'a', group: 'producers' }), 10_000);
    assert.equal(valueOf(s, 'zmq_bench_messages_sent_total', { variant: 'b', group: 'producers' }), 0);
    assert.equal(valueOf(s, 'zmq_bench_run_phase', { variant: 'b', phase: 'done' }), 1);
  });

  it('docs/metrics.md names every metric of the catalogue, with its type', () => {
    const doc = readFileSync(join(repositoryRoot, 'docs', 'metrics.md'), 'utf8');
    for (const d of Object.values(METRICS)) assert.match(doc, new RegExp(`\\| \`${prometheusName(d)}\` \\| ${d.type} \\|`), d.name);
  });
});
