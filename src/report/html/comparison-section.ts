import type { FlowFigures, RunResult } from '../../core/types.js';
import { DASH, formatLatencyUs, formatMegabytes, formatRate } from '../../core/format.js';
import { formatBytes } from '../../core/format.js';
import { hasLatency, scenarioName, transportOf, verdictOf } from '../../results/facts.js';
import { sizeSweeps, type SweepPoint } from '../size-sweep.js';
import type { BarChart, ChartSpec, PercentileChart, Series } from './chart-spec.js';
import { chartBox } from './chart-box.js';
import { html, table, type Cell, type SafeHtml } from './html.js';
import { percentileCurve } from './percentile-curve.js';
import { lossText } from './run-section.js';

/**
 * Several results side by side (transports, HWM values, before and after a change): a table
 * of the headline figures with ratios to the first variant, grouped bar charts, and the
 * latency distributions laid over each other.
 */

export interface Variant {
  label: string;
  result: RunResult;
}

/** `b / a` as "1.23×"; a dash where there is no meaningful ratio. */
export function ratioText(a: number | null, b: number | null): string {
  if (a === null || b === null || !(a > 0) || !Number.isFinite(b)) return DASH;
  return `${(b / a).toFixed(2)}×`;
}

const latencyOf = (f: FlowFigures, p: 'p50' | 'p99'): number | null => (hasLatency(f) ? f.latency[p] : null);
const lossRate = (f: FlowFigures) => (f.expected > 0 ? f.lost / f.expected : 0);

/**
 * For each variant, the one its ratios are to: the first variant of the same scenario, or
 * null when the scenario has no other variant (a suite mixes unrelated scenarios, whose
 * ratios would mean nothing).
 */
export function baselines(variants: readonly Variant[]): Array<Variant | null> {
  const byScenario = new Map<string, Variant[]>();
  for (const v of variants) {
    const name = scenarioName(v.result);
    byScenario.set(name, [...(byScenario.get(name) ?? []), v]);
  }
  return variants.map((v) => {
    const same = byScenario.get(scenarioName(v.result))!;
    return same.length > 1 ? same[0]! : null;
  });
}

function comparisonTable(variants: readonly Variant[]): SafeHtml {
  const bases = baselines(variants);
  const rows = variants.map(({ label, result }, i): Cell[] => {
    const t = result.totals;
    const first = bases[i]?.result.totals ?? null;
    const v = verdictOf(result);
    return [
      { text: label, className: 'variant' },
      transportOf(result),
      formatRate(t.throughput.msgsPerSec),
      ratioText(first?.throughput.msgsPerSec ?? null, t.throughput.msgsPerSec),
      formatMegabytes(t.throughput.bytesPerSec),
      latencyOf(t, 'p50') === null ? DASH : formatLatencyUs(t.latency.p50),
      ratioText(first && latencyOf(first, 'p50'), latencyOf(t, 'p50')),
      latencyOf(t, 'p99') === null ? DASH : formatLatencyUs(t.latency.p99),
      ratioText(first && latencyOf(first, 'p99'), latencyOf(t, 'p99')),
      t.lost > 0 ? { text: lossText(t), className: 'bad' } : '0',
      { text: v.label, className: `verdict-text ${v.status}` },
    ];
  });
  return table(['variant', 'transport', 'msgs/s', '× first', 'MB/s', 'p50', '× first', 'p99', '× first', 'lost', 'verdict'], rows, [
    false,
    false,
    true,
    true,
    true,
    true,
    true,
    true,
    true,
    true,
    false,
  ]);
}

/** What the ratios are to, in words. */
function ratioNote(variants: readonly Variant[]): string {
  const scenarios = new Set(variants.map((v) => scenarioName(v.result)));
  if (scenarios.size === 1) return `Ratios are to the first variant (${variants[0]!.label}).`;
  return 'Ratios are to the first variant of the same scenario; a scenario run once has none.';
}

function bars(id: string, title: string, categories: string[], y: BarChart['y'], series: Series[]): BarChart {
  return { kind: 'bar', id: `compare-${id}`, title, categories, y, series };
}

/** Per-group bars need the same groups in every variant (the same scenario, varied). */
function sharedGroupNames(variants: readonly Variant[]): string[] {
  const names = variants[0]!.result.groups.map((g) => g.name);
  const same = variants.every((v) => v.result.groups.length === names.length && v.result.groups.every((g, i) => g.name === names[i]));
  return same && names.length > 1 ? names : [];
}

