import { pairsOf, spread, type Spread } from '../spread.js';

/**
 * The pure part of bench/ab.ts: a build (the candidate) against another (the base) on the same
 * scenario, run in alternation; per figure, the ratios candidate / base of the rounds and
 * whether they say more than the noise of the machine.
 */

/** One run's figures, from its result.json (totals); null when the run had none (no latency recorded). */
export interface AbFigures {
  /** totals.throughput.msgsPerSec */
  throughput: number | null;
  /** totals.latency.p50 and .p99, µs */
  p50: number | null;
  p99: number | null;
}

export type FigureName = keyof AbFigures;
export const FIGURES: readonly FigureName[] = ['throughput', 'p50', 'p99'];
/** Throughput: a higher candidate is better; latency: a lower one. */
export const HIGHER_IS_BETTER: Readonly<Record<FigureName, boolean>> = { throughput: true, p50: false, p99: false };

/**
 * The noise rule. A change of a figure is "within noise" when either
 * - the range of the per-round ratios candidate / base includes 1 (some round went each way, or
 *   one round was even), or
 * - the median ratio is within ± the base's own spread of 1: |median − 1| ≤ (max − min) / median
 *   of the base's figures over the same rounds (how far the same build moved from round to round).
 * Otherwise the candidate is better or worse, by the figure's direction. Fewer than two rounds
 * give no spread to judge by: "too few rounds".
 */
export const NOISE_RULE =
  "within noise: the range of the per-round ratios candidate / base includes 1, or the median ratio differs from 1 by no more than the base's own spread ((max − min) / median of the base's figure over the same rounds); otherwise better or worse (throughput: higher is better; p50, p99: lower is better). Fewer than 2 completed rounds: too few rounds.";

export type AbVerdict = 'within noise' | 'better' | 'worse' | 'too few rounds';

export interface FigureComparison {
  figure: FigureName;
  /** candidate / base per completed round, in the order run */
  ratios: number[];
  /** median and range of `ratios` */
  ratio: Spread;
  /** the base's figure over the same rounds: median and range */
  base: Spread;
  /** the candidate's figure over the same rounds */
  candidate: Spread;
  /** (max − min) / median of the base's figure: its relative spread (0 for one round) */
  baseSpread: number;
  verdict: AbVerdict;
}

/** The base's relative spread, 0 when it cannot be computed (no round or a zero median). */
export function relativeSpread(s: Spread): number {
  return s.median > 0 ? (s.max - s.min) / s.median : 0;
}

/** The verdict of NOISE_RULE on the ratios and the base's relative spread. */
export function noiseVerdict(ratio: Spread, baseSpread: number, rounds: number, higherIsBetter: boolean): AbVerdict {
  if (rounds < 2) return 'too few rounds';
  if (ratio.min <= 1 && ratio.max >= 1) return 'within noise';
  if (Math.abs(ratio.median - 1) <= baseSpread) return 'within noise';
  return ratio.median > 1 === higherIsBetter ? 'better' : 'worse';
}

/**
 * One figure of a scenario: base[i] and candidate[i] are round i's runs (null when that run
 * failed or had no such figure). Null when no round has both.
 */
export function compareFigure(
  figure: FigureName,
  base: readonly (number | null)[],
  candidate: readonly (number | null)[],
): FigureComparison | null {
  const pairs = pairsOf(base, candidate);
  if (pairs.length === 0) return null;
  const ratios = pairs.map(([b, c]) => c / b);
  const ratio = spread(ratios);
  const baseFigures = spread(pairs.map(([b]) => b));
  const baseSpread = relativeSpread(baseFigures);
  return {
    figure,
    ratios,
    ratio,
    base: baseFigures,
    candidate: spread(pairs.map(([, c]) => c)),
    baseSpread,
    verdict: noiseVerdict(ratio, baseSpread, pairs.length, HIGHER_IS_BETTER[figure]),
  };
}

/** Every figure of a scenario's rounds (a failed run is null and leaves its round out). */
export function compareRuns(
  base: readonly (AbFigures | null)[],
  candidate: readonly (AbFigures | null)[],
): Record<FigureName, FigureComparison | null> {
  const of = (runs: readonly (AbFigures | null)[], f: FigureName) => runs.map((r) => r?.[f] ?? null);
  return {
    throughput: compareFigure('throughput', of(base, 'throughput'), of(candidate, 'throughput')),
    p50: compareFigure('p50', of(base, 'p50'), of(candidate, 'p50')),
    p99: compareFigure('p99', of(base, 'p99'), of(candidate, 'p99')),
  };
}
