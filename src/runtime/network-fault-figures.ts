import type { TimelineEntry, TimeSeries } from '../core/types.js';
import type { Scenario } from '../scenario/schema.js';
import { networkPairKey } from '../scenario/validate.js';

/**
 * What the network faults did, from what the run recorded: for each partition or cut, how long
 * until a socket of either group noticed (its first `disconnect` event after the fault and before
 * the heal; null when none did), and how long from the heal (a cut: from that first disconnect)
 * until either group received a message again: the end of the first time-series point that lies
 * wholly after it and has arrivals, so an upper bound within one sample interval (null: none came).
 */

const NOTICED = new Set(['disconnect']);

export function withNetworkFaultFigures(timeline: TimelineEntry[], scenario: Scenario, series: TimeSeries | undefined): TimelineEntry[] {
  if (scenario.networkFaults.length === 0) return timeline;
  const faults = timeline.filter((e): e is Extract<TimelineEntry, { kind: 'fault' }> => e.kind === 'fault');
  return timeline.map((e) => {
    if (e.kind !== 'fault' || e.error !== undefined || (e.action !== 'partition' && e.action !== 'cut')) return e;
    // detection and traffic are judged per group (a socket's own events are not told apart here)
    const groups = e.target.split(' ↔ ').map((t) => t.replace(/\[\d+\]$/, ''));
    const healMs = e.action === 'cut' ? null : healAfter(faults, e);
    const notice = timeline.find(
      (x) =>
        x.kind === 'socket' &&
        groups.includes(x.group) &&
        NOTICED.has(x.event) &&
        x.tMs >= e.tMs &&
        x.tMs <= (healMs ?? Number.POSITIVE_INFINITY),
    );
    // a cut heals by itself: traffic is back once a socket noticed and reconnected
    const backFrom = e.action === 'cut' ? (notice?.tMs ?? null) : healMs;
    const recoveredMs = backFrom === null ? null : firstArrivalAfter(series, groups, backFrom);
    return {
      ...e,
      detectedMs: notice === undefined ? null : round3(notice.tMs - e.tMs),
      recoveredMs,
      ...meanwhile(series, groups, e.tMs, backFrom === null || recoveredMs === null ? Number.POSITIVE_INFINITY : backFrom + recoveredMs),
    };
  });
}

/** When the fault's pair was healed: the next heal of the same two groups, or null. */
function healAfter(
  faults: ReadonlyArray<Extract<TimelineEntry, { kind: 'fault' }>>,
  fault: { tMs: number; target: string },
): number | null {
  const pair = networkPairKey(fault.target.split(' ↔ '));
  const heal = faults.find((f) => f.action === 'heal' && f.tMs >= fault.tMs && networkPairKey(f.target.split(' ↔ ')) === pair);
  return heal === undefined ? null : heal.tMs;
}

function firstArrivalAfter(series: TimeSeries | undefined, groups: readonly string[], fromMs: number): number | null {
  if (!series) return null;
  for (let i = 0; i < series.points; i++) {
    const t = series.t[i]!;
    if (t - series.intervalMs < fromMs) continue;
    if (groups.some((g) => (series.groups[g]?.received[i] ?? 0) > 0)) return round3(t - fromMs);
  }
  return null;
}

/** The pair's backlog and loss in the points from the fault (the one it falls in) to the one traffic came back in. */
function meanwhile(
  series: TimeSeries | undefined,
  groups: readonly string[],
  fromMs: number,
  untilMs: number,
): { queuedMax: number; lostMeanwhile: number } | object {
  if (!series) return {};
  let queuedMax = 0;
  let lostMeanwhile = 0;
  for (let i = 0; i < series.points; i++) {
    const t = series.t[i]!;
    if (t <= fromMs || t - series.intervalMs > untilMs) continue;
    queuedMax = Math.max(
      queuedMax,
      groups.reduce((n, g) => n + (series.groups[g]?.inFlight[i] ?? 0), 0),
    );
    lostMeanwhile += groups.reduce((n, g) => n + (series.groups[g]?.lost[i] ?? 0), 0);
  }
  return { queuedMax, lostMeanwhile };
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;
