/**
 * Loss, duplicate and reorder accounting from the sequence numbers in the data header.
 *
 * A stream is (sourceId, stream); its seqs start at 0 and go up by 1 at the sender. The receiver
 * learns the sender's last seq only at the end (finish()).
 *
 * - `exclusive`: this receiver should get every message of the stream (pub→sub, single push→pull),
 *   so every gap is loss unless a late message fills it.
 * - `shared`: this receiver gets only a share (push load-balancing over several pulls); gaps are
 *   normal, so only counts are kept and loss is left to the group-level aggregator.
 */
import type { LossBreakdown } from '../core/types.js';

export type TrackerMode = 'exclusive' | 'shared';

export interface StreamTally {
  sourceId: number;
  stream: number;
  /** every message that arrived: duplicates and unexpected ones included */
  received: number;
  /** exclusive: a seq that had already arrived; shared: always 0 (indistinguishable from reorder) */
  duplicates: number;
  /** exclusive: arrived after a higher seq and filled a gap; shared: seq not above the highest seen (duplicates too) */
  reordered: number;
  /** exclusive: distinct seqs above the sender's last seq (should not happen); shared: always 0 */
  unexpected: number;
  /** -1 if nothing arrived */
  highestSeq: number;
  /** null in shared mode */
  lost: LossBreakdown | null;
}

export interface StreamId {
  sourceId: number;
  stream: number;
}

export function totalLost(l: LossBreakdown): number {
  return l.head + l.midstream + l.tail;
}

/** stream is a u16 in the header, sourceId a u32: the key stays below 2^48, an exact double. */
function keyOf(sourceId: number, stream: number): number {
  return sourceId * 65536 + stream;
}

/** Per-stream state; one shape for both modes so the hot path stays monomorphic. */
class StreamState {
  received = 0;
  duplicates = 0;
  reordered = 0;
  /** 1 + highest seq seen (0 when nothing arrived) */
  next = 0;
  /** exclusive mode: seqs currently missing below `next` (gaps not yet filled) */
  missing = 0;
  /**
   * Exclusive mode only: missing seqs as sorted, disjoint half-open ranges, flattened as
   * [start0, end0, start1, end1, ...] so there is no object per gap. New gaps are always above
   * every existing one (they start at `next`), so they are pushed at the end.
   */
  readonly gaps: number[] = [];

  constructor(
    readonly sourceId: number,
    readonly stream: number,
  ) {}
}

