import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunResult, TimelineEntry, TimeSeries } from '../../../src/core/types.js';
import { isBenchError } from '../../../src/core/errors.js';
import { ExitCode } from '../../../src/core/exit-codes.js';
import { createLatencyHistogram, encodeHistogram, recordNs, summarizeLatency } from '../../../src/stats/histogram.js';
import { REPORT_DATA_ID, type ReportData } from '../../../src/report/html/chart-spec.js';
import { baselines, ratioText } from '../../../src/report/html/comparison-section.js';
import { escapeHtml, jsonForScript } from '../../../src/report/html/escape.js';
import { html, trusted } from '../../../src/report/html/html.js';
import { percentileCurve } from '../../../src/report/html/percentile-curve.js';
import { buildReportHtml, variantLabels } from '../../../src/report/html/report-document.js';
import { chartBundle } from '../../../src/report/html/report-files.js';
import { readResults } from '../../../src/results/read.js';
import { MAX_SOCKET_MARKERS, runCharts, timelineMarkers } from '../../../src/report/html/run-charts.js';
import { formatBytes } from '../../../src/core/format.js';
import { verdictOf } from '../../../src/results/facts.js';
import { INTERRUPTED_PROBLEM } from '../../../src/core/types.js';
import { mixedEngines, pipeline } from '../../support/sample-result.js';

const HOSTILE = '<script>alert(1)</script>';
const OPTIONS = { bundle: '/* chart code */', generatedAt: new Date('2026-01-01T00:00:00Z'), toolVersion: '0.0.0-test' };

/** A histogram of 1..n microseconds, encoded as result.json carries it. */
function encodedMicros(n: number): string {
  const h = createLatencyHistogram();
  for (let us = 1; us <= n; us++) recordNs(h, us * 1000);
  return encodeHistogram(h);
}

/** Two points of warm-up, then three measured points (the last one short: 50 ms). */
function series(): TimeSeries {
  const g = (sent: number[], received: number[]) => ({
    sent,
    received,
    lost: [0, 0, 0, 2, 0],
    notSent: [0, 0, 0, 0, 0],
    blockedMs: [0, 0, 0, 0, 0],
    inFlight: [0, 1, 3, 0, 0],
    latency: { p50: [10, 10, 0, 12, 11], p99: [20, 30, 0, 40, 35] },
  });
  return {
    intervalMs: 100,
    points: 5,
    t: [-100, 0, 100, 200, 250],
    warmup: [true, true, false, false, false],
    groups: {
      producers: { ...g([100, 100, 100, 100, 50], [0, 0, 0, 0, 0]), latency: { p50: [0, 0, 0, 0, 0], p99: [0, 0, 0, 0, 0] } },
      workers: g([0, 0, 0, 0, 0], [90, 100, 100, 98, 50]),
    },
    workers: {},
    kernel: {},
  } as unknown as TimeSeries;
}

function withCharts(over: Partial<RunResult> = {}): RunResult {
  const r = pipeline({ timeseries: series(), ...over });
  r.groups[1]!.histogram = encodedMicros(1000);
  r.totals.histogram = r.groups[1]!.histogram;
  return r;
}

test('escapeHtml turns markup into text; jsonForScript cannot close its <script> and parses back unchanged', () => {
  assert.equal(escapeHtml(`${HOSTILE} & "x" 'y'`), '&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot; &#39;y&#39;');
  const value = { name: HOSTILE, comment: '<!-- -->', sep: '\u2028\u2029', amp: 'a&b' };
  const text = jsonForScript(value);
  assert.ok(!/[<>&\u2028\u2029]/.test(text), text);
  assert.deepEqual(JSON.parse(text), value);
});

test('html`` escapes every value unless it is trusted, joins arrays and skips false/null', () => {
  const out = html`<p title="${'"x"'}">${HOSTILE}${[html`<b>${'<i>'}</b>`, 'a<b']}${false}${null}${trusted('<hr>')}${3}</p>`;
  assert.equal(out.value, '<p title="&quot;x&quot;">&lt;script&gt;alert(1)&lt;/script&gt;<b>&lt;i&gt;</b>a&lt;b<hr>3</p>');
});

