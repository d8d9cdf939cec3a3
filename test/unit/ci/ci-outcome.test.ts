import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { judgeRun, suiteExitCode, thresholdsOverRepeats, variantOutcome, worstExitCode } from '../../../src/ci/outcome.js';
import type { Comparison } from '../../../src/ci/types.js';
import { LiveFigureTracker } from '../../../src/collect/live-figures.js';
import { isBenchError } from '../../../src/core/errors.js';
import { ExitCode } from '../../../src/core/exit-codes.js';
import { INTERRUPTED_PROBLEM, type RunResult } from '../../../src/core/types.js';
import { abortJudge } from '../../../src/run-command.js';
import { loadRunnable } from '../../../src/scenario/suite.js';
import type { Threshold } from '../../../src/scenario/thresholds.js';
import { createLatencyHistogram, encodeHistogram, recordNs } from '../../../src/stats/histogram.js';
import { pipeline } from '../../support/sample-result.js';
import { PUSH_PULL, scenarioOf } from '../../support/validation.js';

const PIPE = PUSH_PULL;
const thresholdsOf = (t: Record<string, unknown>): Threshold[] => scenarioOf({ ...PIPE, thresholds: t }).thresholds;

/** The sample pipeline at a given throughput. */
const at = (msgsPerSec: number): RunResult => {
  const r = pipeline();
  r.totals.throughput.msgsPerSec = msgsPerSec;
  return r;
};

test('exit codes: the most serious wins, 105 > 104 > 97 > 99 > 98 > 0', () => {
  const { ok, regression, thresholdFailed, invalidMeasurement, invalidInput, interrupted } = ExitCode;
  const table: Array<[number[], number]> = [
    [[], ok],
    [[ok, regression], regression],
    [[regression, thresholdFailed], thresholdFailed],
    [[thresholdFailed, invalidMeasurement], invalidMeasurement],
    [[invalidMeasurement, invalidInput, ok], invalidInput],
    [[invalidInput, interrupted, regression], interrupted],
  ];
  for (const [codes, expected] of table) assert.equal(worstExitCode(codes as never), expected, `${codes}`);
});

test('with repeats, a threshold is judged on the median of the runs and says how many failed it', () => {
  const thresholds = thresholdsOf({ throughput: ['avg >= 1500'] });
  const runs = [at(1000), at(2000), at(1600)].map((r) => judgeRun(r, thresholds));
  assert.deepEqual(
    runs.map((r) => r.thresholds![0]!.passed),
    [false, true, true],
  );
  const [judged] = thresholdsOverRepeats(runs, thresholds);
  assert.equal(judged!.actual, 1600);
  assert.equal(judged!.passed, true);
  assert.equal(judged!.message, 'throughput avg = median of 3 runs 1.6k/s, >= 1.5k/s (1 of 3 runs failed it)');
  assert.deepEqual(thresholdsOverRepeats([runs[0]!], thresholds), runs[0]!.thresholds);
});

test('a variant: figures over its runs, its problems by run, its exit code', () => {
  const thresholds = thresholdsOf({ throughput: ['avg >= 1500'] });
  const v = variantOutcome(
    'p-tcp',
    [at(1000), at(1200)].map((r) => judgeRun(r, thresholds)),
    thresholds,
  );
  assert.equal(v.exitCode, ExitCode.thresholdFailed);
  assert.equal(v.figures.throughput.median, 1100);
  const broken = judgeRun({ ...at(5000), complete: false, problems: ['worker 1 did not finish'] }, thresholds);
  const invalid = variantOutcome('p', [broken, judgeRun(at(5000), thresholds)], thresholds);
  assert.equal(invalid.exitCode, ExitCode.invalidMeasurement, 'a run that is not valid outranks the thresholds');
  assert.deepEqual(invalid.problems, ['run 1: worker 1 did not finish']);
  const interrupted = variantOutcome('p', [{ ...at(5000), complete: false, problems: [INTERRUPTED_PROBLEM] }], []);
  assert.equal(interrupted.exitCode, ExitCode.interrupted);
  const stopped = variantOutcome('p', [{ ...at(5000), abortedBy: 'latency p(99) = 9ms, not < 1ms after 2s (abortOnFail)' }], []);
  assert.equal(stopped.exitCode, ExitCode.thresholdFailed, 'a run stopped by abortOnFail failed');

  const regression = { changes: [{ verdict: 'regression' }] } as unknown as Comparison;
  assert.equal(suiteExitCode([variantOutcome('p', [at(5000)], [])], regression), ExitCode.regression);
  assert.equal(suiteExitCode([v], regression), ExitCode.thresholdFailed);
});

