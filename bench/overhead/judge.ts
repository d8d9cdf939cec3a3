import { pairsOf, spread } from '../spread.js';
import type { CaseSpec, Goal, Measurement, OverheadCase, Ratio, Side } from './types.js';

/** Issue 8: zmq-bench on zeromq.js against the bare zeromq.js loop. */
export const THROUGHPUT_GOAL = 0.95;
export const LATENCY_GOAL = 1.05;

/** Issue 19: the native engine against C, and against the zeromq.js engine. */
export const NATIVE_TO_C_GOALS = { smallThroughput: 0.35, kibThroughput: 0.8, roundTripP50: 1.2 } as const;
export const NATIVE_TO_ZEROMQJS_GOAL = 5;

/** Each round's runs of one case, in order; null where a run failed or its side did not run. */
export interface Rounds {
  bare: Array<Measurement | null>;
  floor: Array<Measurement | null>;
  harness: Array<Measurement | null>;
  nativeEngine: Array<Measurement | null> | null;
  c: Array<Measurement | null> | null;
}

/** NaN when empty (spread's median). */
const median = (xs: readonly number[]): number => spread(xs).median;

function side(runs: Array<Measurement | null>): Side {
  const done = runs.filter((r): r is Measurement => r !== null);
  const nullable = (f: (m: Measurement) => number | null): number | null => {
    const xs = done.map(f).filter((x): x is number => x !== null);
    return xs.length > 0 ? median(xs) : null;
  };
  return { median: { perSec: median(done.map((r) => r.perSec)), p50Us: nullable((r) => r.p50Us), p99Us: nullable((r) => r.p99Us) }, runs };
}

/** measured / reference, round by round, over the rounds where both ran. */
function ratio(figure: Ratio['figure'], reference: Array<Measurement | null>, measured: Array<Measurement | null>): Ratio | null {
  const pairs = pairsOf(
    reference.map((m) => m?.[figure] ?? null),
    measured.map((m) => m?.[figure] ?? null),
  ).map(([r, m]) => m / r);
  if (pairs.length === 0) return null;
  return { figure, ...spread(pairs), pairs };
}

function nativeGoals(c: CaseSpec, toC: Ratio | null, toHarness: Ratio | null): Goal[] {
  const goals: Goal[] = [];
  const atLeast = (r: Ratio | null, x: number) => r !== null && r.median >= x;
  if (c.pattern === 'req-rep') {
    const x = NATIVE_TO_C_GOALS.roundTripP50;
    goals.push({ text: `p50 ≤ ${x}× C`, met: toC !== null && toC.median <= x });
    return goals;
  }
  const x = c.sizeBytes >= 1024 ? NATIVE_TO_C_GOALS.kibThroughput : NATIVE_TO_C_GOALS.smallThroughput;
  goals.push({ text: `≥ ${x}× C`, met: atLeast(toC, x) });
  if (c.sizeBytes === 64 && c.transport === 'tcp')
    goals.push({ text: `≥ ${NATIVE_TO_ZEROMQJS_GOAL}× zeromq.js engine`, met: atLeast(toHarness, NATIVE_TO_ZEROMQJS_GOAL) });
  return goals;
}

/** A case's sides, ratios and goals from its rounds. */
export function judge(c: CaseSpec, rounds: Rounds, errors: string[]): OverheadCase {
  const thr = c.pattern === 'push-pull';
  const figure = thr ? 'perSec' : 'p50Us';
  const r = ratio(figure, rounds.bare, rounds.harness);
  const goal = thr
    ? { text: `throughput ≥ ${THROUGHPUT_GOAL * 100}% of bare`, met: r !== null && r.median >= THROUGHPUT_GOAL }
    : { text: `round-trip p50 ≤ ${LATENCY_GOAL * 100}% of bare`, met: r !== null && r.median <= LATENCY_GOAL };
  const nativeToC = rounds.nativeEngine && rounds.c ? ratio(figure, rounds.c, rounds.nativeEngine) : null;
  const nativeToHarness = rounds.nativeEngine ? ratio(figure, rounds.harness, rounds.nativeEngine) : null;
  return {
    ...c,
    bare: side(rounds.bare),
    floor: side(rounds.floor),
    harness: side(rounds.harness),
    nativeEngine: rounds.nativeEngine ? side(rounds.nativeEngine) : null,
    c: rounds.c ? side(rounds.c) : null,
    floorRatio: ratio(figure, rounds.bare, rounds.floor),
    harnessToFloor: ratio(figure, rounds.floor, rounds.harness),
    ratio: r,
    ratioP99: thr ? null : ratio('p99Us', rounds.bare, rounds.harness),
    goal,
    nativeToC,
    nativeToHarness,
    nativeGoals: rounds.nativeEngine ? nativeGoals(c, nativeToC, nativeToHarness) : [],
    errors,
  };
}