/** Index (in pairs) of the last gap whose start is <= seq, or -1. */
function findGap(gaps: number[], seq: number): number {
  let lo = 0;
  let hi = (gaps.length >> 1) - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (gaps[mid * 2]! <= seq) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

function recordExclusive(st: StreamState, seq: number): void {
  st.received++;
  const next = st.next;
  if (seq === next) {
    st.next = next + 1;
    return;
  }
  if (seq > next) {
    st.gaps.push(next, seq);
    st.missing += seq - next;
    st.next = seq + 1;
    return;
  }
  const gaps = st.gaps;
  const g = findGap(gaps, seq);
  if (g < 0 || seq >= gaps[g * 2 + 1]!) {
    st.duplicates++;
    return;
  }
  st.reordered++;
  st.missing--;
  // Binary search is O(log gaps); splice moves the tail of the array, but late messages usually
  // fill recent gaps near the end, so the move is short in practice.
  const i = g * 2;
  const start = gaps[i]!;
  const end = gaps[i + 1]!;
  if (start === seq && end === seq + 1) gaps.splice(i, 2);
  else if (start === seq) gaps[i] = seq + 1;
  else if (end === seq + 1) gaps[i + 1] = seq;
  else gaps.splice(i + 1, 0, seq, seq + 1); // [start, seq) and [seq+1, end)
}

function recordShared(st: StreamState, seq: number): void {
  st.received++;
  // One ZeroMQ pipe keeps order, so a seq not above the highest is a duplicate or a reorder.
  // `<= highest` rather than `< highest` so a repeat of the highest is caught too.
  if (seq < st.next) st.reordered++;
  else st.next = seq + 1;
}

/**
 * Loss of an exclusive stream, given the sender's last seq.
 *
 * - head: missing seqs below the lowest seq that arrived (slow joiner). If nothing at or below
 *   lastSeq arrived, all lastSeq+1 messages count as head loss: the receiver never caught up.
 * - midstream: the other gaps.
 * - tail: seqs after the highest that arrived, up to lastSeq.
 * Gaps are clipped to [0, lastSeq]; distinct seqs above lastSeq are returned as `unexpected`.
 */
function exclusiveLoss(st: StreamState, lastSeq: number): { lost: LossBreakdown; unexpected: number } {
  const sent = Math.max(0, lastSeq + 1); // seqs 0..lastSeq
  if (st.next === 0) {
    // Nothing arrived: count it all as head loss (the receiver never caught up), not tail.
    return { lost: { head: sent, midstream: 0, tail: 0 }, unexpected: 0 };
  }
  const lost: LossBreakdown = { head: 0, midstream: 0, tail: Math.max(0, sent - st.next) };
  const gaps = st.gaps;
  let missingAbove = 0; // missing seqs in [sent, next), to derive how many distinct ones arrived there
  for (let i = 0; i < gaps.length; i += 2) {
    const start = gaps[i]!;
    const end = gaps[i + 1]!;
    // A gap starting at 0 means seq 0 never arrived: it ends at the lowest seq that did.
    const inside = Math.max(0, Math.min(end, sent) - start);
    if (start === 0) lost.head += inside;
    else lost.midstream += inside;
    missingAbove += Math.max(0, end - Math.max(start, sent));
  }
  const unexpected = Math.max(0, st.next - sent) - missingAbove;
  return { lost, unexpected };
}

export class SequenceTracker {
  private readonly byKey = new Map<number, StreamState>();
  // One-entry cache: receivers often see long runs from the same stream, skipping the Map lookup.
  private lastKey = -1;
  private last: StreamState | undefined;
  private readonly exclusive: boolean;

  constructor(readonly mode: TrackerMode) {
    this.exclusive = mode === 'exclusive';
  }

  /** Hot path: no allocation except the first time a stream or a gap is seen. */
  record(sourceId: number, stream: number, seq: number): void {
    const key = keyOf(sourceId, stream);
    let st: StreamState | undefined;
    if (key === this.lastKey) {
      st = this.last!;
    } else {
      st = this.byKey.get(key);
      if (st === undefined) {
        st = new StreamState(sourceId, stream);
        this.byKey.set(key, st);
      }
      this.lastKey = key;
      this.last = st;
    }
    if (this.exclusive) recordExclusive(st, seq);
    else recordShared(st, seq);
  }

  /**
   * Messages known to be missing so far: gaps below the highest seq seen of every stream
   * (exclusive mode; always 0 in shared mode). Tail loss is only known at the end.
   */
  knownMissing(): number {
    let n = 0;
    for (const st of this.byKey.values()) n += st.missing;
    return n;
  }

  /** Number of streams seen so far. */
  streams(): number {
    return this.byKey.size;
  }

  /**
   * One tally per stream seen or expected, sorted by (sourceId, stream). Does not change the
   * tracker, so it may be called again.
   *
   * `lastSeqOf` gives the sender's last seq (-1: it sent nothing). When it returns undefined the
   * sender's count is unknown and the highest seq seen stands in for it: no tail loss, nothing
   * unexpected. An expected stream never seen gets received 0 and, in exclusive mode, head loss of
   * everything its sender sent.
   */
  finish(lastSeqOf: (sourceId: number, stream: number) => number | undefined, expected: ReadonlyArray<StreamId> = []): StreamTally[] {
    const states = new Map(this.byKey);
    for (const e of expected) {
      const key = keyOf(e.sourceId, e.stream);
      if (!states.has(key)) states.set(key, new StreamState(e.sourceId, e.stream));
    }
    const keys = [...states.keys()].sort((a, b) => a - b);
    const out: StreamTally[] = [];
    for (const key of keys) {
      const st = states.get(key)!;
      const tally: StreamTally = {
        sourceId: st.sourceId,
        stream: st.stream,
        received: st.received,
        duplicates: st.duplicates,
        reordered: st.reordered,
        unexpected: 0,
        highestSeq: st.next - 1,
        lost: null,
      };
      if (this.exclusive) {
        const lastSeq = lastSeqOf(st.sourceId, st.stream) ?? st.next - 1;
        const { lost, unexpected } = exclusiveLoss(st, lastSeq);
        tally.lost = lost;
        tally.unexpected = unexpected;
      }
      out.push(tally);
    }
    return out;
  }
}
