import { errorFunction, wilcoxonRankSum } from 'simple-statistics';

/**
 * Two-sided Mann-Whitney U test (Wilcoxon rank-sum), as R's wilcox.test computes it: the exact
 * distribution of U for small tie-free samples, else the normal approximation with tie and
 * continuity corrections. Benchmarks repeat a handful of times, so the exact path is the usual one.
 */

export interface MannWhitneyResult {
  /** U of the first sample (R's W): how many (a, b) pairs have a > b, ties counting ½ */
  u: number;
  pValue: number;
  method: 'exact' | 'normal';
}

/** Beyond this the exact counts get slow to build and the normal approximation is good. */
const EXACT_MAX_PAIRS = 400;

export function mannWhitneyU(a: readonly number[], b: readonly number[]): MannWhitneyResult {
  if (a.length === 0 || b.length === 0)
    throw new Error(`Mann-Whitney U needs two non-empty samples (got ${a.length} and ${b.length} values)`);
  if (![...a, ...b].every(Number.isFinite)) throw new Error('Mann-Whitney U needs finite numbers');
  const n1 = a.length;
  const n2 = b.length;
  const u = wilcoxonRankSum(a, b) - (n1 * (n1 + 1)) / 2;
  const ties = tieSizes([...a, ...b]);
  if (ties.length === 0 && n1 * n2 <= EXACT_MAX_PAIRS) return { u, pValue: exactPValue(u, n1, n2), method: 'exact' };
  return { u, pValue: normalPValue(u, n1, n2, ties), method: 'normal' };
}

/** The smallest two-sided p the exact test can give: both extreme arrangements, 2 / C(n1+n2, n1). */
export function minimumPValue(n1: number, n2: number): number {
  return Math.min(1, 2 / binomial(n1 + n2, n1));
}

function binomial(n: number, k: number): number {
  let c = 1;
  for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
  return Math.round(c);
}

/** Sizes of the groups of equal values (only groups of 2 or more). */
function tieSizes(values: readonly number[]): number[] {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.values()].filter((c) => c > 1);
}

/** counts[u] = how many of the C(n1+n2, n1) rank arrangements give U = u. */
function uCounts(n1: number, n2: number): number[] {
  // ways[k][s]: k-subsets of the ranks seen so far whose ranks (from 0) sum to s; U = that sum − k(k−1)/2.
  const n = n1 + n2;
  const maxSum = n1 * n - (n1 * (n1 + 1)) / 2;
  const ways = Array.from({ length: n1 + 1 }, () => new Array<number>(maxSum + 1).fill(0));
  ways[0]![0] = 1;
  for (let rank = 0; rank < n; rank++) {
    for (let k = Math.min(rank + 1, n1); k >= 1; k--) {
      const row = ways[k]!;
      const prev = ways[k - 1]!;
      for (let s = maxSum; s >= rank; s--) row[s]! += prev[s - rank]!;
    }
  }
  const offset = (n1 * (n1 - 1)) / 2;
  return ways[n1]!.slice(offset, offset + n1 * n2 + 1);
}

function exactPValue(u: number, n1: number, n2: number): number {
  const counts = uCounts(n1, n2);
  const total = counts.reduce((sum, c) => sum + c, 0);
  // U is symmetric about n1·n2/2: double the tail u lies in (R: pwilcox on the nearer side).
  const lo = u <= (n1 * n2) / 2 ? 0 : u;
  const hi = u <= (n1 * n2) / 2 ? u : n1 * n2;
  let tail = 0;
  for (let i = lo; i <= hi; i++) tail += counts[i]!;
  return Math.min(1, (2 * tail) / total);
}

function normalPValue(u: number, n1: number, n2: number, ties: readonly number[]): number {
  const n = n1 + n2;
  const tieTerm = ties.reduce((sum, t) => sum + t ** 3 - t, 0) / (n * (n - 1));
  const sigma = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieTerm));
  // Every value equal: nothing tells the samples apart.
  if (sigma === 0) return 1;
  const diff = u - (n1 * n2) / 2;
  const z = (diff - Math.sign(diff) * 0.5) / sigma;
  // Two-sided: P(|Z| ≥ |z|) = erfc(|z|/√2).
  return Math.min(1, 1 - errorFunction(Math.abs(z) / Math.SQRT2));
}
