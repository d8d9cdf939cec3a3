import type { FlowFigures, GroupResult, LatencySummary } from '../core/types.js';
import type { Group } from '../scenario/schema.js';
import { createLatencyHistogram, decodeHistogram, encodeHistogram, type Histogram } from '../stats/histogram.js';
import { direction, latencyKindOf } from './aggregate.js';
import type { GroupSample } from './sample.js';

/**
 * The run's figures so far, built from the samples of the measured phase, in the shape the
 * threshold judge reads (GroupResult and totals), so abortOnFail judges with the same code as
 * the end of the run. Loss is what receivers have seen so far: lost / (received + lost).
 */

export interface LiveFigures {
  groups: GroupResult[];
  totals: FlowFigures;
  measuredMs: number;
}

interface Sums {
  sent: number;
  received: number;
  lost: number;
  notSent: number;
  blockedMs: number;
  latency: Histogram;
  latencyFromSend: Histogram;
  sendLag: Histogram;
}

const NO_LATENCY: LatencySummary = { count: 0, mean: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0, min: 0 };

export class LiveFigureTracker {
  private readonly sums = new Map<string, Sums>();

  constructor(private readonly groups: readonly Group[]) {
    for (const g of groups) {
      this.sums.set(g.name, {
        sent: 0,
        received: 0,
        lost: 0,
        notSent: 0,
        blockedMs: 0,
        latency: createLatencyHistogram(),
        latencyFromSend: createLatencyHistogram(),
        sendLag: createLatencyHistogram(),
      });
    }
  }

  /** One interval of the measured phase. */
  add(samples: Readonly<Record<string, GroupSample>>): void {
    for (const [name, s] of Object.entries(samples)) {
      const sums = this.sums.get(name);
      if (!sums) continue;
      sums.sent += s.sent;
      sums.received += s.received;
      sums.lost += s.lost;
      sums.notSent += s.notSent;
      sums.blockedMs += s.blockedMs;
      if (s.histogram !== '') sums.latency.add(decodeHistogram(s.histogram));
      if (s.histogramFromSend) sums.latencyFromSend.add(decodeHistogram(s.histogramFromSend));
      if (s.sendLagHistogram) sums.sendLag.add(decodeHistogram(s.sendLagHistogram));
    }
  }

  figures(measuredMs: number): LiveFigures {
    const seconds = measuredMs / 1000;
    const groups = this.groups.map((g): GroupResult => {
      const s = this.sums.get(g.name)!;
      const dir = direction(g);
      const counted = dir === 'sends' ? s.sent : s.received;
      return {
        name: g.name,
        type: g.type,
        count: g.count,
        engine: g.engine,
        direction: dir,
        sent: s.sent,
        received: s.received,
        expected: s.received + s.lost,
        lost: s.lost,
        loss: { head: 0, midstream: s.lost, tail: 0 },
        duplicates: 0,
        reordered: 0,
        misrouted: 0,
        throughput: { msgsPerSec: seconds > 0 ? counted / seconds : 0, bytesPerSec: 0 },
        latency: { ...NO_LATENCY, count: s.latency.totalCount },
        latencyKind: latencyKindOf(g),
        histogram: s.latency.totalCount > 0 ? encodeHistogram(s.latency) : '',
        latencyFromSend: { ...NO_LATENCY, count: s.latencyFromSend.totalCount },
        histogramFromSend: s.latencyFromSend.totalCount > 0 ? encodeHistogram(s.latencyFromSend) : '',
        blocked: { ms: s.blockedMs, share: measuredMs > 0 ? s.blockedMs / (measuredMs * g.count) : 0 },
        notSent: s.notSent,
        drained: { messages: 0, ms: 0 },
        options: {},
        ...(s.sendLag.totalCount > 0 ? { sendLag: { summary: NO_LATENCY, histogram: encodeHistogram(s.sendLag) } } : {}),
        errors: [],
      };
    });
    return { groups, totals: totalsOf(groups), measuredMs };
  }
}

/** As result.json's totals: the groups where messages end (docs/results.md "Totals"). */
function totalsOf(groups: readonly GroupResult[]): FlowFigures {
  const terminal = groups.filter((g) => g.direction === 'receives' || g.direction === 'round-trips');
  const origin = groups.filter((g) => g.direction === 'sends' || g.direction === 'round-trips');
  const add = (f: (g: GroupResult) => number, list = terminal) => list.reduce((a, g) => a + f(g), 0);
  const kinds = new Set(terminal.map((g) => g.latencyKind));
  const merged = createLatencyHistogram();
  for (const g of terminal) if (g.histogram !== '') merged.add(decodeHistogram(g.histogram));
  const mergedFromSend = createLatencyHistogram();
  for (const g of terminal) if (g.histogramFromSend !== '') mergedFromSend.add(decodeHistogram(g.histogramFromSend));
  return {
    sent: add((g) => g.sent, origin),
    received: add((g) => g.received),
    expected: add((g) => g.expected),
    lost: add((g) => g.lost),
    loss: { head: 0, midstream: add((g) => g.lost), tail: 0 },
    duplicates: 0,
    reordered: 0,
    misrouted: 0,
    throughput: { msgsPerSec: add((g) => g.throughput.msgsPerSec), bytesPerSec: 0 },
    latency: { ...NO_LATENCY, count: merged.totalCount },
    latencyKind: kinds.size === 1 ? [...kinds][0]! : kinds.size === 0 ? 'none' : 'mixed',
    histogram: merged.totalCount > 0 ? encodeHistogram(merged) : '',
    latencyFromSend: { ...NO_LATENCY, count: mergedFromSend.totalCount },
    histogramFromSend: mergedFromSend.totalCount > 0 ? encodeHistogram(mergedFromSend) : '',
  };
}
