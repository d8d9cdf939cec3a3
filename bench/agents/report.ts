import type { Environment } from '../../src/core/types.js';
import { pairsOf, type Spread, spread } from '../spread.js';
import type { AgentsRunFigures } from './figures.js';

export type Side = 'local' | 'agents';

/** The goal of issue 20: a two-agent run holds this share of the local run's throughput at the same rates. */
export const THROUGHPUT_GOAL = 0.95;

export interface AgentsRound {
  round: number;
  order: Side[];
  /** null: the run failed (its error is in errors) or did not complete */
  local: AgentsRunFigures | null;
  agents: AgentsRunFigures | null;
  errors: string[];
}

export interface AgentsSummary {
  /** agents / local within each round, median and range over the rounds both completed */
  throughputRatio: Spread;
  p50Ratio: Spread;
  p99Ratio: Spread;
  comparedRounds: number;
  /** msgs/s achieved per side, median over its completed runs (against the offered rate) */
  throughputMedian: Record<Side, number>;
  goal: number;
  goalMet: boolean;
  /** |skewMs| over the rounds, per side: median and max */
  skewMs: Record<Side, { median: number; max: number; runs: number }>;
  /** the largest clocks' uncertainty of the agents' runs (what the clocks can add to a skew) */
  clockUncertaintyMaxMs: number | null;
}

export interface AgentsReport {
  startedAt: string;
  elapsedS: number;
  settings: {
    scenario: string;
    rounds: number;
    durationMs: number;
    warmupMs: number;
    ratePerSender: number;
    senders: number;
    localPlacement: 'thread' | 'process';
    order: 'ABBA';
  };
  environment: Environment;
  loadAverageAtStart: number[];
  loadAverageAtEnd: number[];
  agents: Array<{ label: string; url: string }>;
  /** true: two agents on loopback started by the bench; false: agents given with --agents */
  agentsStartedHere: boolean;
  rounds: AgentsRound[];
  summary: AgentsSummary;
}

const usable = (f: AgentsRunFigures | null) => (f?.complete ? f : null);

function ratio(rounds: readonly AgentsRound[], pick: (f: AgentsRunFigures) => number): Spread {
  const pairs = pairsOf(
    rounds.map((r) => {
      const f = usable(r.local);
      return f ? pick(f) : null;
    }),
    rounds.map((r) => {
      const f = usable(r.agents);
      return f ? pick(f) : null;
    }),
  );
  return spread(pairs.map(([local, agents]) => agents / local));
}

function skewOf(rounds: readonly AgentsRound[], side: Side): { median: number; max: number; runs: number } {
  const skews = rounds.flatMap((r) => {
    const s = usable(r[side])?.skewMs;
    return s === null || s === undefined ? [] : [Math.abs(s)];
  });
  const s = spread(skews);
  return { median: s.median, max: s.max, runs: skews.length };
}

