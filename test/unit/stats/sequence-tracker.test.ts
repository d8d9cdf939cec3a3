import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LossBreakdown } from '../../../src/core/types.js';
import { SequenceTracker, totalLost, type StreamTally } from '../../../src/stats/sequence-tracker.js';
import { mulberry32 } from '../../../src/core/prng.js';

/** One exclusive stream (source 1, stream 0) fed `seqs`, finished with `lastSeq`. */
function one(seqs: number[], lastSeq: number | undefined): StreamTally {
  const t = new SequenceTracker('exclusive');
  for (const s of seqs) t.record(1, 0, s);
  const tallies = t.finish(() => lastSeq, [{ sourceId: 1, stream: 0 }]);
  assert.equal(tallies.length, 1);
  return tallies[0]!;
}

function loss(head: number, midstream: number, tail: number): LossBreakdown {
  return { head, midstream, tail };
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);

test('all in order', () => {
  assert.deepEqual(one(range(0, 10), 9), {
    sourceId: 1,
    stream: 0,
    received: 10,
    duplicates: 0,
    reordered: 0,
    unexpected: 0,
    highestSeq: 9,
    lost: loss(0, 0, 0),
  });
});

test('gap in the middle is midstream loss', () => {
  const t = one([0, 1, 2, 5, 6, 7], 7);
  assert.equal(t.received, 6);
  assert.deepEqual(t.lost, loss(0, 2, 0));
  assert.equal(t.reordered, 0);
});

test('head loss (slow joiner)', () => {
  const t = one(range(3, 10), 9);
  assert.deepEqual(t.lost, loss(3, 0, 0));
  assert.equal(t.highestSeq, 9);
});

test('tail loss', () => {
  const t = one(range(0, 7), 9);
  assert.deepEqual(t.lost, loss(0, 0, 3));
  assert.equal(t.highestSeq, 6);
});

test('head, midstream and tail together', () => {
  const t = one([2, 3, 6, 7], 9);
  assert.deepEqual(t.lost, loss(2, 2, 2));
  assert.equal(totalLost(t.lost), 6);
});

test('nothing arrived: everything is head loss', () => {
  const t = one([], 9);
  assert.deepEqual(t, {
    sourceId: 1,
    stream: 0,
    received: 0,
    duplicates: 0,
    reordered: 0,
    unexpected: 0,
    highestSeq: -1,
    lost: loss(10, 0, 0),
  });
});

test('a stream that sent nothing and received nothing loses nothing', () => {
  assert.deepEqual(one([], -1).lost, loss(0, 0, 0));
});

test('duplicates are counted, received includes them', () => {
  const t = one([0, 1, 1, 2, 0, 2], 2);
  assert.equal(t.received, 6);
  assert.equal(t.duplicates, 3);
  assert.equal(t.reordered, 0);
  assert.deepEqual(t.lost, loss(0, 0, 0));
});

test('a late message filling a gap is reordered, not lost', () => {
  const t = one([0, 2, 1, 3], 3);
  assert.equal(t.reordered, 1);
  assert.equal(t.duplicates, 0);
  assert.deepEqual(t.lost, loss(0, 0, 0));
  // arriving twice late: the second one is a duplicate
  const d = one([0, 2, 1, 1, 3], 3);
  assert.equal(d.reordered, 1);
  assert.equal(d.duplicates, 1);
});

test('reorders that split a gap in the middle', () => {
  // gap [1,10) → 5 splits it → 3 splits again → 4 removes [4,5) → 1 trims [1,3) to [2,3)
  const t = one([0, 10, 5, 3, 4, 1, 5], 10);
  assert.equal(t.received, 7);
  assert.equal(t.reordered, 4);
  assert.equal(t.duplicates, 1);
  // missing: 2, 6, 7, 8, 9
  assert.deepEqual(t.lost, loss(0, 5, 0));
});

test('a reorder inside the head gap splits it into head and midstream', () => {
  const t = one([5, 6, 2], 6);
  assert.equal(t.reordered, 1);
  // missing 0,1 (below the lowest arrived) and 3,4
  assert.deepEqual(t.lost, loss(2, 2, 0));
  // seq 0 arriving late turns the rest of the head gap into midstream
  const z = one([5, 0], 5);
  assert.deepEqual(z.lost, loss(0, 4, 0));
});

