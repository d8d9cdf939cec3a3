import type { PrefixFigures } from '../core/types.js';

/**
 * Messages per subscription prefix at a sub socket (B8): a message counts under every prefix
 * its first frame starts with, so overlapping prefixes ("1" and "10") each get it; `unmatched`
 * counts messages matching none, which a working filter never lets through. `exact`: a dish's
 * groups, which match whole names only ("temp" does not take "temperature").
 */
export class PrefixCounts {
  private readonly prefixes: Buffer[];
  private readonly counts: number[];
  private unmatched = 0;

  constructor(
    private readonly texts: readonly string[],
    private readonly exact = false,
  ) {
    this.prefixes = texts.map((t) => Buffer.from(t));
    this.counts = texts.map(() => 0);
  }

  record(firstFrame: Buffer): void {
    let matched = false;
    for (let i = 0; i < this.prefixes.length; i++) {
      const p = this.prefixes[i]!;
      const fits = this.exact ? firstFrame.length === p.length : firstFrame.length >= p.length;
      if (fits && firstFrame.compare(p, 0, p.length, 0, p.length) === 0) {
        this.counts[i]!++;
        matched = true;
      }
    }
    if (!matched) this.unmatched++;
  }

  report(): PrefixReport {
    return { counts: Object.fromEntries(this.texts.map((t, i) => [t, this.counts[i]!])), unmatched: this.unmatched };
  }
}

export type PrefixReport = PrefixFigures;

export function mergePrefixes(reports: readonly PrefixReport[]): PrefixReport | undefined {
  if (reports.length === 0) return undefined;
  const counts: Record<string, number> = {};
  for (const r of reports) for (const [p, n] of Object.entries(r.counts)) counts[p] = (counts[p] ?? 0) + n;
  return { counts, unmatched: reports.reduce((n, r) => n + r.unmatched, 0) };
}
