import { test } from 'node:test';
import assert from 'node:assert/strict';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { Comparison, FigureName, FigureStats, SuiteOutcome, VariantOutcome } from '../../../src/ci/types.js';
import type { RunResult, ThresholdResult } from '../../../src/core/types.js';
import { junitXml } from '../../../src/report/junit.js';
import { escapeMarkdown, markdownSummary } from '../../../src/report/markdown-summary.js';
import { bencherMetricFormat, benchmarkActionJson } from '../../../src/report/benchmark-json.js';
import { pipeline } from '../../support/sample-result.js';

/** Free text that must come out as text in every format. */
const HOSTILE = `<b>&"' a|b \u0001`;
const CPU = 'Xeon <E5> & "fast"';

const ENV = { ...pipeline().environment, cpuModel: CPU, cores: 8, hostname: 'ci-runner-1' };

function stats(unit: FigureStats['unit'], values: Array<number | null>): FigureStats {
  const measured = values.filter((v): v is number => v !== null).sort((a, b) => a - b);
  const mid = measured.length === 0 ? null : measured[Math.floor(measured.length / 2)]!;
  return {
    median: mid,
    min: measured[0] ?? null,
    max: measured.at(-1) ?? null,
    values,
    unit,
    better: unit === 'msgs/s' ? 'higher' : 'lower',
  };
}

function figures(
  t: Array<number | null>,
  p50: Array<number | null>,
  p99: Array<number | null>,
  loss: Array<number | null>,
): Record<FigureName, FigureStats> {
  return {
    throughput: stats('msgs/s', t),
    latency_p50: stats('us', p50),
    latency_p99: stats('us', p99),
    loss_rate: stats('fraction', loss),
  };
}

function run(startedAt: string, totalMs: number): RunResult {
  const r = pipeline({ environment: ENV });
  return { ...r, timing: { ...r.timing, startedAt, totalMs } };
}

function threshold(metric: string, expression: string, passed: boolean, message: string): ThresholdResult {
  return { metric, expression, actual: 1, limit: 2, unit: 'us', passed, abortOnFail: false, message };
}

/** Passes its thresholds, three repeats. */
const FAST: VariantOutcome = {
  name: 'fast',
  scenario: 'pipeline',
  transport: 'tcp',
  runs: [run('2024-05-01T10:00:01.000Z', 6100), run('2024-05-01T10:00:08.000Z', 6200), run('2024-05-01T10:00:15.000Z', 6300)],
  figures: figures([11_500, 12_000, 12_500], [80, 85.04, 90.2], [200, 210.4, 230], [0.01, 0.0123, 0.015]),
  thresholds: [
    threshold('latency', 'p(99) < 2ms', true, 'latency p(99) = 210us, < 2ms'),
    threshold('loss', 'rate < 0.05', true, 'loss rate = 1.23%, < 5%'),
  ],
  problems: [],
  exitCode: 0,
};

const FAILED_MESSAGE = `latency p(99) = 2.31ms, not < 2ms ${HOSTILE}`;

/** One run, one failed threshold, no loss figure (round trips). */
const SLOW: VariantOutcome = {
  name: 'slow_req-rep',
  scenario: 'req-rep',
  transport: 'ipc',
  runs: [run('2024-05-01T10:00:22.000Z', 5000)],
  figures: figures([950], [1_250], [2_310], [null]),
  thresholds: [
    threshold('latency{group:clients}', 'p(99) < 2ms', false, FAILED_MESSAGE),
    threshold('throughput', 'rate > 500', true, 'throughput = 950 msgs/s, > 500'),
  ],
  problems: [],
  exitCode: 99,
};

const COMPARISON: Comparison = {
  alpha: 0.05,
  tolerancePct: 10,
  // Not in verdict order: the Markdown table must put the regression first.
  changes: [
    {
      variant: 'fast',
      figure: 'throughput',
      baseline: stats('msgs/s', [9_800, 10_000, 10_200]),
      current: FAST.figures.throughput,
      changePct: 20,
      pValue: 0.008,
      method: 'mann-whitney',
      verdict: 'improvement',
      reason: '+20.0% (beyond ±10%), p = 0.008 < 0.05',
    },
    {
      variant: 'slow_req-rep',
      figure: 'throughput',
      baseline: stats('msgs/s', [null]),
      current: SLOW.figures.throughput,
      changePct: null,
      pValue: null,
      method: 'tolerance only',
      verdict: 'not comparable',
      reason: `no baseline figure ${HOSTILE}`,
    },
    {
      variant: 'fast',
      figure: 'latency_p99',
      baseline: stats('us', [140, 150, 160]),
      current: FAST.figures.latency_p99,
      changePct: 40.27,
      pValue: 0.0004,
      method: 'mann-whitney',
      verdict: 'regression',
      reason: `+40.3% (beyond ±10%), p < 0.001 ${HOSTILE}`,
    },
  ],
  onlyInBaseline: ['old-variant'],
  onlyInCurrent: [],
  notes: [`no repeats for slow_req-rep: changes judged by the tolerance alone`],
};

