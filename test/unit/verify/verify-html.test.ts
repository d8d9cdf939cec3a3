import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunResult, TimeSeries, TimeSeriesGroup } from '../../../src/core/types.js';
import { catalogueHtml, keyChart, seriesForField, type CatalogueClaim } from '../../../src/verify/catalogue-html.js';
import { judgeRun } from '../../../src/verify/verdict.js';
import type { Assertion } from '../../../src/scenario/expect/schema.js';
import { pipeline } from '../../support/sample-result.js';

/** catalogue.html from hand-made results: escaping, one card per claim, the key chart's data. */

const NOW = new Date('2024-01-01T00:00:00.000Z');
const OPTS = { generatedAt: NOW, toolVersion: '0.1.0' };

function tsGroup(over: Partial<TimeSeriesGroup>): TimeSeriesGroup {
  const zeros = () => [0, 0, 0, 0, 0];
  return {
    sent: zeros(),
    received: zeros(),
    lost: zeros(),
    notSent: zeros(),
    blockedMs: zeros(),
    inFlight: zeros(),
    latency: { p50: zeros(), p99: zeros(), max: zeros() },
    sendLagP99: zeros(),
    ...over,
  };
}

/** The sample pipeline with five points: one in warm-up, a kill at 2 s, measured until 3.5 s, the tail lost at the end. */
function sampled(over: Partial<RunResult> = {}): RunResult {
  const timeseries: TimeSeries = {
    intervalMs: 1000,
    points: 5,
    t: [0, 1000, 2000, 3000, 4000],
    warmup: [true, false, false, false, false],
    groups: {
      producers: tsGroup({ sent: [0, 2500, 2500, 2500, 2500], blockedMs: [0, 0, 12, 40, 3] }),
      workers: tsGroup({
        received: [0, 2500, 2450, 2450, 2400],
        lost: [0, 0, 50, 50, 100],
        latency: { p50: [0, 80, 85, 90, 80], p99: [0, 200, 210, 220, 205], max: [0, 900, 1200, 1000, 950] },
      }),
    },
    workers: {},
    kernel: {},
  };
  const base = pipeline();
  return pipeline({
    timing: { ...base.timing, measuredMs: 3500 },
    timeseries,
    timeline: [{ tMs: 2000, kind: 'fault', action: 'kill', target: 'workers[1]', plannedMs: 2000 }],
    ...over,
  });
}

const a = (that: string, says: string, required = true): Assertion => ({ that, says, required });

function claim(
  behaviour: string,
  claimText: string,
  assertions: Assertion[],
  result: RunResult | null = sampled(),
  report?: string,
): CatalogueClaim {
  const entry = judgeRun({ behaviour, claim: claimText, seeds: ['003'], transports: ['inproc', 'ipc', 'tcp'], assertions }, result);
  return { entry, result, scenario: 'pipeline', transport: 'tcp', ...(report !== undefined ? { report } : {}) };
}

const count = (text: string, needle: string) => text.split(needle).length - 1;

test('a path picks its series: loss → lost, blocked → ms blocked, latency.p99 → p99, stalled → in flight', () => {
  const cases: Array<[string[], string | undefined, string | undefined]> = [
    [['lost'], undefined, 'lost'],
    [['loss', 'head'], undefined, 'lost'],
    [['received'], undefined, 'received'],
    [['sent'], undefined, 'sent'],
    [['blocked', 'ms'], undefined, 'blockedMs'],
    [['blocked', 'share'], undefined, 'blockedMs'],
    [['notSent'], undefined, 'notSent'],
    [['requests', 'stalled'], undefined, 'inFlight'],
    [['requests', 'recovered'], undefined, 'received'],
    [['latency', 'p99'], undefined, 'latencyP99'],
    [['latency', 'p50'], undefined, 'latencyP50'],
    [['latencyFromSend', 'max'], undefined, 'latencyMax'],
    [['sendLag', 'summary', 'p99'], undefined, 'sendLagP99'],
    [['throughput', 'msgsPerSec'], 'sends', 'sent'],
    [['throughput', 'msgsPerSec'], 'receives', 'received'],
    [['prefixes', 'counts', 'news.'], undefined, 'received'],
    [['count'], undefined, undefined],
  ];
  for (const [field, direction, want] of cases) assert.equal(seriesForField(field, direction), want, field.join('.'));
});

