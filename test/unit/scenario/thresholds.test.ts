import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateThresholds, intervalRates } from '../../../src/ci/threshold-eval.js';
import type { RunResult, TimeSeries } from '../../../src/core/types.js';
import { scenarioAsRun } from '../../../src/scenario/as-run.js';
import { parseExpression, parseValue } from '../../../src/scenario/thresholds.js';
import { createLatencyHistogram, encodeHistogram, recordNs } from '../../../src/stats/histogram.js';
import { pipeline } from '../../support/sample-result.js';
import { problemsOf, PUSH_PULL, scenarioOf } from '../../support/validation.js';

/** pub → two sub groups, the shape thresholds are usually written for. */
const scenario = (thresholds: unknown, extra: Record<string, unknown> = {}) => ({
  name: 't',
  topology: {
    endpoints: ['feed', 'rr'],
    groups: [
      { name: 'publisher', type: 'pub', bind: 'feed', rate: 1000 },
      { name: 'subscribers', type: 'sub', connect: 'feed' },
      { name: 'clients', type: 'req', connect: 'rr' },
      { name: 'servers', type: 'rep', bind: 'rr' },
    ],
  },
  thresholds,
  ...extra,
});

test("values are read in the metric's unit", () => {
  const table: Array<[string, Parameters<typeof parseValue>[1], number | string]> = [
    ['2ms', 'time', 2000],
    ['500us', 'time', 500],
    ['1.5s', 'time', 1_500_000],
    ['2', 'time', '"2" is not a time; expected a number with us, ms or s, such as 2ms'],
    ['50k/s', 'throughput', 50_000],
    ['1.5M/s', 'throughput', 1_500_000],
    ['800', 'throughput', 800],
    ['50k', 'throughput', 50_000],
    ['fast', 'throughput', '"fast" is not a rate; expected messages per second such as 50k/s, 1.5M/s or 800/s'],
    ['0.1%', 'fraction', 0.001],
    ['0', 'fraction', 0],
    ['2', 'fraction', '"2" is not a fraction; expected a percentage such as 0.1% or a number from 0 to 1'],
    ['10k', 'count', 10_000],
    ['0', 'count', 0],
    ['some', 'count', '"some" is not a count; expected a number such as 0, 250 or 10k'],
  ];
  for (const [text, unit, expected] of table) assert.deepEqual(parseValue(text, unit), expected, `${text} as ${unit}`);
});

test('expressions: aggregation, operator and value, or exactly what is wrong', () => {
  assert.deepEqual(parseExpression('p(99.9) < 2ms', 'latency'), { aggregation: { kind: 'p', p: 99.9 }, operator: '<', value: 2000 });
  assert.deepEqual(parseExpression('  avg>=50k/s ', 'throughput'), { aggregation: { kind: 'avg' }, operator: '>=', value: 50_000 });
  assert.deepEqual(parseExpression('rate == 0', 'loss_rate'), { aggregation: { kind: 'rate' }, operator: '==', value: 0 });
  assert.deepEqual(parseExpression('count != 3', 'lost'), { aggregation: { kind: 'count' }, operator: '!=', value: 3 });
  assert.equal(
    parseExpression('p99 < 2ms', 'latency'),
    'cannot read "p99 < 2ms": expected <aggregation> <operator> <value>, such as "p(99) < 2ms"',
  );
  assert.equal(parseExpression('rate < 2ms', 'latency'), '"rate" does not apply to latency; use avg, min, max, med or p(N)');
  assert.equal(parseExpression('p(50) < 1%', 'loss_rate'), '"p(50)" does not apply to loss_rate; use rate');
  assert.equal(parseExpression('p(101) < 2ms', 'latency'), 'p(N) needs 0 < N <= 100, got p(101)');
  assert.equal(parseExpression('p(0) < 2ms', 'latency'), 'p(N) needs 0 < N <= 100, got p(0)');
  assert.equal(
    parseExpression('count =< 3', 'lost'),
    'cannot read "count =< 3": expected <aggregation> <operator> <value>, such as "count == 0"',
  );
});

