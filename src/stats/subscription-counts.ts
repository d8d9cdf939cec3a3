import type { SubscriptionFigures } from '../core/types.js';

/** Prefixes named in the counts at most; more are counted in `subscribe` only. */
export const MAX_NAMED_PREFIXES = 256;

const SUBSCRIBE = 1;
const UNSUBSCRIBE = 0;

/**
 * The subscription messages an xpub socket reads: byte 1 and the prefix for a subscription,
 * byte 0 and the prefix for an unsubscription, anything else (an xsub may send any message
 * upstream) counted as other. Prefixes are read as UTF-8, as scenarios write them.
 */
export class SubscriptionCounts {
  private subscribe = 0;
  private unsubscribe = 0;
  private other = 0;
  private readonly prefixes = new Map<string, number>();

  record(frames: readonly Buffer[]): void {
    const first = frames[0];
    if (frames.length !== 1 || first === undefined || first.length === 0 || first[0]! > SUBSCRIBE) {
      this.other++;
      return;
    }
    if (first[0] === UNSUBSCRIBE) {
      this.unsubscribe++;
      return;
    }
    this.subscribe++;
    const prefix = first.toString('utf8', 1);
    const known = this.prefixes.get(prefix);
    if (known !== undefined) this.prefixes.set(prefix, known + 1);
    else if (this.prefixes.size < MAX_NAMED_PREFIXES) this.prefixes.set(prefix, 1);
  }

  report(): SubscriptionFigures {
    return { subscribe: this.subscribe, unsubscribe: this.unsubscribe, other: this.other, prefixes: Object.fromEntries(this.prefixes) };
  }
}

/** The counts of a group's sockets added up; undefined when none counted any. */
export function mergeSubscriptions(reports: readonly SubscriptionFigures[]): SubscriptionFigures | undefined {
  if (reports.length === 0) return undefined;
  const prefixes: Record<string, number> = {};
  for (const r of reports) {
    for (const [p, n] of Object.entries(r.prefixes)) {
      if (prefixes[p] !== undefined || Object.keys(prefixes).length < MAX_NAMED_PREFIXES) prefixes[p] = (prefixes[p] ?? 0) + n;
    }
  }
  const sum = (f: (r: SubscriptionFigures) => number) => reports.reduce((n, r) => n + f(r), 0);
  return { subscribe: sum((r) => r.subscribe), unsubscribe: sum((r) => r.unsubscribe), other: sum((r) => r.other), prefixes };
}