test("the key chart is the series the first assertion reads, with the run's faults and times", () => {
  const chart = keyChart(claim('B17', 'c', [a('groups.workers.loss.tail > 0', 'lost')]).entry, sampled());
  assert.ok(chart);
  assert.equal(chart.title, 'workers: lost per interval');
  assert.deepEqual(
    chart.series.map((s) => [s.group, s.name, s.values]),
    [['workers', 'lost', [0, 0, 50, 50, 100]]],
  );
  assert.deepEqual(chart.t, [0, 1000, 2000, 3000, 4000]);
  assert.deepEqual(chart.faults, [{ tMs: 2000, what: 'kill workers[1]' }]);
  assert.equal(chart.measuredMs, 3500);

  const blocked = keyChart(claim('B18', 'c', [a('groups.producers.blocked.ms > 0', 'blocked')]).entry, sampled());
  assert.deepEqual(
    blocked?.series.map((s) => [s.name, s.values]),
    [['blockedMs', [0, 0, 12, 40, 3]]],
  );
  const p99 = keyChart(claim('B1', 'c', [a('groups.workers.latency.p99 < 1000', 'fast')]).entry, sampled());
  assert.deepEqual(
    p99?.series.map((s) => [s.name, s.values]),
    [['latencyP99', [0, 200, 210, 220, 205]]],
  );
  // totals.*: counters summed over every group
  const totals = keyChart(claim('B2', 'c', [a('totals.sent > 0', 'sent')]).entry, sampled());
  assert.equal(totals?.title, 'all groups: sent per interval');
  assert.deepEqual(totals?.series[0]?.values, [0, 2500, 2500, 2500, 2500]);
});

test('paths without a series fall back to received and lost of the group named, else of the first receiver', () => {
  const named = keyChart(claim('B3', 'c', [a('groups.producers.count == 2', 'two')]).entry, sampled());
  assert.deepEqual(
    named?.series.map((s) => [s.group, s.name]),
    [
      ['producers', 'received'],
      ['producers', 'lost'],
    ],
  );
  const top = keyChart(claim('B3', 'c', [a('timing.measuredMs > 0', 'ran')]).entry, sampled());
  assert.equal(top?.title, 'workers: received and lost per interval');
  assert.deepEqual(
    top?.series.map((s) => s.values),
    [
      [0, 2500, 2450, 2450, 2400],
      [0, 0, 50, 50, 100],
    ],
  );
  // no time series, or no result: no chart, and the page says so
  assert.equal(keyChart(claim('B3', 'c', [a('totals.lost > 0', 'x')]).entry, pipeline()), undefined);
  assert.equal(keyChart(claim('B3', 'c', [a('totals.lost > 0', 'x')], null).entry, null), undefined);
  const page = catalogueHtml([claim('B3', 'c', [a('totals.lost > 0', 'x')], pipeline())], OPTS);
  assert.match(page, /no time series in this result/);
  assert.doesNotMatch(page, /<svg/);
});

test('the SVG polyline has a point per interval, the peak at the top and zero on the axis', () => {
  const page = catalogueHtml([claim('B17', 'c', [a('groups.workers.lost > 0', 'lost')])], OPTS);
  const line = /<polyline class="key-line s0" data-series="lost" data-points="5" points="([^"]+)"/.exec(page);
  assert.ok(line, page);
  const points = line[1]!.split(' ').map((p) => p.split(',').map(Number));
  assert.equal(points.length, 5);
  const ys = points.map((p) => p[1]!);
  const xs = points.map((p) => p[0]!);
  assert.deepEqual(
    [...xs].sort((p, q) => p - q),
    xs,
    'x grows with time',
  );
  assert.equal(Math.min(...ys), ys[4], 'the largest value (100) is highest');
  assert.equal(ys[0], ys[1], 'zeros sit on one line');
  assert.ok(ys[0]! > ys[2]!);
  assert.match(page, /data-peak="100"/);
  assert.match(page, /<line class="key-fault"[^>]*><title>kill workers\[1\] at 2 s<\/title>/);
  assert.match(page, /<line class="key-stop"/);
});

