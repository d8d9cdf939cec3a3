import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunResult } from '../../../src/core/types.js';
import { expectProblemLine, expectProblems } from '../../../src/scenario/expect/check.js';
import { resolvePath } from '../../../src/scenario/expect/expectation.js';
import { lookupResultPath, parsePath, pathText, RESULT_FIELDS } from '../../../src/scenario/expect/result-paths.js';
import { LAT, pipeline } from '../../support/sample-result.js';

const GROUPS = ['producers', 'workers', 'slow'];

function lookup(path: string): string {
  const target = lookupResultPath(path.split('.'), GROUPS);
  return typeof target === 'string' ? target : `${target.group ?? '-'} ${target.field.scope} ${target.field.path}`;
}

/** The key the filled sample has under prefixes.counts: not a name, so it needs brackets. */
const PREFIX = 'news.';

const SIDE = { framesReceived: 1, bytesReceived: 2, framesSent: 3, bytesSent: 4 };
const TRAFFIC = { frontend: SIDE, backend: SIDE };

/** The sample pipeline with the optional group fields filled on groups[0] (producers). */
function withOptionalFields(): RunResult {
  const r = pipeline();
  r.groups[0] = {
    ...r.groups[0]!,
    requests: { stalled: 1, stalledMs: 2, retries: 3, recovered: 4, abandoned: 5, recoveryMs: 6 },
    sendLag: { summary: LAT, histogram: '' },
    firstMessageMs: 2.5,
    prefixes: { counts: { [PREFIX]: 7, '': 9 }, unmatched: 0 },
    refusedSends: { [PREFIX]: 3 },
    perSocket: { counts: { [PREFIX]: 5 }, maxShare: 1, maxDeviation: 0 },
    perSource: { counts: { [PREFIX]: 5 }, maxShare: 1, maxDeviation: 0 },
    content: {
      messages: 10,
      checked: 10,
      mismatched: 1,
      mismatchExamples: ['frame 0: "x"'],
      sequence: { first: 0, last: 9, missing: 0, gaps: 0, backwards: 0, unreadable: 0 },
      bytes: { min: 1, mean: 2, max: 3, total: 20 },
      interArrival: LAT,
      interArrivalHistogram: '',
    },
    welcomes: 2,
    subscriptions: { subscribe: 4, unsubscribe: 1, other: 0, prefixes: { [PREFIX]: 3 } },
    proxy: { frontend: 'xsub', backend: 'xpub', capture: null, counted: true, total: TRAFFIC, measured: TRAFFIC },
  };
  r.wire = { [PREFIX]: { connections: 1, bytesSent: 2, bytesReceived: 3 } };
  r.timeline = [
    {
      tMs: 500,
      kind: 'fault',
      action: 'partition',
      target: 'a ↔ b',
      plannedMs: 500,
      detectedMs: 5,
      recoveredMs: 6,
      queuedMax: 7,
      lostMeanwhile: 8,
    },
  ];
  return r;
}

/** Every path (as segments) to a number inside `v`, skipping what assertions are not meant to read. */
function numericLeaves(v: unknown, prefix: readonly string[], skip: readonly string[]): string[][] {
  if (typeof v === 'number') return [[...prefix]];
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return [];
  return Object.entries(v).flatMap(([k, child]) => (skip.includes(k) ? [] : numericLeaves(child, [...prefix, k], skip)));
}

test('known paths name their table row and group', () => {
  assert.equal(lookup('groups.slow.loss.head'), 'slow flow loss.head');
  assert.equal(lookup('groups.workers.blocked.share'), 'workers group blocked.share');
  assert.equal(lookup('groups.producers.sendLag.summary.p99'), 'producers group sendLag.summary.p99');
  assert.equal(lookup('totals.latencyFromSend.p999'), '- flow latencyFromSend.p999');
  assert.equal(lookup('timing.measuredMs'), '- top timing.measuredMs');
  assert.equal(lookup('groups.slow.prefixes.counts.news'), 'slow group prefixes.counts.<prefix>');
  assert.equal(typeof lookupResultPath(['groups', 'slow', 'prefixes', 'counts', 'a.b'], GROUPS), 'object');
  const stalled = lookupResultPath(['groups', 'workers', 'requests', 'stalled'], GROUPS);
  assert.equal(typeof stalled !== 'string' && stalled.field.optional, 'req groups only');
});

