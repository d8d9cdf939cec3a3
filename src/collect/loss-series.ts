import type { GroupResult, TimeSeries } from '../core/types.js';

/**
 * The loss column of the time series, settled once the run's loss is known. Pure.
 *
 * During the run each point holds the change of a group's open gaps (sequence numbers missing
 * below the highest seen). A receiver fed over several paths (a sink behind several workers)
 * sees gaps that another path fills a moment later, so that change goes below zero and its sum
 * is not the loss. Here each point gets instead the messages that stayed lost from then on:
 * with open(i) the open gaps at the end of point i, kept(i) = min(open(j), j >= i) never falls,
 * and point i gets kept(i) - kept(i-1). Transient gaps cancel out; a gap never filled counts at
 * the point from which the open gaps never again fell below it. What only the end of the run
 * tells (tail loss, and loss of load-balanced groups, which no single receiver can see) goes to
 * the last point. So every point is >= 0 and the column adds up to the group's `lost`.
 */
export function settledLoss(changes: readonly number[], lost: number): number[] {
  const n = changes.length;
  if (n === 0) return [];
  const open: number[] = [];
  let level = 0;
  for (const c of changes) open.push((level += c));
  const kept = new Array<number>(n);
  let floor = Infinity;
  for (let i = n - 1; i >= 0; i--) kept[i] = floor = Math.max(0, Math.min(floor, open[i]!));
  const out = kept.map((k, i) => k - (i === 0 ? 0 : kept[i - 1]!));
  let rest = Math.max(0, lost) - kept[n - 1]!;
  if (rest >= 0) out[n - 1]! += rest;
  // Fewer lost than gaps open at the last sample (filled after it): take them off from the end.
  for (let i = n - 1; i >= 0 && rest < 0; i--) {
    const off = Math.min(out[i]!, -rest);
    out[i]! -= off;
    rest += off;
  }
  return out;
}

/** The series with every group's loss column settled against the group's result (see settledLoss). */
export function settleLossSeries(series: TimeSeries, groups: ReadonlyArray<Pick<GroupResult, 'name' | 'lost'>>): TimeSeries {
  const settled: TimeSeries['groups'] = {};
  for (const [name, g] of Object.entries(series.groups)) {
    const lost = groups.find((r) => r.name === name)?.lost ?? 0;
    settled[name] = { ...g, lost: settledLoss(g.lost, lost) };
  }
  return { ...series, groups: settled };
}
