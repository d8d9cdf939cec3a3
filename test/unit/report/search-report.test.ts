import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SearchResult, SearchStep } from '../../../src/core/types.js';
import { searchCharts, searchSection } from '../../../src/report/html/search-section.js';
import { searchAnswer, searchRate, searchStepLine } from '../../../src/report/search-lines.js';

/** A rate search on the console and in the report, from a search made by hand. */

function step(rate: number, passed: boolean, over: Partial<SearchStep> = {}): SearchStep {
  return {
    rate,
    valid: true,
    passed,
    throughput: passed ? rate : rate * 0.7,
    p99: passed ? 800 : 45_000,
    lost: 0,
    lossRate: 0,
    sendLagP99: 12,
    reasons: passed ? [] : ['throughput avg = 5.6k/s, not >= 7.6k/s'],
    wallMs: 1500,
    ...over,
  };
}

function search(over: Partial<SearchResult> = {}): SearchResult {
  return {
    maxRate: 6000,
    failedRate: 6250,
    stoppedBy: 'precision',
    resultStep: 4,
    settings: {
      start: 1000,
      ceiling: 10_000_000,
      factor: 2,
      precision: 0.05,
      stepMs: 1000,
      maxSteps: 20,
      groups: { ventilator: 1 },
      maxLoss: 0,
      maxShortfall: 0.05,
      maxP99Ms: 50,
      maxSendLagMs: null,
    },
    steps: [
      step(1000, true),
      step(2000, true),
      step(4000, true),
      step(8000, false),
      step(6000, true),
      step(7000, false),
      step(6500, false),
      step(6250, false),
    ],
    ...over,
  };
}

describe('rate search on the console', () => {
  it('rates to three significant digits, as the steps are chosen', () => {
    assert.deepEqual([97.5, 999.4, 999.6, 6250, 65_000, 1_234_567, 10_000_000].map(searchRate), [
      '97.5',
      '999',
      '1k',
      '6.25k',
      '65k',
      '1.23M',
      '10M',
    ]);
  });

  it('a line per step, then the answer', () => {
    const s = search();
    assert.equal(searchStepLine(s.steps[0]!, 0, 20), 'step 1/20: 1k msgs/s offered → 1k achieved, p99 800us, lost 0: held');
    assert.equal(
      searchStepLine(step(8000, false, { lost: 12, lossRate: 0.0015 }), 3, 20),
      'step 4/20: 8k msgs/s offered → 5.6k achieved, p99 45.0ms, lost 12 (0.15%): failed (throughput avg = 5.6k/s, not >= 7.6k/s)',
    );
    assert.deepEqual(searchAnswer(s), ['max rate: 6k msgs/s held; 6.25k msgs/s failed (within 5.0%), 8 steps of 1s in 12s']);
    assert.match(
      searchAnswer(search({ maxRate: null, failedRate: 1000, stoppedBy: 'lowest-failed', steps: [step(1000, false)] }))[0]!,
      /^no rate held: the first and lowest, 1k msgs\/s, failed/,
    );
    assert.match(
      searchAnswer(search({ stoppedBy: 'ceiling', failedRate: null }))[0]!,
      /the ceiling, held: the topology sustains at least that/,
    );
  });
});

describe('rate search in the report', () => {
  it('three charts against the offered rate, failed steps crossed, the answer marked', () => {
    const s = search();
    const charts = searchCharts(s, 'run0');
    assert.deepEqual(
      charts.map((c) => [c.id, c.x.log, c.series.map((x) => x.label)]),
      [
        ['run0-search-throughput', true, ['achieved', 'offered (all of it achieved)']],
        ['run0-search-p99', true, ['p99', 'maxP99']],
        ['run0-search-loss', true, ['lost']],
      ],
    );
    const achieved = charts[0]!.series[0]!;
    assert.deepEqual(achieved.points[3], [8000, 5600]);
    assert.deepEqual(achieved.crossed, [false, false, false, true, false, true, true, true]);
    assert.deepEqual(charts[0]!.markers, [{ x: 6000, label: 'max 6k/s' }]);
    assert.deepEqual(charts[1]!.series[1]!.points[0], [1000, 50_000]);
  });

  it('a linear axis over a narrow span, no p99 chart without latency, no marker without an answer', () => {
    const s = search({ maxRate: null, steps: [step(1000, false, { p99: null }), step(1500, false, { p99: null })] });
    const charts = searchCharts(s, 'r');
    assert.deepEqual(
      charts.map((c) => [c.id, c.x.log]),
      [
        ['r-search-throughput', false],
        ['r-search-loss', false],
      ],
    );
    assert.deepEqual(charts[0]!.markers, []);
  });

  it('the section: the answer, a row per step, and the answer in data-max-rate', () => {
    const { markup } = searchSection(search(), 'run0');
    const text = markup.value;
    assert.match(text, /data-max-rate="6000"/);
    assert.equal(text.match(/<tr>/g)?.length, 1 + 8);
    assert.match(text, /offering the rate in total over ventilator: from 1k msgs\/s up by ×2/);
  });
});
