import { direction, latencyKindOf } from '../collect/aggregate.js';
import type { LiveFigures } from '../collect/live-figures.js';
import type { KernelSample, Sample, WorkerSample } from '../collect/sample.js';
import type { GroupResult, RunResult, TimelineEntry } from '../core/types.js';
import { RUN_PHASES, type RunEvent } from '../runtime/run-events.js';
import { slotsOf } from '../scenario/plan.js';
import { isSender, type Group, type Scenario } from '../scenario/schema.js';
import { BucketCache, type Buckets } from './histogram-buckets.js';

/**
 * One run's live metrics, built from its events (RunOptions.onEvent) and, at the end, its
 * RunResult, which then replaces every figure it has: what a scrape after the run reads is
 * result.json. Counters of the whole run (sent, received, lost) are the sums of every sample,
 * warm-up and drain included, as result.json counts them; latency, send lag and blocked time
 * are the measured phase's, from the live figures.
 */

export type Labels = Readonly<Record<string, string>>;
export interface ValuePoint {
  labels: Labels;
  value: number;
}
export interface HistogramPoint extends Buckets {
  labels: Labels;
}

/** The phases a run reports, then `done`: its figures are result.json's. */
export const PHASE_STATES = [...RUN_PHASES, 'done'] as const;
export type PhaseState = (typeof PHASE_STATES)[number];

const LOSS_CLASSES = ['head', 'midstream', 'tail'] as const;

interface GroupState {
  group: Group;
  labels: Labels;
  sent: number;
  received: number;
  gaps: number;
  notSent: number;
  inFlight: number;
  throughput: number;
}

export class RunMetrics {
  private readonly runLabels: Labels;
  private readonly groups = new Map<string, GroupState>();
  /** slot → its worker's labels */
  private readonly slotLabels = new Map<string, Labels>();
  private readonly workers = new Map<string, WorkerSample>();
  private kernel: Record<string, KernelSample> = {};
  private figures: LiveFigures | null = null;
  private final: RunResult | null = null;
  private phase: PhaseState | null = null;
  private timeline: TimelineEntry[] = [];
  private lastSampleMs: number | null = null;
  private readonly buckets = new BucketCache();

  constructor(
    private readonly scenario: Scenario,
    ids: { variant: string; run: number },
  ) {
    this.runLabels = { scenario: scenario.name, variant: ids.variant, run: String(ids.run) };
    for (const g of scenario.groups) {
      const labels = { ...this.runLabels, group: g.name, engine: g.engine, host: g.hosts.join(',') };
      this.groups.set(g.name, { group: g, labels, sent: 0, received: 0, gaps: 0, notSent: 0, inFlight: 0, throughput: 0 });
    }
    for (const s of slotsOf(scenario.groups)) {
      const g = this.groups.get(s.group);
      this.slotLabels.set(String(s.slot), {
        ...this.runLabels,
        worker: String(s.slot),
        group: s.group,
        engine: g?.group.engine ?? '',
        host: s.host ?? '',
      });
    }
  }

  onEvent(e: RunEvent): void {
    if (this.final) return;
    if (e.type === 'phase') this.phase = e.phase;
    else if (e.type === 'sample') this.addSample(e.sample);
    else if (e.type === 'figures') this.figures = e.figures;
    else this.timeline.push(e.entry);
  }

  /** The run's result (judged, as written to result.json): from now on every figure is its. */
  finish(result: RunResult): void {
    this.final = result;
    this.phase = 'done';
    this.timeline = [...(result.timeline ?? [])];
  }

  /** The run ended without a result (it failed to start): its phase says so, its figures stay. */
  ended(): void {
    this.phase = 'done';
  }

  private addSample(sample: Sample): void {
    const seconds = (this.lastSampleMs === null ? this.scenario.sampleIntervalMs : sample.tMs - this.lastSampleMs) / 1000;
    this.lastSampleMs = sample.tMs;
    for (const [name, s] of Object.entries(sample.groups)) {
      const g = this.groups.get(name);
      if (!g) continue;
      g.sent += s.sent;
      g.received += s.received;
      g.gaps += s.lost;
      g.notSent += s.notSent;
      g.inFlight = s.inFlight;
      const counted = direction(g.group) === 'sends' ? s.sent : s.received;
      g.throughput = seconds > 0 ? counted / seconds : 0;
    }
    for (const [slot, w] of Object.entries(sample.workers)) this.workers.set(slot, w);
    this.kernel = { ...this.kernel, ...sample.kernel };
  }

  private resultOf(name: string): GroupResult | undefined {
    return (this.final?.groups ?? this.figures?.groups)?.find((g) => g.name === name);
  }