test('percentileCurve runs from p0 to the max at x = count, and its points equal the summary figures', () => {
  const encoded = encodedMicros(10_000);
  const points = percentileCurve(encoded);
  const h = createLatencyHistogram();
  for (let us = 1; us <= 10_000; us++) recordNs(h, us * 1000);
  const summary = summarizeLatency(h);
  assert.deepEqual(points[0], [1, summary.min]);
  assert.deepEqual(points.at(-1), [10_000, summary.max]);
  assert.equal(points.find(([x]) => x === 100)?.[1], summary.p99);
  assert.equal(points.find(([x]) => x === 10)?.[1], summary.p90);
  for (let i = 1; i < points.length; i++) {
    assert.ok(points[i]![0] > points[i - 1]![0], 'x increases');
    assert.ok(points[i]![1] >= points[i - 1]![1], 'latency never falls');
  }
  // 20 points per decade up to x < 10,000 (4 decades), then the max
  assert.equal(points.length, 81);
  assert.deepEqual(percentileCurve(''), []);
  assert.deepEqual(percentileCurve(encodeHistogram(createLatencyHistogram())), []);
});

test("runCharts: throughput per second from each point's own span, warm-up shaded, gaps where nothing was measured", () => {
  const { percentiles, time } = runCharts(withCharts(), 'run0');
  assert.equal(percentiles?.id, 'run0-percentiles');
  assert.deepEqual(
    percentiles?.curves.map((c) => c.label),
    ['workers (one-way)'],
  );
  const byId = new Map(time.map((c) => [c.id, c]));
  assert.deepEqual([...byId.keys()], ['run0-throughput', 'run0-loss', 'run0-in-flight', 'run0-latency']);
  const throughput = byId.get('run0-throughput')!;
  assert.deepEqual(throughput.t, [-0.1, 0, 0.1, 0.2, 0.25]);
  assert.equal(throughput.warmupEndS, 0);
  assert.deepEqual(
    throughput.series.map((s) => s.label),
    ['producers (sent)', 'workers (received)'],
  );
  // 50 messages in the last, 50 ms point are 1000/s, like the full points
  assert.deepEqual(throughput.series[1]!.values, [900, 1000, 1000, 980, 1000]);
  const latency = byId.get('run0-latency')!;
  assert.deepEqual(
    latency.series.map((s) => [s.label, s.dashed ?? false]),
    [
      ['workers p99', false],
      ['workers p50', true],
    ],
  );
  assert.deepEqual(latency.series[0]!.values, [20, 30, null, 40, 35]);
  // the loss chart shows receivers only; the sender's zero "not sent" is left out
  assert.deepEqual(
    byId.get('run0-loss')!.series.map((s) => s.label),
    ['workers lost'],
  );
});

test('runCharts: in flight shows the groups with a backlog, or the receivers at zero when nothing was ever in flight', () => {
  const r = withCharts();
  const inFlight = (result: RunResult) => runCharts(result, 'run0').time.find((c) => c.id === 'run0-in-flight')!.series;
  const backlog = inFlight(r);
  assert.ok(backlog.length > 0 && backlog.every((s) => s.values.some((v) => (v ?? 0) > 0)), JSON.stringify(backlog));
  const groups = Object.fromEntries(
    Object.entries(r.timeseries!.groups).map(([name, g]) => [name, { ...g, inFlight: g.inFlight.map(() => 0) }]),
  );
  const idle = inFlight({ ...r, timeseries: { ...r.timeseries!, groups } });
  // an empty chart drew nothing in the browser (a 300 ms inproc pipeline that kept up)
  assert.deepEqual(
    idle.map((s) => [s.label, s.values.every((v) => v === 0)]),
    [['workers', true]],
  );
});

test('timelineMarkers keeps every fault but marks at most MAX_SOCKET_MARKERS connection events', () => {
  const sockets: TimelineEntry[] = Array.from({ length: MAX_SOCKET_MARKERS + 50 }, (_, i) => ({
    tMs: i,
    kind: 'socket',
    group: 'g',
    instance: 0,
    event: 'connect:retry',
    address: 'tcp://127.0.0.1:1',
  }));
  const fault: TimelineEntry = { tMs: 5000, kind: 'fault', action: 'crash', target: 'g[0]', plannedMs: 5000 };
  const markers = timelineMarkers([...sockets, fault]);
  assert.equal(markers.filter((m) => m.kind === 'socket').length, MAX_SOCKET_MARKERS);
  assert.deepEqual(markers.at(-1), { tS: 5, kind: 'fault', label: 'crash g[0]' });
});

test('ratioText compares with the first variant and refuses meaningless ratios', () => {
  assert.equal(ratioText(100, 150), '1.50×');
  assert.equal(ratioText(200, 100), '0.50×');
  assert.equal(ratioText(0, 5), '-');
  assert.equal(ratioText(null, 5), '-');
  assert.equal(ratioText(5, null), '-');
});

