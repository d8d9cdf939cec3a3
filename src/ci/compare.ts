import { formatPercent } from '../core/format.js';
import { DEFAULT_ENGINE } from '../results/engines.js';
import { mannWhitneyU, minimumPValue } from './mann-whitney.js';
import {
  FIGURE_NAMES,
  type ChangeVerdict,
  type Comparison,
  type FigureChange,
  type FigureName,
  type FigureStats,
  type VariantOutcome,
} from './types.js';

/**
 * Current results against a baseline, variant by variant and figure by figure. A change counts
 * only when it is both large (beyond the tolerance) and, with repeats, unlikely to be noise
 * (Mann-Whitney p < alpha): benchmarks are noisy, and a false alarm in CI costs more than a late one.
 */

export interface CompareOptions {
  /** significance level, e.g. 0.05 */
  alpha: number;
  /** changes within ±tolerancePct of the baseline median are noise by definition */
  tolerancePct: number;
}

type Side = Pick<VariantOutcome, 'name' | 'figures' | 'engines'> & Partial<Pick<VariantOutcome, 'transport' | 'transports'>>;

type Judgement = Pick<FigureChange, 'changePct' | 'pValue' | 'method' | 'verdict' | 'reason'>;

export function compareVariants(baseline: readonly Side[], current: readonly Side[], o: CompareOptions): Comparison {
  const currentByName = new Map<string, Side>();
  for (const v of current) if (!currentByName.has(v.name)) currentByName.set(v.name, v);
  const baselineNames = new Set(baseline.map((v) => v.name));
  const changes: FigureChange[] = [];
  // A Set keeps the first-seen order and says each note once.
  const notes = new Set<string>();
  const seen = new Set<string>();
  for (const base of baseline) {
    const cur = currentByName.get(base.name);
    if (!cur || seen.has(base.name)) continue;
    seen.add(base.name);
    const engines = enginesNoteOf(base, cur);
    if (engines !== undefined) notes.add(engines);
    const transports = transportsNoteOf(base, cur);
    if (transports !== undefined) notes.add(transports);
    for (const figure of FIGURE_NAMES) {
      const b = base.figures[figure];
      const c = cur.figures[figure];
      const judged = judge(figure, b, c, o);
      changes.push({ variant: base.name, figure, baseline: b, current: c, ...judged });
      for (const note of notesFor(judged, b, c, o)) notes.add(note);
    }
  }
  return {
    alpha: o.alpha,
    tolerancePct: o.tolerancePct,
    changes,
    onlyInBaseline: unique(baseline.map((v) => v.name).filter((n) => !currentByName.has(n))),
    onlyInCurrent: unique(current.map((v) => v.name).filter((n) => !baselineNames.has(n))),
    notes: [...notes],
  };
}

/**
 * A variant that ran over other transports than its baseline (run --transport, or an endpoint
 * given a transport of its own): its figures changed with them. Nothing for a baseline that
 * does not say (written before transports were recorded per variant).
 */
function transportsNoteOf(base: Side, cur: Side): string | undefined {
  if (base.transport === undefined || cur.transport === undefined || base.transport === '' || cur.transport === '') return undefined;
  const text = (s: Side) => `${s.transport!}${s.transports === undefined ? '' : ` (${s.transports})`}`;
  if (text(base) === text(cur)) return undefined;
  return `${base.name} ran over other transports than the baseline: ${text(base)} in the baseline, ${text(cur)} now`;
}

/**
 * Which engines a variant ran on, when a group ran on one other than zeromq.js on either side;
 * a change of engine says more about a change of figures than any test of significance.
 */
function enginesNoteOf(base: Side, cur: Side): string | undefined {
  if (base.engines === undefined && cur.engines === undefined) return undefined;
  if (base.engines === cur.engines) return `${base.name} ran on engines: ${cur.engines}`;
  const engines = (e: string | undefined) => e ?? `every group ${DEFAULT_ENGINE}`;
  return `${base.name} ran on other engines than the baseline: ${engines(base.engines)} in the baseline, ${engines(cur.engines)} now`;
}

