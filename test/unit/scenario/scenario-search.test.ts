import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findMaxRateProblems } from '../../../src/find-max-rate.js';
import { scenarioAsRun } from '../../../src/scenario/as-run.js';
import { applyOverrides } from '../../../src/scenario/overrides.js';
import { DEFAULT_SEARCH, groupRatesAt, resolveSearch } from '../../../src/scenario/search.js';
import { problemsOf, scenarioOf, thrownProblems } from '../../support/validation.js';

/** The search: block (rate discovery): its defaults, what it refuses (exit 104), the rates of a step. */

/** Two paced senders at 100 and 300 msgs/s per socket (3 sockets of the second), one receiver. */
function twoSenders(search?: unknown, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'two',
    duration: '2s',
    topology: {
      endpoints: ['work'],
      groups: [
        { name: 'slow', type: 'push', connect: 'work', rate: 100 },
        { name: 'fast', type: 'push', count: 3, connect: 'work', rate: 300 },
        { name: 'sink', type: 'pull', bind: 'work' },
      ],
    },
    ...(search === undefined ? {} : { search }),
    ...over,
  };
}

describe('search: defaults and rates', () => {
  it('fills the defaults; the start is the written total and the ratio stays', () => {
    const s = scenarioOf(twoSenders({}));
    assert.deepEqual(s.search, DEFAULT_SEARCH);
    const r = resolveSearch(s);
    assert.equal(r.start, 100 + 3 * 300);
    assert.equal(r.stepMs, 2000);
    // the fast sockets reach 10M first: 10M / (300 / 1000)
    assert.equal(r.ceiling, 33_333_333);
    assert.deepEqual(groupRatesAt(r, 2000), { slow: 200, fast: 600 });
    assert.equal(resolveSearch(s, 500).stepMs, 500);
  });

  it('reads percentages and durations; groups narrow the search to those senders', () => {
    const s = scenarioOf(
      twoSenders({
        start: 50,
        ceiling: 5000,
        factor: 1.5,
        precision: '2.5%',
        duration: '750ms',
        maxSteps: 8,
        groups: ['slow'],
        maxLoss: 0.001,
        maxShortfall: '10%',
        maxP99: '5ms',
        maxSendLag: '500us',
      }),
    );
    assert.deepEqual(s.search, {
      start: 50,
      ceiling: 5000,
      factor: 1.5,
      precision: 0.025,
      durationMs: 750,
      maxSteps: 8,
      groups: ['slow'],
      maxLoss: 0.001,
      maxShortfall: 0.1,
      maxP99Ms: 5,
      maxSendLagMs: 0.5,
    });
    const r = resolveSearch(s);
    assert.deepEqual(r.groups, [{ name: 'slow', count: 1, ratePerSec: 100 }]);
    assert.deepEqual(groupRatesAt(r, 70), { slow: 70 });
  });

  it('the scenario as run keeps the block, and validates to the same scenario', () => {
    for (const search of [{}, { start: 50, ceiling: 5000, duration: '750ms', groups: ['fast'], maxP99: '5ms', precision: '7%' }]) {
      const s = scenarioOf(twoSenders(search));
      assert.deepEqual(scenarioOf(JSON.parse(JSON.stringify(scenarioAsRun(s)))), s);
    }
  });

  it("a step's overrides set the searched groups' constant rates, shapes included, and nothing else", () => {
    const s = scenarioOf(twoSenders({}));
    s.groups[0]!.rateShape = { kind: 'bursts', size: 10, everyMs: 100 };
    const step = applyOverrides(s, { groupRates: { slow: 12.5 } });
    assert.deepEqual(
      step.groups.map((g) => [g.ratePerSec, g.rateShape]),
      [
        [12.5, null],
        [300, null],
        [null, null],
      ],
    );
  });

  it('overrides refuse a rate for a group that is missing, does not send, or out of range', async () => {
    const s = scenarioOf(twoSenders());
    assert.deepEqual(await thrownProblems(() => applyOverrides(s, { groupRates: { nobody: 1, sink: 1, fast: 0 } })), [
      'rate of group "nobody": scenario "two" has no such group',
      'rate of group "sink": a pull group does not send',
      'rate of group "fast": must be from 0.001 to 10000000 messages per second (at least one message every 1000s), got 0',
    ]);
  });
});