test('unknown paths say what is wrong and suggest the nearest field', () => {
  const cases: Array<[string, string]> = [
    ['groups.slow.los.head', '"groups.slow.los.head" is not a field of a group; did you mean loss.head?'],
    ['groups.slow.latency.p98', '"groups.slow.latency.p98" is not a field of a group; did you mean latency.p90?'],
    ['groups.slo.lost', 'no group "slo"; did you mean slow?'],
    ['groups.xyz.lost', 'no group "xyz"; the groups are producers, workers, slow'],
    ['groups.workers.loss', '"groups.workers.loss" is an object, not a number; use loss.head, loss.midstream or loss.tail'],
    ['groups.slow.prefixes.counts', '"groups.slow.prefixes.counts" is an object, not a number; use prefixes.counts.<prefix>'],
    ['groups.workers', '"groups.workers" needs a group name and a field, such as groups.subscribers.loss.head'],
    ['totals', '"totals" needs a field, such as totals.lost'],
    ['totals.blocked.ms', '"totals.blocked.ms": blocked.ms is a figure of each group, not of totals; use groups.<name>.blocked.ms'],
    ['totals.requests', '"totals.requests": requests is a figure of each group, not of totals; use groups.<name>.requests'],
    [
      'totals.bogus',
      '"totals.bogus" is not a field of totals; the fields are sent, received, expected, lost, loss.*, duplicates, reordered, misrouted, throughput.*, latency.*, latencyFromSend.* (docs/results.md)',
    ],
    [
      'groups.workers.bogus',
      '"groups.workers.bogus" is not a field of a group; the fields are sent, received, expected, lost, loss.*, duplicates, reordered, misrouted, throughput.*, latency.*, latencyFromSend.*, count, blocked.*, notSent, drained.*, firstMessageMs, requests.*, sendLag.*, prefixes.*, refusedSends.*, perSocket.*, perSource.*, content.*, welcomes, subscriptions.*, proxy.* (docs/results.md)',
    ],
    ['timing.measured', '"timing.measured" is not a field of the result; did you mean timing.measuredMs?'],
    [
      'total.lost',
      '"total.lost" is not a field of the result; paths start with groups.<name>., totals., timing. or networkFaults.<n>.; did you mean totals.lost?',
    ],
    [
      'environment.cores',
      '"environment.cores" is not a field of the result; paths start with groups.<name>., totals., timing. or networkFaults.<n>.',
    ],
  ];
  for (const [path, message] of cases) assert.equal(lookup(path), message, path);
});

test('parsePath splits on dots; keys that are not names go in brackets', () => {
  assert.deepEqual(parsePath('groups.late-subs.loss.head'), ['groups', 'late-subs', 'loss', 'head']);
  assert.deepEqual(parsePath('a.0.b'), ['a', '0', 'b']);
  assert.deepEqual(parsePath('groups.subs.prefixes.counts["news."]'), ['groups', 'subs', 'prefixes', 'counts', 'news.']);
  assert.deepEqual(parsePath('x[""]["a\\"b"].c'), ['x', '', 'a"b', 'c']);
  for (const bad of ['', 'a.', '.a', 'a..b', 'a.01', 'a b', '["a"].b', 'a.["b"]', 'a[b]', 'a["b"]c', 'a["\\q"]']) {
    assert.equal(
      parsePath(bad),
      `"${bad}" is not a path: expected names joined by dots, such as groups.subscribers.loss.head (other keys in brackets: counts["news."])`,
      bad,
    );
  }
  assert.equal(pathText(['groups', 'subs', 'prefixes', 'counts', 'news.']), 'groups.subs.prefixes.counts["news."]');
  assert.equal(pathText(['x', '', '7']), 'x[""].7');
});

