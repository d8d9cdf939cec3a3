import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FeedSequence } from '../../../src/core/types.js';
import { ForeignTraffic, mergeContent, type ContentReport } from '../../../src/stats/foreign-traffic.js';
import { decodeHistogram, summarizeLatency } from '../../../src/stats/histogram.js';
import { mergePrefixes, PrefixCounts } from '../../../src/stats/prefix-counts.js';

/** The report, failing the test when there is none. */
function reportOf(t: ForeignTraffic): ContentReport {
  const r = t.report();
  assert.ok(r, 'expected a report');
  return r;
}

/** A traffic with a sequence, fed `seqs` (undefined: unreadable). */
function sequenced(seqs: Array<number | undefined>): FeedSequence | null {
  const t = new ForeignTraffic(3, true);
  for (const s of seqs) {
    t.arrived(1, 0n);
    t.sequenceNumber(s);
  }
  return reportOf(t).sequence;
}

const seq = (first: number, last: number, missing: number, gaps: number, backwards: number, unreadable: number): FeedSequence => ({
  first,
  last,
  missing,
  gaps,
  backwards,
  unreadable,
});

describe('ForeignTraffic: sizes and arrivals', () => {
  it('reports nothing when no message arrived and nothing was checked', () => {
    assert.equal(new ForeignTraffic(3, true).report(), null);
    const t = new ForeignTraffic(3, true);
    t.sequenceNumber(5);
    assert.equal(t.report(), null);
  });

  it('counts messages and their smallest, largest and total bytes', () => {
    const t = new ForeignTraffic(3, false);
    t.arrived(20, 1_000n);
    t.arrived(10, 2_000n);
    t.arrived(35, 3_500n);
    const r = reportOf(t);
    assert.equal(r.messages, 3);
    assert.deepEqual(r.bytes, { min: 10, max: 35, total: 65 });
    assert.equal(r.sequence, null);
    assert.deepEqual([r.checked, r.mismatched, r.mismatchExamples], [0, 0, []]);
  });

  it('records the time between consecutive arrivals, not before the first', () => {
    const t = new ForeignTraffic(3, false);
    t.arrived(1, 0n);
    t.arrived(1, 1_000n);
    t.arrived(1, 2_500n);
    const h = decodeHistogram(reportOf(t).interArrivalHistogram);
    assert.deepEqual(summarizeLatency(h), { count: 2, mean: 1.25, p50: 1, p90: 1.5, p99: 1.5, p999: 1.5, max: 1.5, min: 1 });
  });

  it('a single message has no inter-arrival time', () => {
    const t = new ForeignTraffic(3, false);
    t.arrived(64, 5_000n);
    const r = reportOf(t);
    assert.deepEqual(r.bytes, { min: 64, max: 64, total: 64 });
    assert.equal(decodeHistogram(r.interArrivalHistogram).totalCount, 0);
  });
});

describe('ForeignTraffic: checks', () => {
  it('counts checks and mismatches, keeping at most maxExamples descriptions', () => {
    const t = new ForeignTraffic(2, false);
    let described = 0;
    const describe = (text: string) => () => {
      described++;
      return text;
    };
    t.checkedOne(true, describe('never'));
    t.checkedOne(false, describe('first'));
    t.checkedOne(true, describe('never'));
    t.checkedOne(false, describe('second'));
    t.checkedOne(false, describe('third'));
    const r = reportOf(t);
    assert.deepEqual([r.messages, r.checked, r.mismatched, r.mismatchExamples], [0, 5, 3, ['first', 'second']]);
    assert.equal(described, 2);
    assert.deepEqual(r.bytes, { min: 0, max: 0, total: 0 });
  });

  it('keeps no examples when maxExamples is 0', () => {
    const t = new ForeignTraffic(0, false);
    t.checkedOne(false, () => assert.fail('describe must not be called'));
    assert.deepEqual(reportOf(t).mismatchExamples, []);
  });

  it('hands out a copy of the examples', () => {
    const t = new ForeignTraffic(3, false);
    t.checkedOne(false, () => 'a');
    reportOf(t).mismatchExamples.push('tampered');
    assert.deepEqual(reportOf(t).mismatchExamples, ['a']);
  });
});

describe("ForeignTraffic: the feed's own sequence numbers", () => {
  it('counts nothing for a feed in order', () => {
    assert.deepEqual(sequenced([5, 6, 7, 8]), seq(5, 8, 0, 0, 0, 0));
  });

  it('does not count numbers before the first as missing', () => {
    assert.deepEqual(sequenced([1000, 1001]), seq(1000, 1001, 0, 0, 0, 0));
  });

  it('counts gaps and the numbers they skip, repeats and reordering as backwards, unreadable ones apart', () => {
    assert.deepEqual(sequenced([5, 6, 7, 10, 11, 9, 11, undefined, 15, 16]), seq(5, 16, 2 + 3, 2, 2, 1));
  });

  it('a repeat of the first number 0 is backwards', () => {
    assert.deepEqual(sequenced([0, 0, 1]), seq(0, 1, 0, 0, 1, 0));
  });

  it('last is the highest number seen, not the latest', () => {
    assert.deepEqual(sequenced([1, 5, 2]), seq(1, 5, 3, 1, 1, 0));
  });

  it('first and last stay -1 when no number could be read', () => {
    assert.deepEqual(sequenced([undefined, undefined]), seq(-1, -1, 0, 0, 0, 2));
  });

  it('unreadable messages before the first number do not hide it', () => {
    assert.deepEqual(sequenced([undefined, 3, 4]), seq(3, 4, 0, 0, 0, 1));
  });

  it('hands out a copy of the sequence figures', () => {
    const t = new ForeignTraffic(3, true);
    t.arrived(1, 0n);
    t.sequenceNumber(1);
    reportOf(t).sequence!.missing = 99;
    assert.equal(reportOf(t).sequence!.missing, 0);
  });
});