function suite(over: Partial<SuiteOutcome> = {}): SuiteOutcome {
  return {
    name: 'nightly',
    startedAt: '2024-05-01T10:00:00.000Z',
    environment: ENV,
    variants: [FAST, SLOW],
    comparison: COMPARISON,
    exitCode: 98,
    ...over,
  };
}

/** SLOW as a measurement that is not valid, with hostile problems. */
const PROBLEMS = [`role clients ${HOSTILE} failed`, 'second *problem* _here_ `x` [link](y) \\|'];
const INVALID = suite({ variants: [FAST, { ...SLOW, problems: PROBLEMS, exitCode: 97 }], exitCode: 97 });

// ---------------------------------------------------------------- JUnit

interface XmlNode {
  [key: string]: string | XmlNode | XmlNode[] | undefined;
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  htmlEntities: true, // decode &#10; and friends
  trimValues: false,
  parseAttributeValue: false,
  parseTagValue: false,
  isArray: (name) => ['testsuite', 'testcase', 'property', 'failure', 'error', 'skipped'].includes(name),
});

function parseJunit(xml: string): XmlNode {
  assert.equal(XMLValidator.validate(xml), true);
  return (parser.parse(xml) as { testsuites: XmlNode }).testsuites;
}

const list = (n: XmlNode, key: string): XmlNode[] => (n[key] as XmlNode[] | undefined) ?? [];
const attr = (n: XmlNode, key: string): string | undefined => n[`@${key}`] as string | undefined;

function counts(n: XmlNode): Record<string, string | undefined> {
  return {
    tests: attr(n, 'tests'),
    failures: attr(n, 'failures'),
    errors: attr(n, 'errors'),
    skipped: attr(n, 'skipped'),
    time: attr(n, 'time'),
  };
}

/** name → what the testcase holds: 'pass' or the kind of its child. */
function caseKinds(s: XmlNode): Array<[string, string]> {
  return list(s, 'testcase').map((c) => {
    const kind = ['failure', 'error', 'skipped'].find((k) => list(c, k).length > 0) ?? 'pass';
    return [attr(c, 'name')!, kind];
  });
}

test('junitXml: one testsuite per variant with exact counts, and totals on testsuites', () => {
  const root = parseJunit(junitXml(suite()));
  assert.equal(attr(root, 'name'), 'nightly');
  assert.deepEqual(counts(root), { tests: '9', failures: '2', errors: '0', skipped: '1', time: '23.600' });

  const [fast, slow, ...rest] = list(root, 'testsuite');
  assert.equal(rest.length, 0);
  assert.equal(attr(fast!, 'name'), 'fast');
  assert.equal(attr(fast!, 'timestamp'), '2024-05-01T10:00:01.000Z');
  assert.equal(attr(fast!, 'hostname'), 'ci-runner-1');
  assert.deepEqual(counts(fast!), { tests: '5', failures: '1', errors: '0', skipped: '0', time: '18.600' });
  assert.deepEqual(caseKinds(fast!), [
    ['valid measurement', 'pass'],
    ['latency p(99) < 2ms', 'pass'],
    ['loss rate < 0.05', 'pass'],
    ['regression: throughput', 'pass'],
    ['regression: latency_p99', 'failure'],
  ]);
  assert.ok(list(fast!, 'testcase').every((c) => attr(c, 'classname') === 'zmq-bench.fast'));

  assert.equal(attr(slow!, 'name'), 'slow_req-rep');
  assert.deepEqual(counts(slow!), { tests: '4', failures: '1', errors: '0', skipped: '1', time: '5.000' });
  assert.deepEqual(caseKinds(slow!), [
    ['valid measurement', 'pass'],
    ['latency{group:clients} p(99) < 2ms', 'failure'],
    ['throughput rate > 500', 'pass'],
    ['regression: throughput', 'skipped'],
  ]);
});

