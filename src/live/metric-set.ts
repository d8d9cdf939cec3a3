import type { Scenario } from '../scenario/schema.js';
import type { MetricKey } from './metric-catalogue.js';
import { RunMetrics, type HistogramPoint, type ValuePoint } from './run-metrics.js';

/**
 * The live metrics of one command: every run it has started (a suite, a matrix and repeats
 * are several), told apart by their scenario, variant and run labels. A finished run keeps
 * its final figures here until the command ends, so a scraper that comes late still reads them.
 */

/** the catalogue's histograms: their buckets come from HDR histograms, not from values */
export const HISTOGRAM_KEYS = ['latency', 'sendLag'] as const satisfies readonly MetricKey[];
export type HistogramKey = (typeof HISTOGRAM_KEYS)[number];
export type ValueKey = Exclude<MetricKey, HistogramKey>;

const VALUES: Record<ValueKey, (r: RunMetrics) => ValuePoint[]> = {
  sent: (r) => r.groupValues('sent'),
  received: (r) => r.groupValues('received'),
  lost: (r) => r.lost(),
  notSent: (r) => r.groupValues('notSent'),
  blocked: (r) => r.groupValues('blocked'),
  throughput: (r) => r.groupValues('throughput'),
  inFlight: (r) => r.groupValues('inFlight'),
  loopDelayP99: (r) => r.worker('eventLoopDelayP99Ms'),
  loopDelayMax: (r) => r.worker('eventLoopDelayMaxMs'),
  heapUsed: (r) => r.worker('heapUsedBytes'),
  heapTotal: (r) => r.worker('heapTotalBytes'),
  kernelQueue: (r) => r.kernelQueues(),
  faults: (r) => r.faults(),
  socketEvents: (r) => r.socketEvents(),
  phase: (r) => r.phases(),
  measured: (r) => r.measured(),
};

const HISTOGRAMS: Record<HistogramKey, (r: RunMetrics) => HistogramPoint[]> = {
  latency: (r) => r.latency(),
  sendLag: (r) => r.sendLag(),
};

export class MetricSet {
  private readonly runs: RunMetrics[] = [];

  /** A run begins: its events and result go to the RunMetrics returned. */
  begin(scenario: Scenario, ids: { variant: string; run: number }): RunMetrics {
    const run = new RunMetrics(scenario, ids);
    this.runs.push(run);
    return run;
  }

  values(key: ValueKey): ValuePoint[] {
    return this.runs.flatMap(VALUES[key]);
  }

  histograms(key: HistogramKey): HistogramPoint[] {
    return this.runs.flatMap(HISTOGRAMS[key]);
  }
}

export function isHistogramKey(key: MetricKey): key is HistogramKey {
  return (HISTOGRAM_KEYS as readonly MetricKey[]).includes(key);
}