test('hostile claim text, assertion words and problems reach the page as text only', () => {
  const hostile = '<script>alert(1)</script> & "quoted" \'single\'';
  const says = '"><img src=x onerror=alert(2)>';
  const entries = [
    claim('B7', hostile, [a('groups.workers.loss.tail > 0', says)], sampled(), 'B7-<x>"/report.html'),
    claim('B2', 'fine', [a('totals.received > 0', 'ok')], sampled({ problems: ['role <b>died</b>'] })),
  ];
  const page = catalogueHtml(entries, {
    ...OPTS,
    skipped: [{ behaviour: 'B10', claim: '<i>tcp</i> only', scenario: 's', transports: ['tcp'] }],
    transport: 'inproc',
  });
  assert.doesNotMatch(page, /<script/i, 'no script element at all');
  assert.doesNotMatch(page, /<img/);
  assert.doesNotMatch(page, /<b>died|<i>tcp/);
  assert.ok(page.includes('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quoted&quot; &#39;single&#39;'));
  assert.ok(page.includes('&quot;&gt;&lt;img src=x onerror=alert(2)&gt;'));
  assert.ok(page.includes('role &lt;b&gt;died&lt;/b&gt;'));
  // the report link is relative and each segment URL-encoded
  assert.ok(page.includes('href="B7-%3Cx%3E%22/report.html"'), page);
  assert.doesNotMatch(page, /(?:src|href)="(?:https?:)?\/\//, 'nothing external');
});

test('one card per claim in id order, with seeds, each assertion, the verdict and the skipped claims', () => {
  const entries = [
    claim(
      'B17',
      'workers die',
      [a('groups.workers.lost == 0', 'nothing lost', false), a('groups.workers.received > 0', 'goes on')],
      sampled(),
      'B17-pipeline/report.html',
    ),
    claim('B3', 'replies', [a('groups.workers.misrouted == 0', 'none misrouted')]),
    claim('B10', 'drops', [a('groups.workers.loss.midstream > 0', 'dropped at the HWM')]),
    claim('B2', 'not measured', [a('totals.received > 0', 'x')], null),
  ];
  const page = catalogueHtml(entries, {
    ...OPTS,
    transport: 'ipc',
    skipped: [{ behaviour: 'B12', claim: 'tcp thing', scenario: 'restart', transports: ['tcp'] }],
  });
  const ids = [...page.matchAll(/data-claim="(B[0-9]+)" data-scenario="pipeline" data-verdict="([^"]+)"/g)].map((m) => [m[1], m[2]]);
  assert.deepEqual(ids, [
    ['B2', 'not measured'],
    ['B3', 'holds'],
    ['B10', 'does not hold'],
    ['B17', 'holds partly'],
  ]);
  assert.equal(count(page, '<svg class="key"'), 3, 'a chart for every claim with a result');
  assert.equal(count(page, 'data-skipped="B12"'), 1);
  assert.match(page, /<title>zmq-bench verify: 4 claims on ipc<\/title>/);
  assert.match(page, /4 claims: 1 holds, 1 holds partly, 1 does not hold, 1 not measured; 1 skipped/);
  assert.match(page, /seed 003 · scenario pipeline on tcp · <a href="B17-pipeline\/report.html">report<\/a>/);
  assert.match(
    page,
    /<li class="fails" data-holds="false" data-required="false"><span class="mark" aria-label="fails">✗<\/span>nothing lost: <code>groups.workers.lost<\/code> = <b data-actual="200">200<\/b>, want == 0 <span class="tag">not required<\/span>/,
  );
  assert.match(
    page,
    /<li class="holds" data-holds="true" data-required="true"><span class="mark" aria-label="holds">✓<\/span>goes on: <code>groups.workers.received<\/code> = <b data-actual="9800">9,800<\/b>, want &gt; 0 <span class="tag required">required<\/span>/,
  );
  assert.match(page, /<span class="verdict partly">holds partly<\/span>/);
  assert.match(page, /not measured:<\/strong><ul><li>the scenario produced no result<\/li>/);
  assert.match(page, /@media \(prefers-color-scheme: dark\)/);
});

test('two scenarios of one claim get their own cards and anchors; a one-point series is drawn as a dot', () => {
  const one = sampled();
  const ts = one.timeseries!;
  const short = { ...one, timeseries: { ...ts, points: 1, t: [80], warmup: [false], groups: { workers: tsGroup({ received: [2000] }) } } };
  const first = {
    ...claim('B14', 'round robin', [a('groups.workers.received > 0', 'all arrived')], short),
    scenario: 'first-worker-burst',
  };
  const second = { ...claim('B14', 'round robin', [a('groups.workers.lost == 0', 'none lost')]), scenario: 'round-robin' };
  const page = catalogueHtml([first, second], OPTS);
  assert.match(page, /id="B14-first-worker-burst"/);
  assert.match(page, /id="B14-round-robin"/);
  assert.match(page, /<a href="#B14-first-worker-burst">B14 \(first-worker-burst\)<\/a>/);
  assert.match(
    page,
    /data-points="1" points="[0-9.]+,[0-9.]+"><title>received per interval<\/title><\/polyline><circle class="key-dot s0"/,
  );
  assert.equal(count(page, '<circle'), 1);
});