test('seqs above the sender last seq are unexpected', () => {
  const t = one([0, 1, 2, 3, 4, 5, 7, 7], 4);
  assert.equal(t.received, 8);
  assert.equal(t.unexpected, 2); // 5 and 7, distinct
  assert.equal(t.duplicates, 1);
  assert.deepEqual(t.lost, loss(0, 0, 0));
  // only unexpected ones arrived: the real stream is all head loss
  const u = one([12, 13], 9);
  assert.deepEqual(u.lost, loss(10, 0, 0));
  assert.equal(u.unexpected, 2);
});

test('unknown last seq: the highest seen stands in, so no tail loss', () => {
  const t = one([0, 1, 3], undefined);
  assert.deepEqual(t.lost, loss(0, 1, 0));
  assert.equal(t.unexpected, 0);
});

test('streams and sources are kept apart and sorted', () => {
  const t = new SequenceTracker('exclusive');
  const big = 0xffffffff; // largest u32 source id with the largest u16 stream
  for (let i = 0; i < 5; i++) {
    t.record(2, 0, i);
    if (i !== 2) t.record(1, 1, i);
    t.record(1, 0, i + 1); // seq 0 missing
    t.record(big, 0xffff, 4 - i); // reversed
  }
  assert.equal(t.streams(), 4);
  const last = new Map([
    ['1/0', 5],
    ['1/1', 6],
    ['2/0', 4],
    [`${big}/65535`, 4],
  ]);
  const tallies = t.finish((s, st) => last.get(`${s}/${st}`), []);
  assert.deepEqual(
    tallies.map((x) => [x.sourceId, x.stream, x.received, x.reordered, x.lost]),
    [
      [1, 0, 5, 0, loss(1, 0, 0)],
      [1, 1, 4, 0, loss(0, 1, 2)],
      [2, 0, 5, 0, loss(0, 0, 0)],
      [big, 0xffff, 5, 4, loss(0, 0, 0)],
    ],
  );
  // finish does not change the tracker
  assert.deepEqual(
    t.finish((s, st) => last.get(`${s}/${st}`), []),
    tallies,
  );
});

test('expected stream never seen gets a tally with all its messages lost', () => {
  const t = new SequenceTracker('exclusive');
  t.record(1, 0, 0);
  const tallies = t.finish(
    (s) => (s === 3 ? 99 : 0),
    [
      { sourceId: 1, stream: 0 },
      { sourceId: 3, stream: 2 },
    ],
  );
  assert.equal(tallies.length, 2);
  assert.deepEqual(tallies[1], {
    sourceId: 3,
    stream: 2,
    received: 0,
    duplicates: 0,
    reordered: 0,
    unexpected: 0,
    highestSeq: -1,
    lost: loss(100, 0, 0),
  });
});

test('shared mode counts received, highest and reorders, and no loss', () => {
  const t = new SequenceTracker('shared');
  // this pull got every third message, one of them late, one twice
  for (const s of [0, 3, 9, 6, 12, 12]) t.record(7, 0, s);
  const tallies = t.finish(
    () => 20,
    [
      { sourceId: 7, stream: 0 },
      { sourceId: 8, stream: 0 },
    ],
  );
  assert.deepEqual(tallies, [
    { sourceId: 7, stream: 0, received: 6, duplicates: 0, reordered: 2, unexpected: 0, highestSeq: 12, lost: null },
    { sourceId: 8, stream: 0, received: 0, duplicates: 0, reordered: 0, unexpected: 0, highestSeq: -1, lost: null },
  ]);
});

// ---- property-style check against a trivially correct Set-based reference ----

function reference(arrivals: number[], lastSeq: number): Omit<StreamTally, 'sourceId' | 'stream'> {
  const seen = new Set<number>();
  let duplicates = 0;
  let reordered = 0;
  let highest = -1;
  for (const s of arrivals) {
    if (seen.has(s)) duplicates++;
    else if (s < highest) reordered++;
    seen.add(s);
    highest = Math.max(highest, s);
  }
  const lowest = seen.size === 0 ? Infinity : Math.min(...seen);
  const lost = loss(0, 0, 0);
  for (let s = 0; s <= lastSeq; s++) {
    if (seen.has(s)) continue;
    if (s < lowest) lost.head++;
    else if (s > highest) lost.tail++;
    else lost.midstream++;
  }
  const unexpected = [...seen].filter((s) => s > lastSeq).length;
  return { received: arrivals.length, duplicates, reordered, unexpected, highestSeq: highest, lost };
}