const measured = (f: FigureStats) => f.values.filter((v): v is number => v !== null);
const unique = (names: string[]) => [...new Set(names)];

function judge(figure: FigureName, b: FigureStats, c: FigureStats, o: CompareOptions): Judgement {
  const bValues = measured(b);
  const cValues = measured(c);
  const repeats = bValues.length >= 2 && cValues.length >= 2;
  const method = repeats ? 'mann-whitney' : 'tolerance only';
  const pValue = repeats ? mannWhitneyU(cValues, bValues).pValue : null;
  const result = (verdict: ChangeVerdict, reason: string, changePct: number | null = null): Judgement => ({
    changePct,
    pValue,
    method,
    verdict,
    reason,
  });

  if (b.median === null || c.median === null) {
    const where = b.median === null && c.median === null ? 'in the baseline or now' : b.median === null ? 'in the baseline' : 'now';
    return result('not comparable', `not measured ${where}`);
  }
  if (b.median === 0) {
    if (c.median === 0) return result('unchanged', '0 in the baseline and now');
    // No relative change from 0; for loss any loss at all is news, so it needs no test.
    if (figure === 'loss_rate') return result('regression', `loss appeared: 0 → ${formatPercent(c.median)}`);
    return result('not comparable', 'the baseline is 0: no relative change');
  }

  const changePct = ((c.median - b.median) / b.median) * 100;
  const worse = b.better === 'higher' ? changePct < 0 : changePct > 0;
  const pct = formatChange(changePct);
  const tol = `±${o.tolerancePct}%`;
  if (Math.abs(changePct) <= o.tolerancePct) return result('unchanged', `${pct} (within ${tol})`, changePct);
  const direction: ChangeVerdict = worse ? 'regression' : 'improvement';
  if (pValue === null) return result(direction, `${pct} (beyond ${tol})`, changePct);
  if (pValue < o.alpha) return result(direction, `${pct} (beyond ${tol}), p = ${formatP(pValue)} < ${o.alpha}`, changePct);
  return result('unchanged', `${pct} beyond ${tol} but p = ${formatP(pValue)} ≥ ${o.alpha}: not significant`, changePct);
}

function notesFor(j: Judgement, b: FigureStats, c: FigureStats, o: CompareOptions): string[] {
  if (j.verdict === 'not comparable') return [];
  if (j.method === 'tolerance only') return [`no repeats: changes are judged by the tolerance alone (±${o.tolerancePct}%)`];
  const nb = measured(b).length;
  const nc = measured(c).length;
  const floor = minimumPValue(nb, nc);
  if (floor < o.alpha) return [];
  const needed = repeatsNeeded(nb, o.alpha);
  const advice = needed === null ? 'use more repeats' : `use --repeat ${needed} or more`;
  return [`with ${nb} and ${nc} runs, p cannot go below ${formatP(floor)}: at alpha ${o.alpha} no change can be significant; ${advice}`];
}

/** Repeats the current run needs for p to be able to go below alpha against this baseline (the baseline is fixed). */
function repeatsNeeded(baselineRuns: number, alpha: number): number | null {
  for (let r = 2; r <= 1000; r++) if (minimumPValue(baselineRuns, r) < alpha) return r;
  return null;
}

/** "+3.2%", "-23.1%"; a change that rounds to zero reads "+0.0%", not "-0.0%". */
function formatChange(pct: number): string {
  const text = pct.toFixed(1);
  return Number(text) < 0 ? `${text}%` : `+${text.replace('-', '')}%`;
}

/** Three decimals, as p-values are usually read; tiny ones in exponent form rather than "0.000". */
function formatP(p: number): string {
  return p >= 0.0005 ? p.toFixed(3) : p.toExponential(1);
}