test('validation names every bad threshold with its path (exit 104 material)', () => {
  const problems = problemsOf(
    scenario({
      latancy: ['p(99) < 2ms'],
      'latency{group:nobody}': ['p(99) < 2ms'],
      'send_lag{group:subscribers}': ['p(99) < 1ms'],
      'stalled{group:publisher}': ['count == 0'],
      'latency{subscribers}': ['p(99) < 2ms'],
      throughput: ['avg >= 50k', 'p(50) > fast', { threshold: 'min > 1k/s', abortOnFail: 'yes' }],
      lost: [],
    }),
  );
  assert.deepEqual(problems, [
    'thresholds.throughput[2].abortOnFail: must be true or false, got "yes"',
    'thresholds.lost: must have at least 1 entry, got []',
    'thresholds.latancy: unknown metric "latancy"; expected one of latency, latency_from_send, send_lag, throughput, loss_rate, blocked_rate, lost, sent, received, duplicates, reordered, not_sent, stalled, mismatched, feed_missing, detect_ms, recovery_ms',
    'thresholds["latency{group:nobody}"]: no group "nobody"; the groups are publisher, subscribers, clients, servers',
    'thresholds["send_lag{group:subscribers}"]: send_lag applies to groups that send (pub, push, req, dealer, xpub, radio, and the sender of a pair); "subscribers" is a sub group',
    'thresholds["stalled{group:publisher}"]: stalled applies to req groups; "publisher" is a pub group',
    'thresholds["latency{subscribers}"]: expected a metric name with an optional {group:NAME}, such as latency{group:subscribers}',
    'thresholds.throughput[1]: "fast" is not a rate; expected messages per second such as 50k/s, 1.5M/s or 800/s',
  ]);
});

test('a threshold that can never fail or never pass is refused with the reason', () => {
  const refused: Array<[string, Parameters<typeof parseExpression>[1], string]> = [
    ['avg < -1ms', 'latency', 'latency avg < -1ms can never pass: latency is never negative'],
    ['p(99) < 0us', 'latency_from_send', 'latency_from_send p(99) < 0us can never pass: latency_from_send is never negative'],
    ['p(99) >= 0ms', 'send_lag', 'send_lag p(99) >= 0ms can never fail: send_lag is never negative'],
    ['min > -1k/s', 'throughput', 'throughput min > -1k/s can never fail: throughput is never negative'],
    ['count > -5', 'lost', 'lost count > -5 can never fail: lost is never negative'],
    ['count >= 0', 'sent', 'sent count >= 0 can never fail: sent is never negative'],
    ['count == -1', 'stalled', 'stalled count == -1 can never pass: stalled is never negative'],
    ['count != -1', 'stalled', 'stalled count != -1 can never fail: stalled is never negative'],
    ['count == 2.5', 'duplicates', 'duplicates count == 2.5 can never pass: duplicates is a whole number'],
    ['rate >= 0', 'loss_rate', 'loss_rate rate >= 0 can never fail: loss_rate is never negative'],
    ['rate < 0', 'loss_rate', 'loss_rate rate < 0 can never pass: loss_rate is never negative'],
    ['rate <= -5%', 'loss_rate', 'loss_rate rate <= -5% can never pass: loss_rate is never negative'],
    ['rate > 1', 'blocked_rate', 'blocked_rate rate > 1 can never pass: blocked_rate is never more than 1 (100%)'],
    ['rate <= 1', 'blocked_rate', 'blocked_rate rate <= 1 can never fail: blocked_rate is never more than 1 (100%)'],
    ['rate < 150%', 'loss_rate', 'loss_rate rate < 150% can never fail: loss_rate is never more than 1 (100%)'],
    ['rate == 200%', 'loss_rate', 'loss_rate rate == 200% can never pass: loss_rate is never more than 1 (100%)'],
  ];
  for (const [expression, metric, problem] of refused) assert.equal(parseExpression(expression, metric), problem, expression);
  // the useful ones at the edges stay valid
  const kept: Array<[string, Parameters<typeof parseExpression>[1]]> = [
    ['rate == 0', 'loss_rate'],
    ['rate <= 0', 'loss_rate'],
    ['rate > 0', 'loss_rate'],
    ['rate < 1', 'blocked_rate'],
    ['rate >= 1', 'blocked_rate'],
    ['rate == 100%', 'blocked_rate'],
    ['count == 0', 'lost'],
    ['count <= 0', 'lost'],
    ['count > 0', 'received'],
    ['count < 0.5', 'lost'],
    ['count == 1.5k', 'sent'],
    ['p(99) < 2ms', 'latency'],
    ['max > 0us', 'latency'],
    ['avg >= 50k/s', 'throughput'],
  ];
  for (const [expression, metric] of kept) assert.equal(typeof parseExpression(expression, metric), 'object', expression);
  // in a file: one problem per threshold, with its path (exit 104)
  assert.deepEqual(
    problemsOf(
      scenario({ latency: ['avg < -1ms', 'p(99) < 2ms'], 'loss_rate{group:subscribers}': [{ threshold: 'rate >= 0', abortOnFail: true }] }),
    ),
    [
      'thresholds.latency[0]: latency avg < -1ms can never pass: latency is never negative',
      'thresholds["loss_rate{group:subscribers}"][0].threshold: loss_rate rate >= 0 can never fail: loss_rate is never negative',
    ],
  );
});

