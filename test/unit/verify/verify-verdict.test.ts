import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ExitCode } from '../../../src/core/exit-codes.js';
import { Value } from '@sinclair/typebox/value';
import { EXPECT_LIMITS, ExpectSchema, normalizeExpect, type Expectation } from '../../../src/scenario/expect/schema.js';
import { catalogueExitCode, judgeRun, verdictOf } from '../../../src/verify/verdict.js';
import { pipeline } from '../../support/sample-result.js';

/** B10 on the sample pipeline (tail 200, p99 210.4us, 9,800 received): assertions given as [that, required]. */
function expectation(...assertions: Array<[string, boolean]>): Expectation {
  return {
    behaviour: 'B10',
    claim: 'slow subscriber: drops after the HWM',
    seeds: ['001'],
    transports: ['inproc', 'ipc', 'tcp'],
    assertions: assertions.map(([that, required], i) => ({ that, says: `says ${i}`, required })),
  };
}

const HOLDS: [string, boolean] = ['groups.workers.loss.tail == 200', true];
const FAILS: [string, boolean] = ['groups.workers.latency.p99 < 200', true];
const FAILS_OPTIONAL: [string, boolean] = ['groups.workers.latency.p99 < 200', false];

test('verdictOf: all, some or none hold', () => {
  assert.equal(verdictOf([{ holds: true }, { holds: true }]), 'holds');
  assert.equal(verdictOf([{ holds: true }, { holds: false }]), 'holds partly');
  assert.equal(verdictOf([{ holds: false }, { holds: false }]), 'does not hold');
});

test('judgeRun evaluates every assertion against the result', () => {
  const entry = judgeRun(expectation(HOLDS, FAILS_OPTIONAL), pipeline());
  assert.deepEqual(entry, {
    behaviour: 'B10',
    claim: 'slow subscriber: drops after the HWM',
    seeds: ['001'],
    verdict: 'holds partly',
    problems: [],
    assertions: [
      {
        that: 'groups.workers.loss.tail == 200',
        path: 'groups.workers.loss.tail',
        actual: 200,
        expected: '== 200',
        holds: true,
        says: 'says 0',
        required: true,
      },
      {
        that: 'groups.workers.latency.p99 < 200',
        path: 'groups.workers.latency.p99',
        actual: 210.4,
        expected: '< 200',
        holds: false,
        says: 'says 1',
        required: false,
      },
    ],
  });
  assert.equal(judgeRun(expectation(HOLDS, HOLDS), pipeline()).verdict, 'holds');
  assert.equal(judgeRun(expectation(FAILS, FAILS_OPTIONAL), pipeline()).verdict, 'does not hold');
});

test('a run with problems, no result, or an unreadable figure is not measured', () => {
  const crashed = judgeRun(expectation(HOLDS), pipeline({ problems: ['role workers[0] crashed'] }));
  assert.equal(crashed.verdict, 'not measured');
  assert.deepEqual(crashed.problems, ['role workers[0] crashed']);
  // the figures are still read, for the table
  assert.equal(crashed.assertions[0]!.actual, 200);

  assert.deepEqual(judgeRun(expectation(HOLDS), pipeline({ complete: false })).problems, ['the run did not complete']);
  const none = judgeRun(expectation(HOLDS), null);
  assert.equal(none.verdict, 'not measured');
  assert.deepEqual(none.problems, [
    'the scenario produced no result',
    'groups.workers.loss.tail == 200: the result is null, not an object with groups',
  ]);

  const unreadable = judgeRun(expectation(HOLDS, ['groups.workers.requests.stalled == 0', true]), pipeline());
  assert.equal(unreadable.verdict, 'not measured');
  assert.deepEqual(unreadable.problems, [
    'groups.workers.requests.stalled == 0: groups.workers.requests is not in the result (req groups only)',
  ]);
});

test('exit code: 0 when every required assertion holds, 99 when one does not, 97 when a claim was not measured', () => {
  const ok = judgeRun(expectation(HOLDS), pipeline());
  const partlyButNotRequired = judgeRun(expectation(HOLDS, FAILS_OPTIONAL), pipeline());
  const failed = judgeRun(expectation(HOLDS, FAILS), pipeline());
  const notMeasured = judgeRun(expectation(HOLDS), pipeline({ problems: ['interrupted'] }));
  assert.equal(catalogueExitCode([]), ExitCode.ok);
  assert.equal(catalogueExitCode([ok, partlyButNotRequired]), 0);
  assert.equal(catalogueExitCode([ok, failed, partlyButNotRequired]), 99);
  assert.equal(catalogueExitCode([failed, notMeasured]), 97);
});

test('normalizeExpect: seed ids as a list of three digits, required true by default', () => {
  assert.deepEqual(
    normalizeExpect({
      behaviour: 'B7',
      claim: 'c',
      seed: [0, '003'],
      assertions: [
        { that: 'totals.lost > 0', says: 's' },
        { that: 'totals.lost < 9', says: 't', required: false },
      ],
    }),
    {
      behaviour: 'B7',
      claim: 'c',
      seeds: ['000', '003'],
      transports: ['inproc', 'ipc', 'tcp'],
      assertions: [
        { that: 'totals.lost > 0', says: 's', required: true },
        { that: 'totals.lost < 9', says: 't', required: false },
      ],
    },
  );
  assert.deepEqual(normalizeExpect({ behaviour: 'B7', claim: 'c', seed: 2, assertions: [] }).seeds, ['002']);
});

test('ExpectSchema: ids, one-line texts, seeds and at most 20 assertions', () => {
  const good = {
    behaviour: 'B7',
    claim: 'late subscribers miss the head',
    seed: '002',
    assertions: [{ that: 'totals.lost > 0', says: 's', required: false }],
  };
  assert.equal(Value.Check(ExpectSchema, good), true);
  assert.equal(Value.Check(ExpectSchema, { ...good, seed: ['000', 3] }), true);
  const bad: Array<[string, unknown]> = [
    ['behaviour', { ...good, behaviour: 'B100' }],
    ['behaviour', { ...good, behaviour: 'b7' }],
    ['claim', { ...good, claim: 'two\nlines' }],
    ['claim', { ...good, claim: '' }],
    ['seed', { ...good, seed: '2' }],
    ['seed', { ...good, seed: 1000 }],
    ['seed', { ...good, seed: [] }],
    ['assertions', { ...good, assertions: [] }],
    ['assertions', { ...good, assertions: Array.from({ length: EXPECT_LIMITS.assertions + 1 }, () => good.assertions[0]) }],
    ['says', { ...good, assertions: [{ that: 'totals.lost > 0' }] }],
    ['extra key', { ...good, behavior: 'B7' }],
    ['extra key in an assertion', { ...good, assertions: [{ ...good.assertions[0], requried: true }] }],
  ];
  for (const [what, value] of bad) assert.equal(Value.Check(ExpectSchema, value), false, what);
});