test('live figures add up the measured intervals, and abortOnFail stops on a measured failure only', () => {
  const s = scenarioOf({
    ...PIPE,
    thresholds: { 'latency{group:workers}': [{ threshold: 'p(99) < 1ms', abortOnFail: true, delayAbortEval: '1s' }], lost: ['count == 0'] },
  });
  const live = new LiveFigureTracker(s.groups);
  const h = createLatencyHistogram();
  for (let i = 0; i < 100; i++) recordNs(h, 5_000_000); // 5 ms each
  const zero = { lost: 0, notSent: 0, blockedMs: 0, inFlight: 0, histogram: '' };
  live.add({
    producers: { ...zero, sent: 100, received: 0 },
    workers: { ...zero, sent: 0, received: 98, lost: 2, histogram: encodeHistogram(h) },
  });
  live.add({ producers: { ...zero, sent: 100, received: 0 }, workers: { ...zero, sent: 0, received: 100 } });
  const f = live.figures(2000);
  const workers = f.groups.find((g) => g.name === 'workers')!;
  assert.deepEqual([workers.received, workers.lost, workers.expected, workers.throughput.msgsPerSec], [198, 2, 200, 99]);
  assert.deepEqual([f.totals.received, f.totals.sent, f.totals.lost, f.totals.latencyKind], [198, 200, 2, 'one-way']);

  const judge = abortJudge(s.thresholds)!;
  assert.equal(judge(live.figures(500)), null, 'not judged before delayAbortEval');
  assert.equal(judge(f), 'latency{group:workers} p(99) = 5.00ms, not < 1.00ms after 2s (abortOnFail)');
  assert.equal(abortJudge(thresholdsOf({ lost: ['count == 0'] })), undefined, 'nothing to watch without abortOnFail');
  const empty = new LiveFigureTracker(s.groups);
  assert.equal(judge(empty.figures(2000)), null, 'no samples yet: never stops a run');
});

test('suite files: entries with overrides and thresholds, or every problem at once', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'zmq-bench-suite-'));
  await writeFile(join(dir, 'pipe.json'), JSON.stringify(PIPE));
  await writeFile(
    join(dir, 'ok.json'),
    JSON.stringify({
      suite: 's',
      scenarios: [
        { file: 'pipe.json', transport: 'ipc', duration: '2s', rate: 'max', thresholds: { lost: ['count == 0'] } },
        { file: 'pipe.json', name: 'again' },
      ],
    }),
  );
  const loaded = await loadRunnable(join(dir, 'ok.json'));
  assert.equal(loaded.suite, 's');
  const [first, second] = loaded.entries;
  assert.deepEqual(
    [first!.name, first!.scenario.transport, first!.scenario.durationMs, first!.scenario.groups[0]!.ratePerSec],
    [null, 'ipc', 2000, null],
  );
  assert.deepEqual(
    first!.scenario.thresholds.map((t) => t.key),
    ['lost'],
  );
  assert.deepEqual(
    [second!.name, second!.scenario.transport, second!.scenario.groups[0]!.ratePerSec, second!.scenario.thresholds.length],
    ['again', 'tcp', 1000, 0],
  );

  const plain = await loadRunnable(join(dir, 'pipe.json'));
  assert.deepEqual([plain.suite, plain.entries.length, plain.entries[0]!.name], [null, 1, null]);

  await writeFile(
    join(dir, 'bad.json'),
    JSON.stringify({
      suite: 's',
      scenarios: [
        { file: 'missing.json' },
        { file: 'pipe.json', name: 'x', thresholds: { latancy: ['p(99) < 1ms'] } },
        { file: 'pipe.json', name: 'x' },
      ],
    }),
  );
  await assert.rejects(loadRunnable(join(dir, 'bad.json')), (e: unknown) => {
    assert.ok(isBenchError(e));
    assert.equal(e.exitCode, ExitCode.invalidInput);
    const bad = join(dir, 'bad.json');
    assert.deepEqual(e.problems, [
      `${bad}: scenarios[0]: ${join(dir, 'missing.json')}: file not found`,
      `${bad}: scenarios[1]: ${join(dir, 'pipe.json')}: thresholds.latancy: unknown metric "latancy"; expected one of latency, latency_from_send, send_lag, throughput, loss_rate, blocked_rate, lost, sent, received, duplicates, reordered, not_sent, stalled, mismatched, feed_missing, detect_ms, recovery_ms`,
      `${bad}: scenarios[2].name: "x" is already the name of another entry`,
    ]);
    return true;
  });
  await writeFile(join(dir, 'shape.json'), JSON.stringify({ suite: 'has space', scenarios: [{ file: 'pipe.json', transport: 'pgm' }] }));
  await assert.rejects(loadRunnable(join(dir, 'shape.json')), (e: unknown) => {
    assert.ok(isBenchError(e));
    assert.ok(
      e.problems.some((p) => p.startsWith(`${join(dir, 'shape.json')}: suite: `)),
      e.problems.join('\n'),
    );
    assert.ok(
      e.problems.some((p) => p.startsWith(`${join(dir, 'shape.json')}: scenarios[0].transport: `)),
      e.problems.join('\n'),
    );
    return true;
  });
});
