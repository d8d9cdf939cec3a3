import { median } from 'simple-statistics';
import type { FlowFigures, RunResult } from '../core/types.js';
import { hasLatency } from '../results/facts.js';
import { FIGURE_NAMES, type FigureName, type FigureStats } from './types.js';

/** The headline figures of a variant over its repeats: what a baseline comparison works on. */

interface FigureDef {
  unit: FigureStats['unit'];
  better: FigureStats['better'];
  /** null when the run did not measure it */
  read: (totals: FlowFigures) => number | null;
}

const FIGURES: Record<FigureName, FigureDef> = {
  throughput: { unit: 'msgs/s', better: 'higher', read: (t) => t.throughput.msgsPerSec },
  latency_p50: { unit: 'us', better: 'lower', read: (t) => (hasLatency(t) ? t.latency.p50 : null) },
  latency_p99: { unit: 'us', better: 'lower', read: (t) => (hasLatency(t) ? t.latency.p99 : null) },
  // Nothing expected (a run that sent nothing) is no loss, not 0/0.
  loss_rate: { unit: 'fraction', better: 'lower', read: (t) => (t.expected > 0 ? t.lost / t.expected : 0) },
};

export function statsOf(values: Array<number | null>, unit: FigureStats['unit'], better: FigureStats['better']): FigureStats {
  const measured = values.filter((v): v is number => v !== null);
  const any = measured.length > 0;
  return {
    median: any ? median(measured) : null,
    min: any ? Math.min(...measured) : null,
    max: any ? Math.max(...measured) : null,
    values,
    unit,
    better,
  };
}

export function figureStats(runs: readonly RunResult[]): Record<FigureName, FigureStats> {
  const entries = FIGURE_NAMES.map((name) => {
    const def = FIGURES[name];
    return [
      name,
      statsOf(
        runs.map((r) => def.read(r.totals)),
        def.unit,
        def.better,
      ),
    ] as const;
  });
  return Object.fromEntries(entries) as Record<FigureName, FigureStats>;
}