  /** Counters and gauges of the run's groups. */
  groupValues(key: 'sent' | 'received' | 'notSent' | 'blocked' | 'throughput' | 'inFlight'): ValuePoint[] {
    return [...this.groups.values()].map((g) => ({ labels: g.labels, value: this.groupValue(g, key) }));
  }

  private groupValue(g: GroupState, key: 'sent' | 'received' | 'notSent' | 'blocked' | 'throughput' | 'inFlight'): number {
    const r = this.resultOf(g.group.name);
    const final = this.final ? r : undefined;
    switch (key) {
      case 'sent':
        return final?.sent ?? g.sent;
      case 'received':
        return final?.received ?? g.received;
      case 'notSent':
        return final?.notSent ?? g.notSent;
      case 'blocked':
        return (r?.blocked.ms ?? 0) / 1000;
      case 'throughput':
        return final?.throughput.msgsPerSec ?? g.throughput;
      case 'inFlight':
        return g.inFlight;
    }
  }

  lost(): ValuePoint[] {
    return [...this.groups.values()].flatMap((g) => {
      const loss = this.final ? this.resultOf(g.group.name)?.loss : undefined;
      return LOSS_CLASSES.map((c) => ({
        labels: { ...g.labels, loss: c },
        value: loss ? loss[c] : c === 'midstream' ? Math.max(0, g.gaps) : 0,
      }));
    });
  }

  latency(): HistogramPoint[] {
    return [...this.groups.values()].flatMap((g) => {
      const kind = latencyKindOf(g.group);
      if (kind === 'none') return [];
      const encoded = this.resultOf(g.group.name)?.histogram ?? '';
      return [{ labels: { ...g.labels, kind }, ...this.buckets.of(`latency:${g.group.name}`, encoded) }];
    });
  }

  sendLag(): HistogramPoint[] {
    return [...this.groups.values()].flatMap((g) => {
      if (!isSender(g.group.type, g.group.side)) return [];
      const encoded = this.resultOf(g.group.name)?.sendLag?.histogram ?? '';
      return [{ labels: g.labels, ...this.buckets.of(`sendLag:${g.group.name}`, encoded) }];
    });
  }

  worker(key: keyof WorkerSample): ValuePoint[] {
    const perSecond = key === 'eventLoopDelayP99Ms' || key === 'eventLoopDelayMaxMs' ? 1 / 1000 : 1;
    return [...this.workers].map(([slot, w]) => ({
      labels: this.slotLabels.get(slot) ?? { ...this.runLabels, worker: slot, group: '', engine: '', host: '' },
      value: w[key] * perSecond,
    }));
  }

  kernelQueues(): ValuePoint[] {
    return Object.entries(this.kernel).flatMap(([endpoint, k]) =>
      (
        [
          ['bind', 'send', k.bindSendQueue],
          ['bind', 'recv', k.bindRecvQueue],
          ['connect', 'send', k.connectSendQueue],
          ['connect', 'recv', k.connectRecvQueue],
        ] as const
      ).map(([side, dir, value]) => ({ labels: { ...this.runLabels, endpoint, side, direction: dir }, value })),
    );
  }

  faults(): ValuePoint[] {
    return countBy(this.timeline, (e) =>
      e.kind === 'fault'
        ? { ...this.runLabels, action: e.action, target: e.target, outcome: e.error === undefined ? 'done' : 'failed', host: e.host ?? '' }
        : null,
    );
  }

  socketEvents(): ValuePoint[] {
    return countBy(this.timeline, (e) =>
      e.kind === 'socket' ? { ...this.runLabels, group: e.group, event: e.event, host: e.host ?? '' } : null,
    );
  }

  phases(): ValuePoint[] {
    return PHASE_STATES.map((p) => ({ labels: { ...this.runLabels, phase: p }, value: p === this.phase ? 1 : 0 }));
  }

  measured(): ValuePoint[] {
    const ms = this.final ? this.final.timing.measuredMs : Math.min(this.figures?.measuredMs ?? 0, this.scenario.durationMs);
    return [{ labels: this.runLabels, value: ms / 1000 }];
  }

  /** The phase the run is in (null before its first event). */
  get currentPhase(): PhaseState | null {
    return this.phase;
  }
}

/** One point per distinct label set, counting the entries that map to it. */
function countBy(entries: readonly TimelineEntry[], labelsOf: (e: TimelineEntry) => Labels | null): ValuePoint[] {
  const counts = new Map<string, ValuePoint>();
  for (const e of entries) {
    const labels = labelsOf(e);
    if (labels === null) continue;
    const key = JSON.stringify(labels);
    const p = counts.get(key);
    if (p) p.value++;
    else counts.set(key, { labels, value: 1 });
  }
  return [...counts.values()];
}