test('every row of the table resolves to a number in a real-shaped result (the table cannot drift from types.ts)', () => {
  const plain = pipeline();
  const full = withOptionalFields();
  const names = plain.groups.map((g) => g.name);
  const roots: Record<string, string[][]> = {
    flow: [['totals'], ['groups', 'producers'], ['groups', 'workers']],
    group: [
      ['groups', 'producers'],
      ['groups', 'workers'],
    ],
    top: [[]],
  };
  let checked = 0;
  for (const f of RESULT_FIELDS) {
    for (const root of roots[f.scope]!) {
      // only groups[0] (producers) is given the optional fields
      if (f.optional !== undefined && root[1] === 'workers') continue;
      // <n> indexes a list (networkFaults), any other <key> names a key
      const segments = [...root, ...f.path.split('.').map((s) => (s === '<n>' ? '0' : s.startsWith('<') ? PREFIX : s))];
      const target = lookupResultPath(segments, names);
      assert.equal(typeof target !== 'string' && target.field, f, pathText(segments));
      const value = resolvePath(f.optional === undefined ? plain : full, segments);
      assert.equal(typeof value, 'number', `${pathText(segments)}: ${JSON.stringify(value)}`);
      checked++;
    }
  }
  // 28 flow rows × (totals + 2 groups) + 51 group rows and 21 of issue 22 (welcomes, 4 subscriptions,
  // 16 proxy counters) × 2 groups − their 66 optional ones of workers + 6 timing, 3 wire and 4 networkFaults rows
  assert.equal(RESULT_FIELDS.length, 28 + 51 + 21 + 6 + 3 + 4);
  assert.equal(checked, 28 * 3 + (51 + 21) * 2 - (45 + 21) + 6 + 3 + 4);
});

test('every number of a group, totals and timing has a row (a new field in types.ts needs one)', () => {
  const r = withOptionalFields();
  const names = r.groups.map((g) => g.name);
  const leaves = [
    ...numericLeaves(r.groups[0], ['groups', 'producers'], ['options']),
    ...numericLeaves(r.totals, ['totals'], []),
    ...numericLeaves(r.timing, ['timing'], []),
  ];
  const unlisted = leaves.filter((p) => typeof lookupResultPath(p, names) === 'string').map(pathText);
  assert.deepEqual(unlisted, []);
  // group: 28 flow + 21 own + 3 prefixes (two keys) + 1 refusedSends + 3 + 3 spreads + 21 content
  // + 1 welcomes + 4 subscriptions + 16 proxy counters; totals 28; timing 6
  assert.equal(leaves.length, 28 + 21 + 3 + 1 + 3 + 3 + 21 + 1 + 4 + 16 + 28 + 6);
});

test('expect blocks: every that reads and names real fields of real groups, with its location', () => {
  const problems = expectProblems(
    {
      behaviour: 'B10',
      claim: 'c',
      seed: '001',
      assertions: [
        { that: 'groups.slow.loss.head > 0', says: 'ok' },
        { that: 'totals.lost < groups.workers.sent', says: 'ok, a path on the right' },
        { that: 'groups.slow.los.head > 0', says: 'typo' },
        { that: 'groups.slow.lost = 0', says: 'bad operator' },
        { that: 'groups.slw.lost < groups.slow.recieved', says: 'two bad paths' },
      ],
    },
    GROUPS,
  );
  assert.deepEqual(problems.map(expectProblemLine), [
    'expect.assertions[2].that: "groups.slow.los.head" is not a field of a group; did you mean loss.head?',
    'expect.assertions[3].that: cannot read "groups.slow.lost = 0": expected <path> <operator> <number or path>, such as "groups.subscribers.loss.head > 0", with one of > >= < <= == !=',
    'expect.assertions[4].that: no group "slw"; did you mean slow?',
    'expect.assertions[4].that: "groups.slow.recieved" is not a field of a group; did you mean received?',
  ]);
  assert.equal(problems[0]!.pointer, '/expect/assertions/2/that');
});