function comparisonCharts(variants: readonly Variant[]): ChartSpec[] {
  const labels = variants.map((v) => v.label);
  const totals = variants.map((v) => v.result.totals);
  // a matrix over message sizes first: those are the graphs people come for (libzmq's perf graphs)
  const charts: ChartSpec[] = [
    ...sweepCharts(variants),
    bars('throughput', 'Throughput per variant', labels, { title: 'messages per second', unit: 'rate' }, [
      { label: 'msgs/s', values: totals.map((t) => t.throughput.msgsPerSec), colour: 0 },
    ]),
  ];
  if (totals.some(hasLatency)) {
    charts.push(
      bars('latency', 'Latency per variant', labels, { title: 'latency (log scale)', unit: 'us', log: true }, [
        { label: 'p50', values: totals.map((t) => latencyOf(t, 'p50')), colour: 0 },
        { label: 'p99', values: totals.map((t) => latencyOf(t, 'p99')), colour: 1 },
      ]),
    );
  }
  charts.push(
    bars('loss', 'Loss per variant', labels, { title: 'lost / expected', unit: 'fraction' }, [
      { label: 'loss rate', values: totals.map(lossRate), colour: 3 },
    ]),
  );

  const groups = sharedGroupNames(variants);
  if (groups.length > 0) {
    const perGroup = (pick: (v: Variant, i: number) => number | null) =>
      variants.map((v, vi) => ({ label: v.label, values: groups.map((_, gi) => pick(v, gi)), colour: vi }));
    charts.push(
      bars(
        'group-throughput',
        'Throughput per group',
        groups,
        { title: 'messages per second', unit: 'rate' },
        perGroup((v, gi) => v.result.groups[gi]!.throughput.msgsPerSec),
      ),
    );
    if (variants.some((v) => v.result.groups.some(hasLatency))) {
      charts.push(
        bars(
          'group-p99',
          'Latency p99 per group',
          groups,
          { title: 'latency (log scale)', unit: 'us', log: true },
          perGroup((v, gi) => latencyOf(v.result.groups[gi]!, 'p99')),
        ),
      );
    }
  }

  const curves: PercentileChart['curves'] = variants.flatMap((v, i) =>
    hasLatency(v.result.totals) ? [{ label: v.label, colour: i, points: percentileCurve(v.result.totals.histogram) }] : [],
  );
  if (curves.length > 0) {
    charts.push({
      kind: 'percentile',
      id: 'compare-percentiles',
      title: 'Latency by percentile, all variants',
      y: { title: 'latency (log scale)', unit: 'us', log: true },
      curves,
    });
  }
  return charts;
}

/** libzmq's perf graphs: throughput, bandwidth and latency against message size, one series per transport. */
function sweepCharts(variants: readonly Variant[]): ChartSpec[] {
  const sweeps = sizeSweeps(
    variants.map(({ result }) => ({
      scenario: scenarioName(result),
      coordinates: result.matrix ?? {},
      throughput: result.totals.throughput.msgsPerSec,
      p50: latencyOf(result.totals, 'p50'),
      p99: latencyOf(result.totals, 'p99'),
    })),
  );
  return sweeps.flatMap((sweep, n) => {
    const sizes = sweep.sizes.map((b) => formatBytes(b));
    const of = (pick: (p: SweepPoint) => number | null): Series[] =>
      sweep.series.map((x, i) => ({ label: x.label, values: x.points.map((p) => (p ? pick(p) : null)), colour: i }));
    const id = (what: string) => `sweep${n}-${what}`;
    const out: ChartSpec[] = [
      bars(
        id('throughput'),
        `${sweep.scenario}: throughput by message size`,
        sizes,
        { title: 'messages per second', unit: 'rate' },
        of((p) => p.throughput),
      ),
      bars(
        id('bandwidth'),
        `${sweep.scenario}: bandwidth by message size`,
        sizes,
        { title: 'bytes per second', unit: 'bytes' },
        of((p) => p.bytesPerSec),
      ),
    ];
    if (sweep.series.some((x) => x.points.some((p) => p?.p50 !== null && p?.p50 !== undefined))) {
      out.push(
        bars(
          id('p50'),
          `${sweep.scenario}: latency p50 by message size`,
          sizes,
          { title: 'latency (log scale)', unit: 'us', log: true },
          of((p) => p.p50),
        ),
        bars(
          id('p99'),
          `${sweep.scenario}: latency p99 by message size`,
          sizes,
          { title: 'latency (log scale)', unit: 'us', log: true },
          of((p) => p.p99),
        ),
      );
    }
    return out;
  });
}

export function comparisonSection(variants: readonly Variant[]): { markup: SafeHtml; charts: ChartSpec[] } {
  const charts = comparisonCharts(variants);
  const markup = html`<section class="comparison card" id="comparison">
<h2>Comparison of ${String(variants.length)} results</h2>
<p class="muted">${ratioNote(variants)} Each result's own section follows below.</p>
${comparisonTable(variants)}
<div class="chart-grid">${charts.map((c) => chartBox(c, c.kind === 'percentile' ? 'tall' : 'normal'))}</div>
</section>`;
  return { markup, charts };
}