test('valid thresholds are normalized in order and written back as they were', () => {
  const raw = {
    latency: ['p(99) < 2ms'],
    'latency{group:subscribers}': ['p(50) < 500us', { threshold: 'max < 1s', abortOnFail: true, delayAbortEval: '2s' }],
    loss_rate: ['rate == 0'],
  };
  const s = scenarioOf(scenario(raw));
  assert.deepEqual(
    s.thresholds.map((t) => [t.key, t.metric, t.group, t.expression, t.value, t.abortOnFail, t.delayAbortEvalMs]),
    [
      ['latency', 'latency', null, 'p(99) < 2ms', 2000, false, 0],
      ['latency{group:subscribers}', 'latency', 'subscribers', 'p(50) < 500us', 500, false, 0],
      ['latency{group:subscribers}', 'latency', 'subscribers', 'max < 1s', 1_000_000, true, 2000],
      ['loss_rate', 'loss_rate', null, 'rate == 0', 0, false, 0],
    ],
  );
  assert.deepEqual(scenarioAsRun(s).thresholds, raw);
  assert.equal(problemsOf(scenario({}, { maxSendLag: '0s' }))[0], 'maxSendLag: must be longer than 0s, got "0s"');
});

/** The sample pipeline with a real histogram of 1..1000 µs on its workers, and a time series. */
function judged(): RunResult {
  const r = pipeline();
  const h = createLatencyHistogram();
  for (let us = 1; us <= 1000; us++) recordNs(h, us * 1000);
  r.groups[1]!.histogram = r.totals.histogram = encodeHistogram(h);
  r.timing.measuredMs = 300;
  r.timeseries = {
    intervalMs: 100,
    points: 5,
    t: [0, 100, 200, 300, 350],
    warmup: [true, false, false, false, false],
    groups: {
      producers: { sent: [50, 200, 100, 300, 10], received: [0, 0, 0, 0, 0] },
      workers: { sent: [0, 0, 0, 0, 0], received: [50, 100, 300, 200, 10] },
    },
    workers: {},
    kernel: {},
  } as unknown as TimeSeries;
  return r;
}