test('variantLabels add the transport, then the folder, only while labels collide', () => {
  const named = (name: string, transport: string) => pipeline({ scenario: { name, transport } });
  assert.deepEqual(variantLabels([{ result: named('a', 'tcp') }, { result: named('b', 'tcp') }]), ['a', 'b']);
  assert.deepEqual(variantLabels([{ result: named('a', 'tcp') }, { result: named('a', 'ipc') }]), ['a · tcp', 'a · ipc']);
  assert.deepEqual(
    variantLabels([
      { result: named('a', 'tcp'), source: '/r/hwm-10/result.json' },
      { result: named('a', 'tcp'), source: '/r/hwm-1000/result.json' },
    ]),
    ['a · tcp · hwm-10', 'a · tcp · hwm-1000'],
  );
  assert.deepEqual(variantLabels([{ result: named('a', 'tcp') }, { result: named('a', 'tcp') }]), ['a · tcp · #1', 'a · tcp · #2']);
});

test('verdictOf: pass, not valid (97) and interrupted (105)', () => {
  assert.deepEqual(verdictOf(pipeline()), { status: 'pass', exitCode: ExitCode.ok, label: 'pass' });
  assert.equal(verdictOf(pipeline({ problems: ['no samples: no message reached a receiver'] })).exitCode, ExitCode.invalidMeasurement);
  assert.equal(verdictOf(pipeline({ complete: false, problems: [INTERRUPTED_PROBLEM] })).status, 'interrupted');
});

