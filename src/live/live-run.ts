import { LiveFigureTracker, type LiveFigures } from '../collect/live-figures.js';
import { settleLossSeries } from '../collect/loss-series.js';
import { TimeSeriesRecorder } from '../collect/timeseries.js';
import { DASH, formatCount, formatLatencyUs, formatRate } from '../core/format.js';
import type { TimelineEntry, TimeSeries } from '../core/types.js';
import { runCharts } from '../report/html/run-charts.js';
import { lossText, timelineRow } from '../report/html/run-section.js';
import { hasLatency } from '../results/facts.js';
import type { RunEvent, RunPhase } from '../runtime/run-events.js';
import type { Scenario } from '../scenario/schema.js';
import { decodeHistogram, summarizeLatency } from '../stats/histogram.js';
import type { LiveFigure, LiveRunInfo, LiveUpdate } from './live-messages.js';

/**
 * One run as the live page sees it, built from the run's events only: its own time series (the
 * same recorder as result.json's, with fewer points so an update stays small), the measured
 * figures so far and the timeline. update() gives the report's charts of the run so far. Pure.
 */

/** Points per time chart: a long run's points merge in pairs beyond this (result.json keeps up to 2000). */
export const LIVE_MAX_POINTS = 600;
/** The latest timeline rows listed (the charts mark up to MAX_SOCKET_MARKERS). */
export const LIVE_TIMELINE_ROWS = 200;

/** The charts' id prefix: one run on the page at a time. */
const PREFIX = 'live';

export class LiveRun {
  private readonly recorder: TimeSeriesRecorder;
  private figures: LiveFigures;
  private readonly timeline: TimelineEntry[] = [];
  private phase: RunPhase | null = null;
  private elapsedMs: number | null = null;

  constructor(
    readonly info: LiveRunInfo,
    scenario: Scenario,
  ) {
    const plannedMs = scenario.warmupMs + scenario.durationMs + scenario.drainMs;
    this.recorder = new TimeSeriesRecorder({
      intervalMs: scenario.sampleIntervalMs,
      maxPoints: LIVE_MAX_POINTS,
      plannedSamples: Math.ceil(plannedMs / scenario.sampleIntervalMs),
    });
    // Every group from the start, with nothing counted yet: the charts have their lines before the first figures.
    this.figures = new LiveFigureTracker(scenario.groups).figures(0);
  }

  add(e: RunEvent): void {
    if (e.type === 'phase') this.phase = e.phase;
    else if (e.type === 'sample') {
      this.recorder.add(e.sample);
      this.elapsedMs = e.sample.tMs;
    } else if (e.type === 'figures') this.figures = e.figures;
    else this.timeline.push(e.entry);
  }

  update(): LiveUpdate {
    const series = this.series();
    // Events come as they become known, which is not always in time order (a fault's entry waits for its end).
    const timeline = [...this.timeline].sort((a, b) => a.tMs - b.tMs);
    const { percentiles, time } = runCharts(
      { groups: this.figures.groups, totals: this.figures.totals, timeseries: series, timeline },
      PREFIX,
    );
    return {
      index: this.info.index,
      phase: this.phase,
      elapsedMs: this.elapsedMs,
      pointMs: series?.intervalMs ?? 0,
      figures: this.headline(),
      charts: [...(percentiles ? [percentiles] : []), ...time],
      timeline: {
        total: timeline.length,
        rows: timeline.slice(-LIVE_TIMELINE_ROWS).map((entry) => timelineRow(entry)),
      },
    };
  }

  /**
   * The series so far, its loss column settled as result.json's is at the end (settleLossSeries),
   * against the gaps open now: no point below zero, and they add up to what is missing so far.
   */
  private series(): TimeSeries | undefined {
    const s = this.recorder.finish();
    if (s.points === 0) return undefined;
    const open = Object.entries(s.groups).map(([name, g]) => ({
      name,
      lost: Math.max(
        0,
        g.lost.reduce((a, b) => a + b, 0),
      ),
    }));
    return settleLossSeries(s, open);
  }

  /** As the report's key figures, for the measured phase so far. */
  private headline(): LiveFigure[] {
    const t = this.figures.totals;
    const latency = hasLatency(t) ? summarizeLatency(decodeHistogram(t.histogram)) : null;
    const kind = latency ? t.latencyKind : 'not measured yet';
    return [
      { name: 'throughput', label: 'throughput', text: `${formatRate(t.throughput.msgsPerSec)} msgs/s`, detail: 'measured so far' },
      { name: 'p50', label: 'latency p50', text: latency ? formatLatencyUs(latency.p50) : DASH, detail: kind },
      { name: 'p99', label: 'latency p99', text: latency ? formatLatencyUs(latency.p99) : DASH, detail: kind },
      { name: 'lost', label: 'lost', text: lossText(t), detail: 'gaps seen so far' },
      { name: 'received', label: 'received', text: formatCount(t.received), detail: `${formatCount(t.sent)} sent` },
    ];
  }
}
