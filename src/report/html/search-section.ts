import { DASH, formatCount, formatLatencyUs, formatPercent } from '../../core/format.js';
import type { SearchResult, SearchStep } from '../../core/types.js';
import { formatDurationMs } from '../../core/units.js';
import { resultStepLine, searchAnswer, searchRate, stepVerdict } from '../search-lines.js';
import type { XYChart } from './chart-spec.js';
import { chartBox } from './chart-box.js';
import { html, table, type SafeHtml } from './html.js';

/**
 * A rate search (run --find-max-rate) in a run's section: the answer, the criteria, every step,
 * and the offered rate against the achieved rate, p99 and loss. The rest of the section shows
 * the figures of one step (search.resultStep).
 */

export interface SearchSection {
  markup: SafeHtml;
  charts: XYChart[];
}

/** Rates from geometric steps read best on a log axis once they span a few doublings. */
const spansDecade = (values: readonly number[]) => values.length > 1 && Math.max(...values) / Math.min(...values) >= 8;

export function searchCharts(s: SearchResult, prefix: string): XYChart[] {
  const steps = s.steps.filter((st) => st.valid || st.throughput > 0 || st.p99 !== null);
  if (steps.length === 0) return [];
  const rates = steps.map((st) => st.rate);
  const log = spansDecade([...rates, ...steps.map((st) => st.throughput).filter((v) => v > 0)]);
  const x = { title: `offered (msgs/s${log ? ', log scale' : ''})`, unit: 'rate' as const, log };
  const crossed = steps.map((st) => !st.passed);
  const markers = s.maxRate === null ? [] : [{ x: s.maxRate, label: `max ${searchRate(s.maxRate)}/s` }];
  const chart = (id: string, title: string, y: XYChart['y'], series: XYChart['series']): XYChart => ({
    kind: 'xy',
    id: `${prefix}-search-${id}`,
    title,
    x,
    y,
    series,
    markers,
  });
  const charts = [
    chart('throughput', 'Achieved against offered rate', { title: `msgs/s${log ? ' (log scale)' : ''}`, unit: 'rate', log }, [
      { label: 'achieved', colour: 0, points: steps.map((st) => [st.rate, st.throughput]), crossed },
      { label: 'offered (all of it achieved)', colour: 1, dashed: true, points: rates.map((r) => [r, r]) },
    ]),
  ];
  if (steps.some((st) => st.p99 !== null)) {
    charts.push(
      chart('p99', 'Latency p99 against offered rate', { title: 'latency p99 (log scale)', unit: 'us', log: true }, [
        { label: 'p99', colour: 2, points: steps.map((st) => [st.rate, st.p99]), crossed },
        ...(s.settings.maxP99Ms === null
          ? []
          : [{ label: 'maxP99', colour: 3, dashed: true, points: rates.map((r): [number, number] => [r, s.settings.maxP99Ms! * 1000]) }]),
      ]),
    );
  }
  charts.push(
    chart('loss', 'Loss against offered rate', { title: 'lost (share of expected)', unit: 'fraction' }, [
      { label: 'lost', colour: 4, points: steps.map((st) => [st.rate, st.lossRate]), crossed },
    ]),
  );
  return charts;
}

function criteria(s: SearchResult): string {
  const c = s.settings;
  return [
    c.maxLoss === 0 ? 'no loss' : `at most ${formatPercent(c.maxLoss)} lost`,
    `throughput within ${formatPercent(c.maxShortfall)} of the offered rate`,
    ...(c.maxP99Ms === null ? [] : [`latency p99 at most ${formatLatencyUs(c.maxP99Ms * 1000)}`]),
    ...(c.maxSendLagMs === null ? [] : [`send lag p99 at most ${formatLatencyUs(c.maxSendLagMs * 1000)}`]),
    "the scenario's thresholds",
    'a valid run',
  ].join(', ');
}

const stepRow = (st: SearchStep, i: number) => [
  String(i + 1),
  searchRate(st.rate),
  searchRate(st.throughput),
  st.p99 === null ? DASH : formatLatencyUs(st.p99),
  st.sendLagP99 === null ? DASH : formatLatencyUs(st.sendLagP99),
  st.lost > 0 ? { text: `${formatCount(st.lost)} (${formatPercent(st.lossRate)})`, className: 'bad' } : '0',
  { text: stepVerdict(st), className: st.passed ? 'good' : 'bad' },
  { text: st.reasons.join('; '), className: 'wrap' },
];

const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

export function searchSection(s: SearchResult, prefix: string): SearchSection {
  const charts = searchCharts(s, prefix);
  // "ventilator", or with several sockets or groups each one's share: "fast (30.0% per socket), slow (10.0% per socket)"
  const shares = Object.entries(s.settings.groups);
  const groups =
    shares.length === 1 && shares[0]![1] === 1
      ? shares[0]![0]
      : shares.map(([g, share]) => `${g} (${formatPercent(share)} per socket)`).join(', ');
  const markup = html`<section class="card search" data-max-rate="${s.maxRate === null ? '' : String(s.maxRate)}"><h3>Rate search</h3>
<p class="answer"><strong>${searchAnswer(s).join(' ')}</strong></p>
<p class="muted">Each step ran the scenario for ${formatDurationMs(s.settings.stepMs)}, offering the rate in total over ${groups}: from ${searchRate(s.settings.start)} msgs/s up by ×${String(s.settings.factor)} (never above ${searchRate(s.settings.ceiling)}), then halving the gap between the highest rate that held and the lowest that failed. A step holds with ${criteria(s)}. ${capitalized(resultStepLine(s))}.</p>
${charts.length > 0 && html`<div class="chart-grid">${charts.map((c) => chartBox(c))}</div>`}
${table(['step', 'offered msgs/s', 'achieved msgs/s', 'p99', 'send lag p99', 'lost', '', 'why'], s.steps.map(stepRow), [true, true, true, true, true, true, false, false])}
</section>`;
  return { markup, charts };
}