test('junitXml: failure, skipped and error elements carry the messages, escaped and stripped', () => {
  const xml = junitXml(INVALID);
  assert.ok(!xml.includes('\u0001'), 'characters XML 1.0 forbids are stripped');
  const root = parseJunit(xml);
  assert.deepEqual(counts(root), { tests: '9', failures: '2', errors: '1', skipped: '1', time: '23.600' });
  const [fast, slow] = list(root, 'testsuite');
  const cleaned = (s: string) => s.replace('\u0001', '');

  const regression = list(list(fast!, 'testcase')[4]!, 'failure')[0]!;
  assert.equal(attr(regression, 'type'), 'regression');
  assert.equal(attr(regression, 'message'), cleaned(COMPARISON.changes[2]!.reason));

  const [valid, failed, , notComparable] = list(slow!, 'testcase');
  const error = list(valid!, 'error')[0]!;
  assert.equal(attr(error, 'type'), 'invalid-measurement');
  assert.equal(attr(error, 'message'), cleaned(PROBLEMS[0]!));
  assert.equal(error['#text'], PROBLEMS.map(cleaned).join('\n'));

  const failure = list(failed!, 'failure')[0]!;
  assert.equal(attr(failure, 'type'), 'threshold');
  assert.equal(attr(failure, 'message'), cleaned(FAILED_MESSAGE));
  assert.equal(failure['#text'], cleaned(FAILED_MESSAGE));

  assert.equal(attr(list(notComparable!, 'skipped')[0]!, 'message'), cleaned(COMPARISON.changes[1]!.reason));
  assert.deepEqual(counts(slow!), { tests: '4', failures: '1', errors: '1', skipped: '1', time: '5.000' });
});

test('junitXml: environment properties on every testsuite; a line break in an attribute survives', () => {
  const root = parseJunit(
    junitXml(suite({ variants: [{ ...FAST, thresholds: [threshold('x', 'y', false, 'two\nlines')] }], comparison: null })),
  );
  const [only] = list(root, 'testsuite');
  const props = list(only!['properties'] as XmlNode, 'property').map((p) => [attr(p, 'name'), attr(p, 'value')]);
  assert.deepEqual(props, [
    ['cpu', CPU],
    ['cores', '8'],
    ['node', ENV.node],
    ['zeromq.js', ENV.zeromqJs],
    ['libzmq', ENV.libzmq],
  ]);
  assert.equal(attr(list(list(only!, 'testcase')[1]!, 'failure')[0]!, 'message'), 'two\nlines');
  assert.deepEqual(counts(root), { tests: '2', failures: '1', errors: '0', skipped: '0', time: '18.600' });
});

test('junitXml: an interrupted variant reports its problems as an invalid-measurement error', () => {
  const root = parseJunit(junitXml(suite({ variants: [{ ...FAST, problems: [], exitCode: 105 }], comparison: null, exitCode: 105 })));
  const error = list(list(list(root, 'testsuite')[0]!, 'testcase')[0]!, 'error')[0]!;
  assert.equal(attr(error, 'type'), 'invalid-measurement');
  assert.equal(attr(error, 'message'), 'not a valid measurement (exit code 105)');
  assert.equal(attr(root, 'errors'), '1');
});

// ---------------------------------------------------------------- Markdown

test('markdownSummary: heading, environment, the variant table and failed thresholds', () => {
  const lines = markdownSummary(suite()).split('\n');
  assert.equal(lines[0], '## nightly: REGRESSION');
  assert.equal(
    lines[2],
    'Xeon &lt;E5&gt; & "fast" × 8 cores, Linux x64, Node v20.0.0, zeromq.js 6.8.0, libzmq 4.3.5; started 2024-05-01T10:00:00.000Z',
  );
  const table = lines.slice(lines.indexOf('| Variant | Throughput | p50 | p99 | Loss | Thresholds | Verdict |'));
  assert.deepEqual(table.slice(0, 4), [
    '| Variant | Throughput | p50 | p99 | Loss | Thresholds | Verdict |',
    '| --- | ---: | ---: | ---: | ---: | ---: | --- |',
    '| fast | 12.0k msgs/s (11.5k–12.5k) | 85.0us | 210us | 1.2% | 2/2 | REGRESSION |',
    '| slow\\_req-rep | 950 msgs/s | 1.25ms | 2.31ms | — | 1/2 | THRESHOLD FAILED |',
  ]);
  const failed = lines.indexOf('### Failed thresholds');
  assert.ok(failed > 0);
  assert.deepEqual(lines.slice(failed + 2, failed + 3), [`- slow\\_req-rep: latency p(99) = 2.31ms, not &lt; 2ms &lt;b&gt;&"' a\\|b `]);
  assert.ok(!lines.includes('### Problems'));
});

test('markdownSummary: the comparison table puts regressions first, then the notes', () => {
  const lines = markdownSummary(suite()).split('\n');
  const at = lines.indexOf('### Compared with the baseline');
  assert.deepEqual(lines.slice(at + 1), [
    '',
    'Tolerance ±10%, significance level 0.05.',
    '',
    '| Variant | Figure | Baseline | Current | Change | p-value | Verdict |',
    '| --- | --- | ---: | ---: | ---: | ---: | --- |',
    '| fast | latency p99 | 150us | 210us | +40.3% | <0.001 | **regression** |',
    '| fast | throughput | 10.0k msgs/s | 12.0k msgs/s | +20.0% | 0.008 | improvement |',
    '| slow\\_req-rep | throughput | — | 950 msgs/s | — | — | not comparable |',
    '',
    '- only in the baseline: old-variant',
    '- no repeats for slow\\_req-rep: changes judged by the tolerance alone',
    '',
  ]);
  assert.ok(!markdownSummary(suite({ comparison: null })).includes('baseline'));
});

