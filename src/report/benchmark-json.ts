import { ExitCode } from '../core/exit-codes.js';
import type { FigureName, FigureStats, SuiteOutcome, VariantOutcome } from '../ci/types.js';

/**
 * Benchmark data for dashboards that track figures over commits: github-action-benchmark's
 * custom tools and Bencher's Metric Format. Pure: a SuiteOutcome in, JSON text out.
 */

/** One entry of github-action-benchmark's customSmallerIsBetter / customBiggerIsBetter. */
export interface BenchmarkActionEntry {
  name: string;
  unit: string;
  value: number;
  range?: string;
  extra?: string;
}

/** Bencher Metric Format: benchmark → measure slug → metric. */
export interface BencherMetric {
  value: number;
  lower_value?: number;
  upper_value?: number;
}
export type BencherMetricFormat = Record<string, Record<string, BencherMetric>>;

/**
 * A variant that is not a valid measurement (or was interrupted) is left out: its figures would
 * land on the dashboard as a data point like any other and trip its alerts.
 */
function measured(o: SuiteOutcome): VariantOutcome[] {
  return o.variants.filter((v) => v.exitCode !== ExitCode.invalidMeasurement && v.exitCode !== ExitCode.interrupted);
}

/** Drops binary floating-point noise (0.0123 × 100 = 1.2300000000000002) from exported numbers. */
function tidy(n: number): number {
  return Number(n.toPrecision(12));
}

/** min and max of the repeats, when there were repeats to spread. */
function spread(v: VariantOutcome, f: FigureStats): { min: number; max: number } | null {
  return v.runs.length > 1 && f.min !== null && f.max !== null ? { min: f.min, max: f.max } : null;
}

type Direction = 'smallerIsBetter' | 'biggerIsBetter';

/** Loss goes out in percent: dashboards show it as a readable number, not 0.000123. */
const ACTION_FIGURES: ReadonlyArray<{ figure: FigureName; unit: string; scale: number; tool: Direction }> = [
  { figure: 'latency_p50', unit: 'us', scale: 1, tool: 'smallerIsBetter' },
  { figure: 'latency_p99', unit: 'us', scale: 1, tool: 'smallerIsBetter' },
  { figure: 'loss_rate', unit: '%', scale: 100, tool: 'smallerIsBetter' },
  { figure: 'throughput', unit: 'msgs/s', scale: 1, tool: 'biggerIsBetter' },
];

function actionEntries(o: SuiteOutcome, tool: Direction): BenchmarkActionEntry[] {
  const env = o.environment;
  return measured(o).flatMap((v) =>
    ACTION_FIGURES.filter((a) => a.tool === tool).flatMap(({ figure, unit, scale }): BenchmarkActionEntry[] => {
      const f = v.figures[figure];
      if (f.median === null) return [];
      const s = spread(v, f);
      const runs = `${v.runs.length} ${v.runs.length === 1 ? 'run' : 'runs'}`;
      return [
        {
          name: `${v.name} - ${figure}`,
          unit,
          value: tidy(f.median * scale),
          ...(s ? { range: `± ${tidy(((s.max - s.min) / 2) * scale)}` } : {}),
          extra: `${runs}; ${v.transport}; ${env.cpuModel} × ${env.cores}${v.engines === undefined ? '' : `; engines: ${v.engines}`}`,
        },
      ];
    }),
  );
}

/** Two JSON documents, one per github-action-benchmark tool (it reads one tool per file). */
export function benchmarkActionJson(o: SuiteOutcome): { smallerIsBetter: string; biggerIsBetter: string } {
  return {
    smallerIsBetter: JSON.stringify(actionEntries(o, 'smallerIsBetter'), null, 2),
    biggerIsBetter: JSON.stringify(actionEntries(o, 'biggerIsBetter'), null, 2),
  };
}

const BENCHER_SLUGS: Record<FigureName, string> = {
  throughput: 'throughput',
  latency_p50: 'latency-p50',
  latency_p99: 'latency-p99',
  loss_rate: 'loss-rate',
};

/** Bencher Metric Format, values in the FigureStats units (msgs/s, µs, fraction of 1). */
export function bencherMetricFormat(o: SuiteOutcome): string {
  const out: BencherMetricFormat = {};
  for (const v of measured(o)) {
    const measures: Record<string, BencherMetric> = {};
    for (const figure of Object.keys(BENCHER_SLUGS) as FigureName[]) {
      const f = v.figures[figure];
      if (f.median === null) continue;
      const s = spread(v, f);
      measures[BENCHER_SLUGS[figure]] = { value: f.median, ...(s ? { lower_value: s.min, upper_value: s.max } : {}) };
    }
    // Bencher wants at least one measure per benchmark.
    if (Object.keys(measures).length > 0) out[v.name] = measures;
  }
  return JSON.stringify(out, null, 2);
}
