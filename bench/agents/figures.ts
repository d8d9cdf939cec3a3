import type { RunResult } from '../../src/core/types.js';

/** The receivers of bench/agents/two-hosts.yaml, one per host: receiver-a on host a, receiver-b on b. */
export const RECEIVERS = { a: 'receiver-a', b: 'receiver-b' } as const;

/** What one run of the bench scenario gave. */
export interface AgentsRunFigures {
  complete: boolean;
  problems: string[];
  /** msgs/s received, both receivers together (result.json's totals) */
  throughput: number;
  /** µs, one-way, both receivers' histograms merged */
  p50: number;
  p99: number;
  /** the senders' send lag p99, µs (how far behind their schedule they fell) */
  sendLagP99: number;
  /** ms from the start command to each receiver's first message, on the coordinator's timeline */
  firstMessageMs: { a: number | null; b: number | null };
  /** firstMessageMs of b minus that of a: host b's start minus host a's, plus the noise the doc comment of agents.ts names */
  skewMs: number | null;
  /** the two hosts' clock uncertainties added (agents only): the most the clocks can add to skewMs */
  clockUncertaintyMs: number | null;
  /** the run from runScenario's call to its return, agents' set-up included */
  wallMs: number;
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

export function figuresOf(r: RunResult, wallMs: number): AgentsRunFigures {
  const first = (name: string) => r.groups.find((g) => g.name === name)?.firstMessageMs ?? null;
  const a = first(RECEIVERS.a);
  const b = first(RECEIVERS.b);
  const clocks = (r.hosts ?? []).map((h) => h.clock);
  const sendLags = r.groups.flatMap((g) => (g.sendLag ? [g.sendLag.summary.p99] : []));
  return {
    complete: r.complete,
    problems: r.problems,
    throughput: r.totals.throughput.msgsPerSec,
    p50: r.totals.latency.p50,
    p99: r.totals.latency.p99,
    sendLagP99: sendLags.length > 0 ? Math.max(...sendLags) : 0,
    firstMessageMs: { a, b },
    skewMs: a === null || b === null ? null : round3(b - a),
    clockUncertaintyMs:
      clocks.length > 0 && clocks.every((c) => c !== null) ? round3(clocks.reduce((s, c) => s + c!.uncertaintyMs, 0)) : null,
    wallMs: Math.round(wallMs),
  };
}
