import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  evaluateExpectation,
  evaluateThat,
  parseExpectation,
  resolvePath,
  type ParsedExpectation,
} from '../../../src/scenario/expect/expectation.js';
import { pipeline } from '../../support/sample-result.js';

const PATH_FORM = 'expected names joined by dots, such as groups.subscribers.loss.head (other keys in brackets: counts["news."])';
const FORM = 'expected <path> <operator> <number or path>, such as "groups.subscribers.loss.head > 0", with one of > >= < <= == !=';

function parsed(that: string): ParsedExpectation {
  const p = parseExpectation(that);
  if (typeof p === 'string') assert.fail(`expected "${that}" to parse, got: ${p}`);
  return p;
}

test('a path, an operator and a plain number', () => {
  assert.deepEqual(parseExpectation('  groups.subscribers.loss.head > 0 '), {
    text: 'groups.subscribers.loss.head > 0',
    left: { text: 'groups.subscribers.loss.head', segments: ['groups', 'subscribers', 'loss', 'head'] },
    operator: '>',
    right: { kind: 'number', value: 0, text: '0' },
  });
  const numbers: Array<[string, number]> = [
    ['1000', 1000],
    ['0.05', 0.05],
    ['1e3', 1000],
    ['-1.5e-3', -0.0015],
    ['.5', 0.5],
  ];
  for (const [text, value] of numbers) {
    const right = parsed(`totals.lost <= ${text}`).right;
    assert.deepEqual(right, { kind: 'number', value, text }, text);
  }
  for (const op of ['>', '>=', '<', '<=', '==', '!='] as const) assert.equal(parsed(`totals.lost${op}3`).operator, op, op);
});

test('the right side may be a path; group names may contain - and _', () => {
  assert.deepEqual(parsed('groups.late-subs.received<groups.early_subs.received').right, {
    kind: 'path',
    text: 'groups.early_subs.received',
    segments: ['groups', 'early_subs', 'received'],
  });
});

test('operators inside a bracketed key are part of the key', () => {
  const p = parsed('groups.subs.prefixes.counts["a>=b \\"=\\" c"] >= groups.subs.prefixes.counts[""]');
  assert.deepEqual(p.left.segments, ['groups', 'subs', 'prefixes', 'counts', 'a>=b "=" c']);
  assert.equal(p.operator, '>=');
  assert.deepEqual(p.right, {
    kind: 'path',
    text: 'groups.subs.prefixes.counts[""]',
    segments: ['groups', 'subs', 'prefixes', 'counts', ''],
  });
  const r = { groups: [{ name: 'subs', prefixes: { counts: { 'a>=b "=" c': 5, '': 5 } } }] };
  assert.deepEqual(evaluateExpectation(p, r), {
    that: p.text,
    path: 'groups.subs.prefixes.counts["a>=b \\"=\\" c"]',
    actual: 5,
    expected: '>= groups.subs.prefixes.counts[""] (5)',
    holds: true,
  });
  assert.equal(
    evaluateThat('groups.subs.prefixes.counts["x."] == 0', r).missing,
    'groups.subs.prefixes.counts["x."] is not in the result (sub groups with subscription prefixes, and dish groups)',
  );
});

test('what cannot be read says what was expected', () => {
  const cases: Array<[string, string]> = [
    ['groups.a.lost = 0', `cannot read "groups.a.lost = 0": ${FORM}`],
    ['groups.a.lost => 3', `cannot read "groups.a.lost => 3": ${FORM}`],
    ['groups.a.lost', `cannot read "groups.a.lost": ${FORM}`],
    ['a > b > c', `cannot read "a > b > c": ${FORM}`],
    [
      '0 < groups.a.lost',
      'the left side of "0 < groups.a.lost" must be a path into the result (the figure measured), such as groups.subscribers.loss.head',
    ],
    [
      'groups.a.latency.p99 < 5ms',
      '"5ms" is not a plain number; write it in the field\'s unit without a suffix (latencies in µs, times in ms, shares as fractions of 1), such as 5000 for 5ms',
    ],
    ['groups..x > 0', `"groups..x" is not a path: ${PATH_FORM}`],
    [
      'totals.lost < groups.a[b].sent',
      `the right side of "totals.lost < groups.a[b].sent" must be a number or a path: "groups.a[b].sent" is not a path: ${PATH_FORM}`,
    ],
  ];
  for (const [that, message] of cases) assert.equal(parseExpectation(that), message, that);
});