/** 0..n-1 with a dropped head/tail, random drops, duplicates, local and far reorders. */
function scramble(rand: () => number, n: number): number[] {
  const headDrop = rand() < 0.5 ? Math.floor(rand() * n * 0.1) : 0;
  const tailDrop = rand() < 0.5 ? Math.floor(rand() * n * 0.1) : 0;
  const dropRate = rand() * 0.2;
  const out: number[] = [];
  for (let s = headDrop; s < n - tailDrop; s++) {
    if (rand() < dropRate) continue;
    out.push(s);
    if (rand() < 0.03) out.push(s); // duplicate
  }
  for (let i = 0; i < out.length; i++) {
    const r = rand();
    const j =
      r < 0.1
        ? Math.min(out.length - 1, i + Math.floor(rand() * 8)) // local swap
        : r < 0.12
          ? Math.floor(rand() * out.length) // far swap
          : i;
    const tmp = out[i]!;
    out[i] = out[j]!;
    out[j] = tmp;
  }
  return out;
}

test('property: matches a Set-based reference for random drops, duplicates and reorders', () => {
  for (const seed of [1, 2, 3, 7, 42, 1234, 99999, 31337]) {
    const rand = mulberry32(seed);
    const exclusive = new SequenceTracker('exclusive');
    const shared = new SequenceTracker('shared');
    const streams: Array<{ sourceId: number; stream: number; arrivals: number[]; lastSeq: number }> = [];
    for (let k = 0; k < 4; k++) {
      const n = 1 + Math.floor(rand() * 3000);
      // sometimes the sender claims fewer than it sent, to exercise `unexpected`
      const lastSeq = rand() < 0.2 ? Math.floor(rand() * n) - 1 : n - 1;
      streams.push({ sourceId: 10 + (k >> 1), stream: k & 1, arrivals: scramble(rand, n), lastSeq });
    }
    // interleave the streams randomly, keeping each stream's own order
    const cursors = streams.map(() => 0);
    let left = streams.reduce((a, s) => a + s.arrivals.length, 0);
    while (left > 0) {
      const k = Math.floor(rand() * streams.length);
      const st = streams[k]!;
      if (cursors[k]! >= st.arrivals.length) continue;
      const seq = st.arrivals[cursors[k]!++]!;
      exclusive.record(st.sourceId, st.stream, seq);
      shared.record(st.sourceId, st.stream, seq);
      left--;
    }
    const lastSeqOf = (sourceId: number, stream: number): number | undefined =>
      streams.find((s) => s.sourceId === sourceId && s.stream === stream)?.lastSeq;
    const ex = exclusive.finish(lastSeqOf, streams);
    const sh = shared.finish(lastSeqOf, streams);
    assert.equal(ex.length, streams.length);
    for (const st of streams) {
      const ref = reference(st.arrivals, st.lastSeq);
      const got = ex.find((t) => t.sourceId === st.sourceId && t.stream === st.stream)!;
      assert.deepEqual(got, { sourceId: st.sourceId, stream: st.stream, ...ref }, `seed ${seed} stream ${st.sourceId}/${st.stream}`);
      // invariant: lost + distinct received at or below lastSeq = sent
      const distinctInRange = new Set(st.arrivals.filter((s) => s <= st.lastSeq)).size;
      assert.equal(totalLost(got.lost!) + distinctInRange, st.lastSeq + 1);

      // shared mode: any seq not above the highest seen so far = a duplicate or a reorder
      const gotShared = sh.find((t) => t.sourceId === st.sourceId && t.stream === st.stream)!;
      assert.equal(gotShared.received, ref.received);
      assert.equal(gotShared.reordered, ref.duplicates + ref.reordered);
      assert.equal(gotShared.highestSeq, ref.highestSeq);
      assert.equal(gotShared.lost, null);
    }
  }
});

test('knownMissing follows gaps as they open and fill', () => {
  {
    const t = new SequenceTracker('exclusive');
    assert.equal(t.knownMissing(), 0);
    for (const s of [0, 1, 4]) t.record(1, 0, s); // 2, 3 missing
    assert.equal(t.knownMissing(), 2);
    t.record(2, 0, 3); // another stream: 0..2 missing
    assert.equal(t.knownMissing(), 5);
    t.record(1, 0, 2); // a late one fills a gap
    t.record(1, 0, 2); // a duplicate changes nothing
    assert.equal(t.knownMissing(), 4);
    const shared = new SequenceTracker('shared');
    shared.record(1, 0, 5);
    assert.equal(shared.knownMissing(), 0);
  }
});