test('a report shows every string from the scenario as text: no markup gets through', () => {
  const r = withCharts({
    scenario: {
      name: HOSTILE,
      description: `<img src=x onerror=alert(2)>`,
      transport: '<b>tcp</b>',
      topology: { endpoints: [HOSTILE], groups: [{ name: HOSTILE, type: 'push', bind: HOSTILE }] },
    },
    problems: [`${HOSTILE} failed`],
  });
  r.groups[1]!.name = HOSTILE;
  r.groups[1]!.errors = [`<iframe>`];
  r.endpoints = { [HOSTILE]: [`tcp://<svg onload=alert(3)>`] };
  const page = buildReportHtml([{ result: r }], OPTIONS);
  // the two scripts of every report (the data and the chart code) and no other
  assert.equal(page.match(/<script/g)?.length, 2);
  assert.ok(!/<img|<iframe|<svg onload|<b>tcp/i.test(page));
  assert.ok(page.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
  assert.ok(page.includes('&lt;img src=x onerror=alert(2)&gt;'));
  const data = JSON.parse(page.split(`<script type="application/json" id="${REPORT_DATA_ID}">`)[1]!.split('</script>')[0]!) as ReportData;
  // in the data, the string is kept as it is: the chart code draws it as text on a canvas
  assert.ok(data.charts.some((c) => c.kind === 'percentile' && c.curves.some((s) => s.label === `${HOSTILE} (one-way)`)));
});

test('a report of several results compares them, with ratios to the first and one section per result', () => {
  const a = withCharts({ scenario: { name: 'p', transport: 'tcp' } });
  const b = withCharts({ scenario: { name: 'p', transport: 'ipc' } });
  b.totals.throughput.msgsPerSec = a.totals.throughput.msgsPerSec * 2;
  const page = buildReportHtml([{ result: a }, { result: b }], OPTIONS);
  assert.ok(page.includes('id="comparison"'));
  assert.ok(page.includes('<td class="num">2.00×</td>'));
  assert.equal(page.match(/<section class="run"/g)?.length, 2);
  const data = JSON.parse(page.split(`id="${REPORT_DATA_ID}">`)[1]!.split('</script>')[0]!) as ReportData;
  const ids = data.charts.map((c) => c.id);
  assert.ok(ids.includes('compare-throughput') && ids.includes('compare-percentiles') && ids.includes('compare-group-throughput'));
  assert.ok(ids.includes('run0-throughput') && ids.includes('run1-throughput'));
  assert.equal(new Set(ids).size, ids.length, 'chart ids are unique');
});

test('a suite of unrelated scenarios: ratios only to the first variant of the same scenario', () => {
  const p1 = withCharts({ scenario: { name: 'p', transport: 'tcp' } });
  const q = withCharts({ scenario: { name: 'q', transport: 'tcp' } });
  const p2 = withCharts({ scenario: { name: 'p', transport: 'ipc' } });
  q.totals.throughput.msgsPerSec = p1.totals.throughput.msgsPerSec * 7;
  p2.totals.throughput.msgsPerSec = p1.totals.throughput.msgsPerSec * 3;
  const variants = [
    { label: 'p tcp', result: p1 },
    { label: 'q', result: q },
    { label: 'p ipc', result: p2 },
  ];
  assert.deepEqual(
    baselines(variants).map((b) => b?.label ?? null),
    ['p tcp', null, 'p tcp'],
  );
  const page = buildReportHtml(
    variants.map(({ result }) => ({ result })),
    OPTIONS,
  );
  assert.ok(page.includes('<td class="num">3.00×</td>'), 'p over ipc against p over tcp');
  assert.ok(!page.includes('<td class="num">7.00×</td>'), 'no ratio of q against p');
  assert.ok(page.includes('Ratios are to the first variant of the same scenario'));
});

test('a chart bundle that contains "</script>" cannot end the inline script early', () => {
  const page = buildReportHtml([{ result: pipeline() }], { ...OPTIONS, bundle: 'const s = "</script><b>x</b>";' });
  assert.ok(page.includes('const s = "<\\/script><b>x</b>";'));
});

test('readResults reports every unreadable input at once as invalid input (104)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'zmq-bench-report-'));
  await writeFile(join(dir, 'not-json.json'), '{ nope');
  await writeFile(join(dir, 'array.json'), '[]');
  await writeFile(join(dir, 'other.json'), '{"name": "x"}');
  await mkdir(join(dir, 'empty'));
  await mkdir(join(dir, 'runs', 'b'), { recursive: true });
  await mkdir(join(dir, 'runs', 'a'), { recursive: true });
  await writeFile(join(dir, 'runs', 'b', 'result.json'), JSON.stringify(pipeline()));
  await writeFile(join(dir, 'runs', 'a', 'result.json'), JSON.stringify(pipeline()));

  const found = await readResults([join(dir, 'runs')]);
  assert.deepEqual(
    found.map((f) => f.source),
    [join(dir, 'runs', 'a', 'result.json'), join(dir, 'runs', 'b', 'result.json')],
  );

  await assert.rejects(
    readResults([join(dir, 'missing'), join(dir, 'not-json.json'), join(dir, 'array.json'), join(dir, 'other.json'), join(dir, 'empty')]),
    (e: unknown) => {
      assert.ok(isBenchError(e));
      assert.equal(e.exitCode, ExitCode.invalidInput);
      assert.equal(e.problems.length, 5);
      assert.match(e.problems[0]!, /missing: file not found$/);
      assert.match(e.problems[1]!, /not-json\.json: cannot read a result: /);
      assert.equal(e.problems[2], `${join(dir, 'array.json')}: expected a zmq-bench result.json (an object), got an array`);
      assert.equal(
        e.problems[3],
        `${join(dir, 'other.json')}: expected a zmq-bench result.json, but schemaVersion, totals, groups, timing, environment, endpoints are missing`,
      );
      assert.equal(e.problems[4], `${join(dir, 'empty')}: no result.json in this folder or below`);
      return true;
    },
  );
});