test('evaluation: every metric and aggregation, with one message each', () => {
  const r = judged();
  const s = scenarioOf({
    ...PUSH_PULL,
    thresholds: {
      latency: ['p(99) < 2ms', 'p(50) < 400us', 'avg < 1ms', 'max <= 1.1ms', 'min > 0us'],
      'throughput{group:workers}': ['avg >= 1k/s', 'min >= 1.5k/s', 'max < 3k/s', 'med == 2k/s'],
      'throughput{group:producers}': ['min > 1k/s'],
      throughput: ['p(50) > 1k/s'],
      loss_rate: ['rate < 5%', 'rate == 0'],
      lost: ['count == 200'],
      'blocked_rate{group:producers}': ['rate < 1%'],
      send_lag: ['p(99) < 1ms'],
    },
  });
  const results = evaluateThresholds(s.thresholds, {
    groups: r.groups,
    totals: r.totals,
    timeseries: r.timeseries,
    measuredMs: r.timing.measuredMs,
  });
  assert.deepEqual(
    results.map((x) => [x.passed, x.message]),
    [
      [true, 'latency p(99) = 990us, < 2.00ms'],
      [false, 'latency p(50) = 500us, not < 400us'],
      [true, 'latency avg = 501us, < 1.00ms'],
      [true, 'latency max = 1.00ms, <= 1.10ms'],
      [true, 'latency min = 1.00us, > 0.00us'],
      [true, 'throughput{group:workers} avg = 2.0k/s, >= 1.0k/s'],
      [false, 'throughput{group:workers} min = 1.0k/s, not >= 1.5k/s'],
      [false, 'throughput{group:workers} max = 3.0k/s, not < 3.0k/s'],
      [true, 'throughput{group:workers} med = 2.0k/s, == 2.0k/s'],
      [false, 'throughput{group:producers} min = 1.0k/s, not > 1.0k/s'],
      [true, 'throughput p(50) = 2.0k/s, > 1.0k/s'],
      [true, 'loss_rate rate = 2.0%, < 5.0%'],
      [false, 'loss_rate rate = 2.0%, not == 0%'],
      [true, 'lost count = 200, == 200'],
      [true, 'blocked_rate{group:producers} rate = 0%, < 1.0%'],
      [false, 'send_lag p(99): no samples, so not < 1.00ms'],
    ],
  );
  assert.equal(results[0]!.actual, 990.207);
  assert.equal(results[0]!.unit, 'us');
});

test('interval rates leave out warm-up, the drain and a short last point', () => {
  const r = judged();
  assert.deepEqual(intervalRates({ groups: r.groups, timeseries: r.timeseries, measuredMs: 300 }, null), [1000, 3000, 2000]);
  assert.deepEqual(intervalRates({ groups: r.groups, timeseries: r.timeseries, measuredMs: 300 }, r.groups[0]!), [2000, 1000, 3000]);
  assert.deepEqual(intervalRates({ groups: r.groups, measuredMs: 300 }, null), []);
});

test('latency_from_send is judged on histogramFromSend, for the topology and for a group', () => {
  const r = judged();
  // from the actual send: 1..100 µs, while `latency` (from the intended time) is 1..1000 µs
  const h = createLatencyHistogram();
  for (let us = 1; us <= 100; us++) recordNs(h, us * 1000);
  r.groups[1]!.histogramFromSend = r.totals.histogramFromSend = encodeHistogram(h);
  const s = scenarioOf({
    ...PUSH_PULL,
    thresholds: { latency_from_send: ['p(99) < 200us'], 'latency_from_send{group:workers}': ['max < 101us'], latency: ['p(99) < 200us'] },
  });
  const results = evaluateThresholds(s.thresholds, {
    groups: r.groups,
    totals: r.totals,
    timeseries: r.timeseries,
    measuredMs: r.timing.measuredMs,
  });
  assert.deepEqual(
    results.map((x) => [x.passed, x.message]),
    [
      [true, 'latency_from_send p(99) = 99.0us, < 200us'],
      [true, 'latency_from_send{group:workers} max = 100us, < 101us'],
      [false, 'latency p(99) = 990us, not < 200us'],
    ],
  );
  assert.equal(results[0]!.unit, 'us');
  // a group that measured nothing from the send (a sender) has no samples
  const none = evaluateThresholds(
    scenarioOf({ ...PUSH_PULL, thresholds: { 'latency_from_send{group:producers}': ['p(99) < 1ms'] } }).thresholds,
    {
      groups: r.groups,
      totals: r.totals,
      measuredMs: 300,
    },
  );
  assert.equal(none[0]!.message, 'latency_from_send{group:producers} p(99): no samples, so not < 1.00ms');
});