export function summarise(rounds: readonly AgentsRound[]): AgentsSummary {
  const throughputRatio = ratio(rounds, (f) => f.throughput);
  const uncertainties = rounds.flatMap((r) => {
    const u = usable(r.agents)?.clockUncertaintyMs;
    return u === null || u === undefined ? [] : [u];
  });
  return {
    throughputRatio,
    p50Ratio: ratio(rounds, (f) => f.p50),
    p99Ratio: ratio(rounds, (f) => f.p99),
    comparedRounds: rounds.filter((r) => usable(r.local) && usable(r.agents)).length,
    throughputMedian: {
      local: spread(rounds.flatMap((r) => usable(r.local)?.throughput ?? [])).median,
      agents: spread(rounds.flatMap((r) => usable(r.agents)?.throughput ?? [])).median,
    },
    goal: THROUGHPUT_GOAL,
    goalMet: throughputRatio.median >= THROUGHPUT_GOAL,
    skewMs: { local: skewOf(rounds, 'local'), agents: skewOf(rounds, 'agents') },
    clockUncertaintyMaxMs: uncertainties.length > 0 ? Math.max(...uncertainties) : null,
  };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const k = (x: number) => `${(x / 1000).toFixed(2)}k`;
const us = (x: number) => x.toFixed(0);
const ms = (x: number | null | undefined) => (x === null || x === undefined ? '–' : x.toFixed(2));
const range = (s: Spread, digits = 3) =>
  Number.isNaN(s.median) ? '–' : `${s.median.toFixed(digits)} (${s.min.toFixed(digits)}–${s.max.toFixed(digits)})`;

function cell(f: AgentsRunFigures | null, text: (f: AgentsRunFigures) => string): string {
  return f === null ? 'failed' : f.complete ? text(f) : 'incomplete';
}

/** The Markdown table of every round, then the medians and what they are against. */
export function agentsTable(report: AgentsReport): string {
  const { settings: s, summary: m, environment: e } = report;
  const lines = [
    `Two hosts, a and b, each a PUSH → PULL pair at ${s.ratePerSender.toLocaleString('en-US')} msgs/s of 64 B over tcp ` +
      `(${(s.senders * s.ratePerSender).toLocaleString('en-US')} msgs/s offered in all); agents: ` +
      (report.agentsStartedHere
        ? 'both labels bound to a `zmq-bench agent` on loopback, started by the bench'
        : `--agents ${report.agents.map((a) => `${a.label}=${a.url}`).join(',')}`) +
      `; local: the same scenario without --agents, on this machine (placement ${s.localPlacement}).`,
    '',
    '| round | order | msgs/s local | msgs/s agents | agents / local | p50 µs local → agents | p99 µs local → agents | skew ms local | skew ms agents (± clocks) |',
    '|---:|---|---:|---:|---:|---|---|---:|---:|',
  ];
  for (const r of report.rounds) {
    const l = r.local;
    const a = r.agents;
    const both = usable(l) && usable(a);
    lines.push(
      `| ${r.round} | ${r.order.join(', ')} | ${cell(l, (f) => k(f.throughput))} | ${cell(a, (f) => k(f.throughput))} | ` +
        `${both ? (a!.throughput / l!.throughput).toFixed(3) : '–'} | ` +
        `${both ? `${us(l!.p50)} → ${us(a!.p50)}` : '–'} | ${both ? `${us(l!.p99)} → ${us(a!.p99)}` : '–'} | ` +
        `${cell(l, (f) => ms(f.skewMs))} | ${cell(a, (f) => `${ms(f.skewMs)} (± ${ms(f.clockUncertaintyMs)})`)} |`,
    );
  }
  lines.push(
    '',
    `**Throughput agents / local: ${range(m.throughputRatio)}** (median (range) over ${plural(m.comparedRounds, 'round')}; goal ≥ ${m.goal}: ${m.goalMet ? 'met' : '**not met**'}; ` +
      `achieved ${k(m.throughputMedian.local)} local and ${k(m.throughputMedian.agents)} on agents of ${k(s.senders * s.ratePerSender)} offered, medians). ` +
      `For information, latency p50 ${range(m.p50Ratio, 2)}, p99 ${range(m.p99Ratio, 2)}.`,
    `**Start skew** |first message at b − first message at a|: agents median ${ms(m.skewMs.agents.median)} ms, max ${ms(m.skewMs.agents.max)} ms ` +
      `(${plural(m.skewMs.agents.runs, 'run')}; clocks add at most ± ${ms(m.clockUncertaintyMaxMs)} ms); ` +
      `local median ${ms(m.skewMs.local.median)} ms, max ${ms(m.skewMs.local.max)} ms.`,
    '',
    `*${plural(s.rounds, 'round')} in ABBA order, ${s.durationMs / 1000} s measured after ${s.warmupMs} ms warm-up; ${e.cpuModel} × ${e.cores} cores, ${e.os} ${e.arch}, ` +
      `Node ${e.node}, zeromq.js ${e.zeromqJs} / libzmq ${e.libzmq}; load average ${report.loadAverageAtStart.join(' ')} at the start, ` +
      `${report.loadAverageAtEnd.join(' ')} at the end; ${report.elapsedS.toFixed(0)} s.*`,
  );
  return lines.join('\n');
}