test('readResults refuses a FIFO or a device as a result at once instead of waiting for a writer for ever', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'zb-fifo-result-'));
  const fifo = join(dir, 'result.json');
  execFileSync('mkfifo', [fifo]);
  try {
    await assert.rejects(readResults([fifo, '/dev/zero']), (e: unknown) => {
      assert.ok(isBenchError(e));
      assert.deepEqual(e.problems, [
        `${fifo}: cannot read a result: is not a regular file (a FIFO); only regular files are read`,
        '/dev/zero: cannot read a result: is not a regular file (a character device); only regular files are read',
      ]);
      return true;
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('formatBytes uses binary units and picks the unit after rounding', () => {
  assert.equal(formatBytes(0), '0 B');
  assert.equal(formatBytes(512), '512 B');
  assert.equal(formatBytes(1536), '1.50 KiB');
  assert.equal(formatBytes(65_536), '64.0 KiB');
  assert.equal(formatBytes(1024 * 1024 - 1), '1.00 MiB');
  assert.equal(formatBytes(-1), '-');
});

test('the report of a 10-minute run stays under 2 MB: 2,000-point series, several groups, workers and endpoints', async () => {
  const points = 2000;
  const wave = (scale: number) => Array.from({ length: points }, (_, i) => Math.round(scale * (1 + Math.sin(i / 7)) * 1000) / 1000);
  const groupSeries = () => ({
    sent: wave(30_000),
    received: wave(29_999),
    lost: wave(3),
    notSent: wave(0),
    blockedMs: wave(12.345),
    inFlight: wave(9_999),
    latency: { p50: wave(123.456), p99: wave(4_567.891), max: wave(98_765.432) },
    sendLagP99: wave(0),
  });
  const r = withCharts();
  r.timeseries = {
    intervalMs: 300,
    points,
    t: Array.from({ length: points }, (_, i) => (i + 1) * 300),
    warmup: Array.from({ length: points }, () => false),
    groups: Object.fromEntries(['producers', 'workers', 'a', 'b'].map((g) => [g, groupSeries()])),
    workers: Object.fromEntries(
      ['0', '1', '2'].map((w) => [
        w,
        {
          eventLoopDelayP99Ms: wave(12.3),
          eventLoopDelayMaxMs: wave(45.6),
          heapUsedBytes: wave(12_345_678),
          heapTotalBytes: wave(23_456_789),
        },
      ]),
    ),
    kernel: Object.fromEntries(
      ['tasks', 'results'].map((e) => [
        e,
        { bindSendQueue: wave(1e6), bindRecvQueue: wave(1e5), connectSendQueue: wave(1e6), connectRecvQueue: wave(2e6) },
      ]),
    ),
  };
  r.groups.push({ ...r.groups[1]!, name: 'a' }, { ...r.groups[1]!, name: 'b' });
  const page = buildReportHtml([{ result: r }], { ...OPTIONS, bundle: await chartBundle() });
  assert.ok(page.length < 2_000_000, `${page.length} bytes`);
  assert.ok(page.length > 500_000, `the series are in it: ${page.length} bytes`);
});

test('the groups table has "p99 from send" after p99: the latency from the actual send, a dash where not measured', () => {
  const r = pipeline();
  r.groups[1]!.latencyFromSend = { ...r.groups[1]!.latency, p99: 50 };
  const page = buildReportHtml([{ result: r }], OPTIONS);
  assert.ok(page.includes('<th class="num">p99</th><th class="num">p99 from send</th><th class="num">p99.9</th>'));
  // workers: p99 210us from the intended time, 50.0us from the send, then p99.9
  assert.ok(page.includes('<td class="num">210us</td><td class="num">50.0us</td><td class="num">900us</td>'));
  // producers measure no latency: dashes, the new column included
  assert.ok(
    page.includes(
      '<td class="num">-</td><td class="num">-</td><td class="num">-</td><td class="num">-</td><td class="num">-</td><td class="num">-</td>',
    ),
  );
});

test('a run with a native group: its engine in the topology and the groups table, the native library in the environment', () => {
  const r = mixedEngines({
    scenario: {
      name: 'pipeline',
      transport: 'tcp',
      topology: {
        endpoints: ['work'],
        groups: [
          { name: 'producers', type: 'push', count: 2, bind: 'work' },
          { name: 'workers', type: 'pull', count: 4, connect: 'work' },
        ],
      },
    },
  });
  const page = buildReportHtml([{ result: r }], OPTIONS);
  // the topology takes the engine from result.json (the scenario may have left it to --engine)
  assert.ok(page.includes('>push ×2 · thread · native<'));
  assert.ok(page.includes('>pull ×4 · thread<'));
  assert.ok(page.includes('<th>placement</th><th>engine</th><th class="num">sent</th>'));
  assert.ok(page.includes('<td>producers</td><td>push ×2</td><td>thread</td><td>native</td>'));
  assert.ok(page.includes('<td>workers</td><td>pull ×4</td><td>thread</td><td>zeromq.js</td>'));
  assert.ok(page.includes('<dt>native engine</dt><dd>libzmq 4.3.5 · /opt/zeromq/build/Release/addon.node</dd>'));
});

test('a zeromq.js-only run shows no engine: no column, no topology note, no native library', () => {
  const r = pipeline({
    scenario: {
      name: 'pipeline',
      transport: 'tcp',
      topology: { endpoints: ['work'], groups: [{ name: 'producers', type: 'push', bind: 'work' }] },
    },
  });
  const page = buildReportHtml([{ result: r }], OPTIONS);
  assert.ok(page.includes('<th>placement</th><th class="num">sent</th>'));
  assert.ok(page.includes('>push ×1 · thread<'));
  assert.ok(!page.includes('native'));
});
