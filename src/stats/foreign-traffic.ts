import type { ContentFigures, FeedSequence } from '../core/types.js';
import { createLatencyHistogram, encodeHistogram, mergeEncoded, recordNs, summarizeLatency } from './histogram.js';

/**
 * What a socket saw of messages that do not carry zmq-bench's header (from a service it did
 * not start): their sizes, the time between arrivals, check mismatches with a few examples,
 * and, when the feed carries its own sequence number, its gaps. Measured phase only.
 */

/** In a role report, per socket; in result.json, merged per group (`content`). */
export interface ContentReport {
  /** messages without zmq-bench's header */
  messages: number;
  bytes: { min: number; max: number; total: number };
  /** ns between consecutive arrivals, encoded HDR histogram */
  interArrivalHistogram: string;
  /** messages the group's check looked at, and those that failed it */
  checked: number;
  mismatched: number;
  /** the first mismatching frames, described for people */
  mismatchExamples: string[];
  sequence: FeedSequence | null;
}

export class ForeignTraffic {
  private messages = 0;
  private minBytes = Number.POSITIVE_INFINITY;
  private maxBytes = 0;
  private totalBytes = 0;
  private lastArrivalNs = -1n;
  private readonly interArrival = createLatencyHistogram();
  private checked = 0;
  private mismatched = 0;
  private readonly examples: string[] = [];
  private readonly sequence: FeedSequence | null;
  private highest = -1;

  constructor(
    private readonly maxExamples: number,
    withSequence: boolean,
  ) {
    this.sequence = withSequence ? { first: -1, last: -1, missing: 0, gaps: 0, backwards: 0, unreadable: 0 } : null;
  }

  /** One message in the measured phase: its size in bytes (all frames) and arrival time. */
  arrived(bytes: number, nowNs: bigint): void {
    this.messages++;
    if (bytes < this.minBytes) this.minBytes = bytes;
    if (bytes > this.maxBytes) this.maxBytes = bytes;
    this.totalBytes += bytes;
    if (this.lastArrivalNs >= 0n) recordNs(this.interArrival, Number(nowNs - this.lastArrivalNs));
    this.lastArrivalNs = nowNs;
  }

  /** The result of the group's check; `describe` is only called for the first few mismatches. */
  checkedOne(passed: boolean, describe: () => string): void {
    this.checked++;
    if (passed) return;
    this.mismatched++;
    if (this.examples.length < this.maxExamples) this.examples.push(describe());
  }

  /** The feed's own sequence number of a message, undefined when it could not be read. */
  sequenceNumber(seq: number | undefined): void {
    const s = this.sequence;
    if (s === null) return;
    if (seq === undefined) {
      s.unreadable++;
      return;
    }
    if (s.first < 0) s.first = seq;
    else if (seq > this.highest + 1) {
      s.missing += seq - this.highest - 1;
      s.gaps++;
    } else if (seq <= this.highest) s.backwards++;
    if (seq > this.highest) this.highest = seq;
    s.last = this.highest;
  }

  /** null when no foreign message arrived and nothing was checked. */
  report(): ContentReport | null {
    if (this.messages === 0 && this.checked === 0) return null;
    return {
      messages: this.messages,
      bytes: { min: this.messages === 0 ? 0 : this.minBytes, max: this.maxBytes, total: this.totalBytes },
      interArrivalHistogram: encodeHistogram(this.interArrival),
      checked: this.checked,
      mismatched: this.mismatched,
      mismatchExamples: [...this.examples],
      sequence: this.sequence ? { ...this.sequence } : null,
    };
  }
}

/** A group's figures from its sockets' reports; undefined when none saw foreign traffic. */
export function mergeContent(reports: readonly ContentReport[], maxExamples: number): ContentFigures | undefined {
  if (reports.length === 0) return undefined;
  const messages = reports.reduce((n, r) => n + r.messages, 0);
  const total = reports.reduce((n, r) => n + r.bytes.total, 0);
  const withMessages = reports.filter((r) => r.messages > 0);
  const histogram = mergeEncoded(reports.map((r) => r.interArrivalHistogram));
  const sequences = reports.flatMap((r) => (r.sequence ? [r.sequence] : []));
  const sum = (f: (s: FeedSequence) => number) => sequences.reduce((n, s) => n + f(s), 0);
  const read = sequences.filter((s) => s.first >= 0);
  return {
    messages,
    bytes: {
      min: withMessages.length === 0 ? 0 : Math.min(...withMessages.map((r) => r.bytes.min)),
      mean: messages === 0 ? 0 : total / messages,
      max: Math.max(0, ...reports.map((r) => r.bytes.max)),
      total,
    },
    interArrival: summarizeLatency(histogram),
    interArrivalHistogram: encodeHistogram(histogram),
    checked: reports.reduce((n, r) => n + r.checked, 0),
    mismatched: reports.reduce((n, r) => n + r.mismatched, 0),
    mismatchExamples: reports.flatMap((r) => r.mismatchExamples).slice(0, maxExamples),
    sequence:
      sequences.length === 0
        ? null
        : {
            first: read.length === 0 ? -1 : Math.min(...read.map((s) => s.first)),
            last: read.length === 0 ? -1 : Math.max(...read.map((s) => s.last)),
            missing: sum((s) => s.missing),
            gaps: sum((s) => s.gaps),
            backwards: sum((s) => s.backwards),
            unreadable: sum((s) => s.unreadable),
          },
  };
}