describe('search: refused (exit 104), one line per problem with its path', () => {
  it('values out of their range', () => {
    assert.deepEqual(
      problemsOf(
        twoSenders({
          start: 0,
          factor: 1,
          precision: '0%',
          maxShortfall: 1,
          maxLoss: '120%',
          duration: '0s',
          maxP99: 'fast',
          maxSteps: 0,
          colour: 'red',
        }),
      ),
      [
        'search.colour: unknown field',
        'search.start: must be a number of messages per second from 0.001 to 20000000000, got 0',
        'search.factor: must be > 1, got 1',
        'search.maxSteps: must be >= 1, got 0',
        'search.maxP99: must be a duration such as 500ms, 2s or 1m, got "fast"',
        'search.duration: must be longer than 0s, got "0s"',
        'search.precision: must be more than 0% (bisection would never stop), got "0%"',
        'search.maxLoss: must be at most 100%, got "120%"',
        'search.maxShortfall: must be less than 100%, got 1',
      ],
    );
    assert.deepEqual(problemsOf(twoSenders({ start: 1000, ceiling: 500 })), [
      'search.ceiling: must be at least search.start (1000), got 500',
    ]);
  });

  it('groups that are not senders of the scenario', () => {
    assert.deepEqual(problemsOf(twoSenders({ groups: ['sink', 'nobody', 'fast', 'fast'] })), [
      'search.groups[0]: group "sink" is a pull group; the search sets the rate of sender groups ("slow", "fast")',
      'search.groups[1]: no group "nobody"; the sender groups are "slow", "fast"',
      'search.groups[3]: names group "fast" twice',
    ]);
  });

  it('a searched sender with rate: max or a shape (the ratio comes from the rates as written)', () => {
    const raw = twoSenders({});
    const groups = (raw['topology'] as { groups: Array<Record<string, unknown>> }).groups;
    groups[0]!['rate'] = 'max';
    groups[1]!['rate'] = { ramp: { from: 1, to: 10, over: '1s' } };
    const why =
      "the search offers rates in the ratio of the searched senders' own, so each needs a constant rate such as 1000 (or list the groups to search in search.groups)";
    assert.deepEqual(problemsOf(raw), [`topology.groups[0].rate: ${why}, got "max"`, `topology.groups[1].rate: ${why}, got a ramp shape`]);
    // leaving them out of the search is fine
    groups[1]!['rate'] = 50;
    assert.equal(scenarioOf({ ...raw, search: { groups: ['fast'] } }).search?.groups[0], 'fast');
  });

  it('a step shorter than the last event, a start or ceiling beyond what a socket may be offered', () => {
    assert.deepEqual(problemsOf(twoSenders({ duration: '1s' }, { events: [{ at: '1500ms', pause: 'sink' }] })), [
      'search.duration: must be at least 1500ms, when the last event happens, since every step runs the events, got "1s"',
    ]);
    assert.deepEqual(problemsOf(twoSenders({ start: 0.002, ceiling: 40_000_000 })), [
      'search.start: must be at least 0.01: every socket needs 0.001 msgs/s or more, got 0.002',
      'search.ceiling: must be at most 33333333: no socket may be offered more than 10000000 msgs/s, got 40000000',
    ]);
  });

  it('run --find-max-rate on a scenario without a block: the same checks, naming the flag and the file', () => {
    const raw = twoSenders();
    (raw['topology'] as { groups: Array<Record<string, unknown>> }).groups[1]!['rate'] = 'max';
    const variant = { name: 'two', file: 'two.yaml', scenario: scenarioOf(raw) };
    assert.deepEqual(findMaxRateProblems([variant, variant], { repeat: 2, baseline: 'old' }), [
      '--repeat cannot be used with --find-max-rate: every step of the search is a run of its own',
      "--baseline cannot be used with --find-max-rate: compare the searches' result.json files with compare",
      'two.yaml: topology.groups[1].rate: --find-max-rate offers rates in the ratio of the searched senders\' own, so each needs a constant rate such as 1000 (or list the groups to search in search.groups), got "max"',
    ]);
    const feed = scenarioOf({
      name: 'feed',
      topology: { endpoints: [{ name: 'f', external: 'tcp://127.0.0.1:5556' }], groups: [{ name: 'sub', type: 'sub', connect: 'f' }] },
    });
    assert.deepEqual(findMaxRateProblems([{ name: 'feed', file: 'feed.yaml', scenario: feed }], {}), [
      'feed.yaml: (top level): --find-max-rate needs a sender group (pub, push, req, dealer, xpub, radio, or a pair with side: sender): this scenario has none',
    ]);
  });
});