test('evaluation reads the figure, compares, and shows the right-hand side', () => {
  const r = pipeline();
  assert.deepEqual(evaluateThat('groups.workers.loss.tail == 200', r), {
    that: 'groups.workers.loss.tail == 200',
    path: 'groups.workers.loss.tail',
    actual: 200,
    expected: '== 200',
    holds: true,
  });
  assert.deepEqual(evaluateThat('groups.workers.latency.p99 < 200', r), {
    that: 'groups.workers.latency.p99 < 200',
    path: 'groups.workers.latency.p99',
    actual: 210.4,
    expected: '< 200',
    holds: false,
  });
  assert.deepEqual(evaluateExpectation(parsed('totals.lost < groups.producers.sent'), r), {
    that: 'totals.lost < groups.producers.sent',
    path: 'totals.lost',
    actual: 200,
    expected: '< groups.producers.sent (10000)',
    holds: true,
  });
  assert.equal(evaluateThat('timing.measuredMs >= 5e3', r).holds, true);
  assert.equal(evaluateThat('timing.measuredMs > 5e3', r).holds, false);
  assert.equal(evaluateThat('totals.duplicates != 1', r).holds, false);
});

test('a path that does not end on a number is an error, never a silent false', () => {
  const r = pipeline();
  const missing = (that: string) => evaluateThat(that, r).missing;
  assert.equal(missing('groups.workers.loss > 0'), 'groups.workers.loss is an object, not a number');
  assert.equal(missing('groups.nobody.sent > 0'), 'the result has no group "nobody"');
  assert.equal(missing('groups.producers.requests.stalled == 0'), 'groups.producers.requests is not in the result (req groups only)');
  assert.equal(missing('groups.workers.name > 0'), 'groups.workers.name is a string ("workers"), not a number');
  assert.equal(missing('totals.lost < groups.workers.loss'), 'groups.workers.loss is an object, not a number');
  assert.equal(missing('totals.lost.x > 0'), 'totals.lost is 200, not an object with x');
  assert.equal(missing('groups.a.lost = 0'), `cannot read "groups.a.lost = 0": ${FORM}`);
  const e = evaluateThat('groups.workers.loss > 0', r);
  assert.equal(e.holds, false);
  assert.equal(e.actual, null);
});

test('resolvePath: groups by name, lists by index, keys otherwise', () => {
  const r = pipeline();
  assert.equal(resolvePath(r, ['groups', 'producers', 'sent']), 10_000);
  // groups are named, never indexed: the static check knows names only
  assert.deepEqual(resolvePath(r, ['groups', '1', 'received']), { missing: 'the result has no group "1"' });
  assert.deepEqual(resolvePath(r, ['endpoints', 'work', '0']), {
    missing: 'endpoints.work.0 is a string ("tcp://127.0.0.1:5555"), not a number',
  });
  assert.equal(
    resolvePath(
      {
        series: [
          [1, 2],
          [3, 4],
        ],
      },
      ['series', '1', '0'],
    ),
    3,
  );
  assert.equal(resolvePath(r, ['environment', 'cores']), 2);
  assert.deepEqual(resolvePath(null, ['totals', 'lost']), { missing: 'the result is null, not an object with totals' });
  assert.deepEqual(resolvePath({ totals: { lost: Number.NaN } }, ['totals', 'lost']), { missing: 'totals.lost is NaN, not a number' });
});

test('networkFaults.<n> counts the partitions and cuts of the timeline in order, past kills, slow links and heals', () => {
  const fault = (action: string, figures: object) => ({ tMs: 1, kind: 'fault', action, target: 'a ↔ b', plannedMs: 1, ...figures });
  const result = {
    groups: [],
    timeline: [
      fault('kill', {}),
      fault('partition', { detectedMs: 585.5, recoveredMs: 300, queuedMax: 1700, lostMeanwhile: 1750 }),
      { tMs: 2, kind: 'socket', group: 'a', instance: 0, event: 'disconnect', address: '' },
      fault('slow', {}),
      fault('cut', { detectedMs: null, recoveredMs: 10, queuedMax: 4, lostMeanwhile: 0 }),
      fault('heal', {}),
    ],
  };
  assert.equal(resolvePath(result, ['networkFaults', '0', 'detectedMs']), 585.5);
  assert.equal(resolvePath(result, ['networkFaults', '1', 'queuedMax']), 4);
  assert.deepEqual(resolvePath(result, ['networkFaults', '1', 'detectedMs']), {
    missing: 'networkFaults.1.detectedMs is null, not a number',
  });
  assert.equal(evaluateThat('networkFaults.0.detectedMs < 800', result).holds, true);
  assert.match(evaluateThat('networkFaults.2.queuedMax > 0', result).missing ?? '', /networkFaults\.2 is not in the result/);
});
