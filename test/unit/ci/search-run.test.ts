import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { achievedRate, criteriaResults } from '../../../src/ci/search-judge.js';
import { searchMaxRate } from '../../../src/ci/search-run.js';
import { INTERRUPTED_PROBLEM, type RunResult } from '../../../src/core/types.js';
import { verdictOf } from '../../../src/results/facts.js';
import type { Scenario } from '../../../src/scenario/schema.js';
import { resolveSearch } from '../../../src/scenario/search.js';
import { flow, group, LAT, pipeline } from '../../support/sample-result.js';
import { scenarioOf } from '../../support/validation.js';

/**
 * The search loop and its judging, with a made-up system in place of real runs (the
 * integration test rate-search.test.ts runs real sockets): a receiver that takes `capacity`
 * msgs/s at most.
 */

const scenario = (search: Record<string, unknown> = {}): Scenario =>
  scenarioOf({
    name: 'p',
    duration: '1s',
    topology: {
      endpoints: ['work'],
      groups: [
        { name: 'producers', type: 'push', count: 2, bind: 'work', rate: 500 },
        { name: 'workers', type: 'pull', connect: 'work' },
      ],
    },
    search: { precision: '10%', ...search },
  });

/** A run of the pipeline at the rates `s` gives its producers, against a receiver of `capacity` msgs/s. */
function fakeRun(s: Scenario, capacity: number, over: Partial<RunResult> = {}): RunResult {
  const producers = s.groups.find((g) => g.name === 'producers')!;
  const offered = producers.ratePerSec! * producers.count;
  const got = Math.min(offered, capacity);
  const sent = Math.round(offered * (s.durationMs / 1000));
  return pipeline({
    totals: flow({
      sent,
      received: sent,
      expected: sent,
      throughput: { msgsPerSec: got, bytesPerSec: got * 64 },
      latency: LAT,
      latencyKind: 'one-way',
    }),
    groups: [
      group(
        { name: 'producers', type: 'push', count: 2, direction: 'sends' },
        { sent, throughput: { msgsPerSec: offered, bytesPerSec: 0 } },
      ),
      group(
        { name: 'workers', type: 'pull', direction: 'receives' },
        { received: sent, expected: sent, throughput: { msgsPerSec: got, bytesPerSec: 0 } },
      ),
    ],
    ...over,
  });
}

describe('rate search loop', () => {
  it('converges on the capacity, with every step in search and the best step as the result', async () => {
    const s = scenario();
    const offered: number[] = [];
    const sofar: Array<string | null> = [];
    const result = await searchMaxRate(s, resolveSearch(s), {
      run: async (step) => {
        offered.push(step.groups[0]!.ratePerSec! * 2);
        assert.equal(step.durationMs, 1000);
        return fakeRun(step, 3000);
      },
      onStep: (_, i, r) => void sofar.push(`${i}:${r.search?.stoppedBy}`),
    });
    const search = result.search!;
    // from the written total (2 sockets × 500), doubling, then bisecting
    assert.deepEqual(offered.slice(0, 3), [1000, 2000, 4000]);
    assert.equal(search.stoppedBy, 'precision');
    assert.ok(search.maxRate! <= 3000 / 0.95 && search.maxRate! >= 3000 * 0.9, `${search.maxRate}`);
    assert.ok((search.failedRate! - search.maxRate!) / search.maxRate! <= 0.1);
    assert.equal(search.steps.length, offered.length);
    assert.equal(search.steps[search.resultStep]!.rate, search.maxRate);
    assert.equal(verdictOf(result).exitCode, 0);
    assert.deepEqual(search.settings.groups, { producers: 0.5 });
    assert.deepEqual(
      sofar,
      offered.map((_, i) => `${i}:unfinished`),
    );
    const failed = search.steps.find((st) => !st.passed)!;
    assert.match(failed.reasons.join(), /throughput avg = .*, not >= /);
  });

  it('when the lowest rate fails: maxRate null, the first step as the result, exit 99', async () => {
    const s = scenario({ start: 2000 });
    const result = await searchMaxRate(s, resolveSearch(s), { run: async (step) => fakeRun(step, 500) });
    assert.equal(result.search!.maxRate, null);
    assert.equal(result.search!.stoppedBy, 'lowest-failed');
    assert.equal(result.search!.steps.length, 1);
    assert.equal(verdictOf(result).exitCode, 99);
  });

  it('Ctrl-C: stops after the step it cut short, which is recorded but not counted; exit 105', async () => {
    const s = scenario();
    const controller = new AbortController();
    let n = 0;
    const result = await searchMaxRate(s, resolveSearch(s), {
      signal: controller.signal,
      run: async (step) => {
        if (++n < 3) return fakeRun(step, 100_000);
        controller.abort();
        return fakeRun(step, 100_000, { complete: false, problems: [INTERRUPTED_PROBLEM] });
      },
    });
    const search = result.search!;
    assert.equal(search.stoppedBy, 'interrupted');
    assert.equal(search.steps.length, 3);
    assert.equal(search.maxRate, 2000);
    assert.equal(search.failedRate, null);
    assert.equal(verdictOf(result).exitCode, 105);
  });

  it('a step that cannot run ends the search with what it has (exit 97); the first one throws', async () => {
    const s = scenario();
    let n = 0;
    const result = await searchMaxRate(s, resolveSearch(s), {
      run: async (step) => {
        if (++n === 2) throw new Error('port in use');
        return fakeRun(step, 100_000);
      },
    });
    assert.equal(result.search!.stoppedBy, 'error');
    assert.equal(result.search!.maxRate, 1000);
    assert.deepEqual(result.search!.steps[1]!.reasons, ['port in use']);
    assert.equal(verdictOf(result).exitCode, 97);
    await assert.rejects(searchMaxRate(s, resolveSearch(s), { run: async () => Promise.reject(new Error('no')) }), /no/);
  });
});

describe('rate search criteria', () => {
  const criteria = { maxLoss: 0, maxShortfall: 0.05, maxP99Ms: null, maxSendLagMs: null, groups: ['producers'] };

  it('counts a fan-out once: three subscribers taking every message achieve the offered rate', () => {
    const r = pipeline({
      totals: flow({ sent: 1000, received: 3000, expected: 3000, throughput: { msgsPerSec: 3000, bytesPerSec: 0 } }),
      groups: [group({ name: 'producers', type: 'pub', direction: 'sends' }, { sent: 1000 })],
    });
    assert.equal(achievedRate(r, ['producers']), 1000);
    assert.ok(criteriaResults(r, 1000, criteria).every((t) => t.passed));
  });

  it('fails loss, shortfall, p99 and send lag, each with its figure', () => {
    const r = pipeline(); // 200 of 10,000 lost, 1,960 msgs/s, p99 210us
    const results = criteriaResults(r, 2500, { ...criteria, maxP99Ms: 0.1, maxSendLagMs: 1 });
    assert.deepEqual(
      results.map((t) => [t.metric, t.expression, t.passed]),
      [
        ['loss_rate', 'rate == 0', false],
        ['throughput', 'avg >= 2.38k/s', false],
        ['latency', 'p(99) <= 0.1ms', false],
        ['send_lag', 'p(99) <= 1ms', false],
      ],
    );
    assert.match(results[1]!.message, /throughput avg = 2\.0k\/s, not >= 2\.4k\/s \(search: at most 5\.0% short of the 2\.5k\/s offered\)/);
    // no send lag measured: not judged as a pass
    assert.match(results[3]!.message, /no samples/);
  });
});
