import { countsByUpperBound, decodeHistogram } from '../stats/histogram.js';
import { LATENCY_BUCKETS_S } from './metric-catalogue.js';

/** A histogram as Prometheus and OTLP carry it: counts per bucket of LATENCY_BUCKETS_S (+ one past the last), in seconds. */
export interface Buckets {
  counts: number[];
  /** seconds */
  sum: number;
  count: number;
}

const BOUNDS_NS = LATENCY_BUCKETS_S.map((s) => Math.round(s * 1e9));
const EMPTY: Buckets = { counts: new Array<number>(LATENCY_BUCKETS_S.length + 1).fill(0), sum: 0, count: 0 };

/**
 * An encoded HDR histogram (ns) in fixed buckets. Decoding costs a few ms, so the last answer
 * per key is kept: a scrape between two samples, or of a finished run, decodes nothing.
 */
export class BucketCache {
  private readonly last = new Map<string, { encoded: string; buckets: Buckets }>();

  of(key: string, encoded: string): Buckets {
    if (encoded === '') return EMPTY;
    const kept = this.last.get(key);
    if (kept?.encoded === encoded) return kept.buckets;
    const h = decodeHistogram(encoded);
    const buckets = { counts: countsByUpperBound(h, BOUNDS_NS), sum: (h.mean * h.totalCount) / 1e9, count: h.totalCount };
    this.last.set(key, { encoded, buckets });
    return buckets;
  }
}