test('markdownSummary: problems are listed with everything Markdown-active escaped', () => {
  const md = markdownSummary(INVALID);
  const lines = md.split('\n');
  const at = lines.indexOf('### Problems');
  assert.deepEqual(lines.slice(at + 2, at + 4), [
    `- slow\\_req-rep: role clients &lt;b&gt;&"' a\\|b  failed`,
    '- slow\\_req-rep: second \\*problem\\* \\_here\\_ \\`x\\` \\[link\\](y) \\\\\\|',
  ]);
  assert.match(lines.find((l) => l.startsWith('| slow'))!, /\| NOT VALID \|$/);
  assert.ok(!/<[A-Za-z/!?]/.test(md), 'no HTML tag can open');
  assert.ok(!/[\u0000-\u0009\u000B-\u001F]/.test(md), 'no control characters');
});

test('escapeMarkdown keeps a cell on one line and its pipes inside it', () => {
  assert.equal(escapeMarkdown('a|b\nc\r\nd'), 'a\\|b c d');
  assert.equal(escapeMarkdown('\\|'), '\\\\\\|');
});

test('markdownSummary: the overall word follows the exit code', () => {
  const heading = (exitCode: number) => markdownSummary(suite({ exitCode })).split('\n')[0];
  assert.equal(heading(0), '## nightly: PASS');
  assert.equal(heading(99), '## nightly: THRESHOLD FAILED');
  assert.equal(heading(98), '## nightly: REGRESSION');
  assert.equal(heading(97), '## nightly: NOT VALID');
  assert.equal(heading(105), '## nightly: INTERRUPTED');
  assert.equal(heading(104), '## nightly: ERROR (exit code 104)');
});

// ---------------------------------------------------------------- benchmark JSON

const EXTRA_FAST = `3 runs; tcp; ${CPU} × 8`;
const EXTRA_SLOW = `1 run; ipc; ${CPU} × 8`;

test('benchmarkActionJson: smaller-is-better latency and loss, bigger-is-better throughput', () => {
  const { smallerIsBetter, biggerIsBetter } = benchmarkActionJson(suite());
  assert.deepEqual(JSON.parse(smallerIsBetter), [
    { name: 'fast - latency_p50', unit: 'us', value: 85.04, range: '± 5.1', extra: EXTRA_FAST },
    { name: 'fast - latency_p99', unit: 'us', value: 210.4, range: '± 15', extra: EXTRA_FAST },
    { name: 'fast - loss_rate', unit: '%', value: 1.23, range: '± 0.25', extra: EXTRA_FAST },
    { name: 'slow_req-rep - latency_p50', unit: 'us', value: 1250, extra: EXTRA_SLOW },
    { name: 'slow_req-rep - latency_p99', unit: 'us', value: 2310, extra: EXTRA_SLOW },
  ]);
  assert.deepEqual(JSON.parse(biggerIsBetter), [
    { name: 'fast - throughput', unit: 'msgs/s', value: 12000, range: '± 500', extra: EXTRA_FAST },
    { name: 'slow_req-rep - throughput', unit: 'msgs/s', value: 950, extra: EXTRA_SLOW },
  ]);
});

test('bencherMetricFormat: one benchmark per variant, bounds only with repeats, FigureStats units', () => {
  assert.deepEqual(JSON.parse(bencherMetricFormat(suite())), {
    fast: {
      throughput: { value: 12000, lower_value: 11500, upper_value: 12500 },
      'latency-p50': { value: 85.04, lower_value: 80, upper_value: 90.2 },
      'latency-p99': { value: 210.4, lower_value: 200, upper_value: 230 },
      'loss-rate': { value: 0.0123, lower_value: 0.01, upper_value: 0.015 },
    },
    'slow_req-rep': {
      throughput: { value: 950 },
      'latency-p50': { value: 1250 },
      'latency-p99': { value: 2310 },
    },
  });
});

test('benchmark outputs leave out variants that are not valid measurements', () => {
  const { smallerIsBetter, biggerIsBetter } = benchmarkActionJson(INVALID);
  const names = [...JSON.parse(smallerIsBetter), ...JSON.parse(biggerIsBetter)].map((e: { name: string }) => e.name);
  assert.deepEqual(names, ['fast - latency_p50', 'fast - latency_p99', 'fast - loss_rate', 'fast - throughput']);
  assert.deepEqual(Object.keys(JSON.parse(bencherMetricFormat(INVALID))), ['fast']);
  assert.deepEqual(JSON.parse(benchmarkActionJson(suite({ variants: [] })).smallerIsBetter), []);
});
