import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AgentsRunFigures } from '../../../bench/agents/figures.js';
import { type AgentsRound, summarise } from '../../../bench/agents/report.js';

function run(throughput: number, skewMs: number | null, o: Partial<AgentsRunFigures> = {}): AgentsRunFigures {
  return {
    complete: true,
    problems: [],
    throughput,
    p50: 100,
    p99: 1000,
    sendLagP99: 0,
    firstMessageMs: { a: 1, b: skewMs === null ? null : 1 + skewMs },
    skewMs,
    clockUncertaintyMs: null,
    wallMs: 4000,
    ...o,
  };
}

const round = (i: number, local: AgentsRunFigures | null, agents: AgentsRunFigures | null): AgentsRound => ({
  round: i,
  order: i % 2 === 1 ? ['local', 'agents'] : ['agents', 'local'],
  local,
  agents,
  errors: [],
});

test('the throughput ratio is agents / local within a round; a failed or incomplete run leaves its round out', () => {
  const s = summarise([
    round(1, run(20_000, 1), run(19_000, 2, { clockUncertaintyMs: 0.2 })),
    round(2, run(20_000, -3), run(20_000, -4, { clockUncertaintyMs: 0.1 })),
    round(3, run(20_000, 1), null),
    round(4, run(10_000, 1, { complete: false }), run(20_000, 1)),
    round(5, run(20_000, 1), run(18_000, 1)),
  ]);
  assert.deepEqual(s.throughputRatio, { median: 0.95, min: 0.9, max: 1 });
  assert.equal(s.comparedRounds, 3);
  assert.equal(s.goalMet, true);
  assert.equal(s.p50Ratio.median, 1);
  // the skew is taken by its size, over every completed run of the side
  assert.deepEqual(s.skewMs.agents, { median: 1.5, max: 4, runs: 4 });
  assert.deepEqual(s.skewMs.local, { median: 1, max: 3, runs: 4 });
  assert.equal(s.clockUncertaintyMaxMs, 0.2);
});

test('a median ratio below 0.95 does not meet the goal', () => {
  const s = summarise([round(1, run(20_000, 0), run(18_000, 0)), round(2, run(20_000, 0), run(18_800, 0))]);
  assert.equal(s.goalMet, false);
  assert.equal(s.clockUncertaintyMaxMs, null);
});