describe('mergeContent', () => {
  it('is undefined without reports', () => {
    assert.equal(mergeContent([], 3), undefined);
  });

  it('adds up the sockets of a group', () => {
    const a = new ForeignTraffic(3, true);
    a.arrived(10, 0n);
    a.arrived(30, 1_000n);
    a.checkedOne(false, () => 'a1');
    a.checkedOne(false, () => 'a2');
    a.sequenceNumber(10);
    a.sequenceNumber(13);

    const b = new ForeignTraffic(3, true);
    b.arrived(50, 0n);
    b.arrived(6, 2_000n);
    b.arrived(4, 3_000n);
    b.checkedOne(true, () => 'never');
    b.checkedOne(false, () => 'b1');
    b.checkedOne(false, () => 'b2');
    b.sequenceNumber(2);
    b.sequenceNumber(undefined);
    b.sequenceNumber(1);

    // checked, but no message in the measured phase, and no sequence number read
    const c = new ForeignTraffic(3, true);
    c.checkedOne(true, () => 'never');
    c.sequenceNumber(undefined);

    const merged = mergeContent([reportOf(a), reportOf(b), reportOf(c)], 3);
    assert.ok(merged);
    assert.equal(merged.messages, 5);
    assert.deepEqual(merged.bytes, { min: 4, mean: 100 / 5, max: 50, total: 100 });
    assert.deepEqual(merged.interArrival, { count: 3, mean: 1.333, p50: 1, p90: 2, p99: 2, p999: 2, max: 2, min: 1 });
    assert.equal(decodeHistogram(merged.interArrivalHistogram).totalCount, 3);
    assert.deepEqual([merged.checked, merged.mismatched], [2 + 3 + 1, 4]);
    assert.deepEqual(merged.mismatchExamples, ['a1', 'a2', 'b1']);
    assert.deepEqual(merged.sequence, seq(2, 13, 2, 1, 1, 2));
  });

  it('has no sequence when no socket read one, and zero sizes without messages', () => {
    const t = new ForeignTraffic(3, false);
    t.checkedOne(false, () => 'x');
    const merged = mergeContent([reportOf(t), reportOf(t)], 1);
    assert.ok(merged);
    assert.equal(merged.sequence, null);
    assert.deepEqual(merged.bytes, { min: 0, mean: 0, max: 0, total: 0 });
    assert.equal(merged.interArrival.count, 0);
    assert.deepEqual([merged.messages, merged.checked, merged.mismatched, merged.mismatchExamples], [0, 2, 2, ['x']]);
  });
});

describe('PrefixCounts', () => {
  it('counts a message under every prefix its first frame starts with', () => {
    const p = new PrefixCounts(['1', '10', '2']);
    for (const t of ['10001 5 80', '10', '1', '11', '2x', '3', '', '01']) p.record(Buffer.from(t));
    assert.deepEqual(p.report(), { counts: { '1': 4, '10': 2, '2': 1 }, unmatched: 3 });
  });

  it('counts everything under the empty prefix', () => {
    const p = new PrefixCounts(['', 'a']);
    for (const t of ['a', 'b', '']) p.record(Buffer.from(t));
    assert.deepEqual(p.report(), { counts: { '': 3, a: 1 }, unmatched: 0 });
  });

  it('compares bytes, UTF-8 prefixes included', () => {
    const p = new PrefixCounts(['é']);
    p.record(Buffer.from([0xc3, 0xa9, 0x00]));
    p.record(Buffer.from([0xc3]));
    assert.deepEqual(p.report(), { counts: { é: 1 }, unmatched: 1 });
  });

  it('reports zero for prefixes nothing matched', () => {
    assert.deepEqual(new PrefixCounts(['a', 'b']).report(), { counts: { a: 0, b: 0 }, unmatched: 0 });
  });
});

describe('mergePrefixes', () => {
  it('is undefined without reports', () => {
    assert.equal(mergePrefixes([]), undefined);
  });

  it('adds counts per prefix and the unmatched', () => {
    assert.deepEqual(
      mergePrefixes([
        { counts: { '1': 4, '10': 2 }, unmatched: 1 },
        { counts: { '1': 1, '2': 7 }, unmatched: 0 },
        { counts: {}, unmatched: 5 },
      ]),
      { counts: { '1': 5, '10': 2, '2': 7 }, unmatched: 6 },
    );
  });
});
