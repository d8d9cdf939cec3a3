import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Clock } from '../../../src/core/clock.js';
import { decodeHeader, encodeHeaderFields, FLAG_WARMUP, type Header } from '../../../src/protocol/header.js';
import { RoleMeter, framesBytes, meterSpecOf, type MeterEnv, type MeterSpec } from '../../../src/meter/role-meter.js';
import type { RolePlan } from '../../../src/scenario/plan.js';
import { createLatencyHistogram, decodeHistogram, summarizeLatency } from '../../../src/stats/histogram.js';

/** A clock that only moves when told to. */
class ManualClock implements Clock {
  constructor(public now = 1_000_000_000n) {}
  nowNs(): bigint {
    return this.now;
  }
  advanceMs(ms: number): void {
    this.now += BigInt(Math.round(ms * 1e6));
  }
}

const SPEC: MeterSpec = {
  sourceId: 7,
  tracking: 'exclusive',
  streams: [],
  check: null,
  sequence: null,
  prefixes: null,
  sender: false,
  misuse: false,
  welcomes: [],
  subscriptions: false,
};

function meterOf(spec: Partial<MeterSpec> = {}, warmup = false) {
  const clock = new ManualClock();
  const env: MeterEnv = {
    clock,
    warmup,
    interval: { latency: createLatencyHistogram(), fromSend: createLatencyHistogram(), sendLag: createLatencyHistogram() },
  };
  return { meter: new RoleMeter({ ...SPEC, ...spec }, env), clock, env };
}

/** A header as our senders stamp it, sent `agoMs` before now (intended `lateMs` earlier still). */
function header(clock: ManualClock, seq: number, { agoMs = 1, lateMs = 0, warmup = false, sourceId = 1, stream = 0 } = {}): Header {
  const sentNs = clock.now - BigInt(agoMs * 1e6);
  return { flags: warmup ? FLAG_WARMUP : 0, stream, sourceId, seq, intendedNs: sentNs - BigInt(lateMs * 1e6), sentNs };
}

const countOf = (encoded: string | undefined) => summarizeLatency(decodeHistogram(encoded ?? '')).count;
const p50Us = (encoded: string) => summarizeLatency(decodeHistogram(encoded)).p50;

describe('RoleMeter: sends', () => {
  it('counts every send, and messages and bytes only while measuring', () => {
    const { meter } = meterOf({ sender: true }, true);
    meter.recordSent(100); // warm-up
    meter.measure();
    meter.recordSent(64);
    meter.recordSent(64);
    const r = meter.report();
    assert.equal(r.sent, 3);
    assert.equal(r.sentMeasured, 2);
    assert.equal(r.sentBytesMeasured, 128);
  });

  it('records send lag while measuring, into its own histogram and the interval one', () => {
    const { meter, clock, env } = meterOf({ sender: true }, true);
    meter.recordSendLag(clock.now, clock.now - 5_000n); // warm-up: not recorded
    meter.measure();
    meter.recordSendLag(clock.now, clock.now - 2_000_000n);
    assert.equal(env.interval.sendLag.totalCount, 1);
    const r = meter.report();
    assert.equal(countOf(r.sendLagHistogram), 1);
    assert.ok(Math.abs(p50Us(r.sendLagHistogram!) - 2000) < 2);
  });

  it('has no send lag histogram unless it measures a sender', () => {
    assert.equal(meterOf().meter.report().sendLagHistogram, undefined);
  });

  it('counts time blocked: all of it, and only the part inside the measured phase as measured', () => {
    const { meter, clock } = meterOf({ sender: true }, true);
    const t0 = clock.now;
    clock.advanceMs(10);
    meter.measure(); // measurement starts 10 ms into a blocked send
    clock.advanceMs(30);
    meter.recordBlocked(t0, clock.now);
    clock.advanceMs(5);
    meter.sendingStopped();
    const t1 = clock.now - 2_000_000n;
    clock.advanceMs(20);
    meter.recordBlocked(t1, clock.now); // blocked 2 ms before the stop and 20 ms after
    assert.equal(meter.counters().blockedMs, 62);
    assert.equal(meter.report().blockedMsMeasured, 32);
  });

  it('counts sends given up, and refused sends by code only when misusing', () => {
    const { meter } = meterOf({ misuse: true });
    meter.recordNotSent();
    meter.recordRefused('EFSM');
    meter.recordRefused('EFSM');
    meter.recordRefused('accepted');
    const r = meter.report();
    assert.equal(r.notSent, 1);
    assert.deepEqual(r.refusedSends, { EFSM: 2, accepted: 1 });
    const plain = meterOf().meter;
    plain.recordRefused('EFSM');
    assert.equal('refusedSends' in plain.report(), false);
  });
});

describe('RoleMeter: receipts and latency', () => {
  it('records latency from the intended and from the actual send time, into its own and the interval histograms', () => {
    const { meter, clock, env } = meterOf();
    meter.recordArrival(header(clock, 0, { agoMs: 1, lateMs: 3 }), 64);
    assert.equal(env.interval.latency.totalCount, 1);
    assert.equal(env.interval.fromSend.totalCount, 1);
    const r = meter.report();
    assert.equal(r.received, 1);
    assert.equal(r.receivedMeasured, 1);
    assert.equal(r.receivedBytesMeasured, 64);
    assert.ok(Math.abs(p50Us(r.histogram) - 4000) < 4, 'from the intended time: 4 ms');
    assert.ok(Math.abs(p50Us(r.histogramFromSend) - 1000) < 1, 'from the send: 1 ms');
  });

  it('reads the times of a decoded header the same as those of a plain one', () => {
    const { meter, clock } = meterOf();
    const frame = encodeHeaderFields(64, 0, 0, 1, 0, clock.now - 2_000_000n, clock.now - 1_000_000n);
    meter.recordArrival(decodeHeader(frame)!, frame.length);
    const r = meter.report();
    assert.ok(Math.abs(p50Us(r.histogram) - 2000) < 2);
    assert.ok(Math.abs(p50Us(r.histogramFromSend) - 1000) < 1);
  });

  it('counts a warm-up message as received but measures nothing of it', () => {
    const { meter, clock, env } = meterOf();
    meter.recordArrival(header(clock, 0, { warmup: true }), 64);
    const r = meter.report();
    assert.equal(r.received, 1);
    assert.equal(r.receivedMeasured, 0);
    assert.equal(countOf(r.histogram), 0);
    assert.equal(env.interval.latency.totalCount, 0);
  });

  it('keeps the first arrival time, and none when nothing came', () => {
    const { meter, clock } = meterOf();
    assert.equal('firstArrivalNs' in meterOf().meter.report(), false);
    const first = clock.now;
    meter.recordArrival(header(clock, 0), 64);
    clock.advanceMs(1);
    meter.recordArrival(header(clock, 1), 64);
    assert.equal(meter.report().firstArrivalNs, String(first));
  });

  it('counts headerless and misrouted messages without measuring them', () => {
    const { meter } = meterOf();
    meter.recordHeaderless();
    meter.recordMisrouted();
    const r = meter.report();
    assert.equal(r.received, 1);
    assert.equal(r.misrouted, 1);
    assert.equal(r.receivedMeasured, 0);
  });

  it('reads sent and received so far (a dealer window)', () => {
    const { meter, clock } = meterOf();
    meter.recordSent(64);
    meter.recordSent(64);
    meter.recordArrival(header(clock, 0), 64);
    assert.equal(meter.sentSoFar - meter.receivedSoFar, 1);
  });
});

describe('RoleMeter: sequence gaps and loss', () => {
  it('shows gaps in the counters as they happen and tail loss once the streams ended', () => {
    const { meter, clock } = meterOf({ streams: [{ sourceId: 1, stream: 0 }] });
    for (const seq of [0, 1, 4, 5]) meter.recordArrival(header(clock, seq), 64);
    assert.equal(meter.counters().lostKnown, 2);
    meter.streamsEnded([{ sourceId: 1, stream: 0, lastSeq: 7 }]);
    const [tally] = meter.report().tallies;
    assert.equal(tally?.received, 4);
    assert.deepEqual(tally?.lost, { head: 0, midstream: 2, tail: 2 });
  });

  it('counts an expected stream that never arrived as lost from the head', () => {
    const { meter } = meterOf({ streams: [{ sourceId: 3, stream: 0 }] });
    meter.streamsEnded([{ sourceId: 3, stream: 0, lastSeq: 9 }]);
    assert.deepEqual(meter.report().tallies[0]?.lost, { head: 10, midstream: 0, tail: 0 });
  });

  it('tracks nothing when tracking is off', () => {
    const { meter, clock } = meterOf({ tracking: 'none' });
    meter.recordArrival(header(clock, 5), 64);
    assert.equal(meter.counters().lostKnown, 0);
    assert.deepEqual(meter.report().tallies, []);
  });
});

describe('RoleMeter: drain', () => {
  it('counts what arrives after the senders stop as drained, not as measured', () => {
    const { meter, clock } = meterOf();
    meter.recordArrival(header(clock, 0), 64);
    meter.sendersStopping();
    clock.advanceMs(5);
    meter.recordArrival(header(clock, 1), 64);
    clock.advanceMs(7);
    meter.recordArrival(header(clock, 2), 64);
    const r = meter.report();
    assert.equal(r.received, 3);
    assert.equal(r.receivedMeasured, 1);
    assert.equal(r.drainedMessages, 2);
    assert.equal(r.drainedMs, 12);
  });

  it('reports no drain when the senders were never stopped, or nothing came after', () => {
    const { meter, clock } = meterOf();
    meter.recordArrival(header(clock, 0), 64);
    let r = meter.report();
    assert.equal(r.drainedMessages, 0);
    assert.equal(r.drainedMs, 0);
    const stopped = meterOf().meter;
    stopped.sendersStopping();
    r = stopped.report();
    assert.equal(r.drainedMessages, 0);
    assert.equal(r.drainedMs, 0);
  });
});

describe('RoleMeter: foreign traffic', () => {
  it('counts, sizes, checks and reads the sequence of messages without our header', () => {
    const { meter, clock } = meterOf({ check: { kind: 'equals', text: 'ok' }, sequence: { kind: 'json', field: 'n' } });
    meter.recordForeign([Buffer.from('topic'), Buffer.from('{"n":1}')]);
    clock.advanceMs(2);
    meter.recordForeign([Buffer.from('topic'), Buffer.from('{"n":3}')]);
    const r = meter.report();
    assert.equal(r.received, 2);
    assert.equal(r.receivedMeasured, 2);
    assert.equal(r.receivedBytesMeasured, 24);
    assert.equal(r.content?.messages, 2);
    assert.deepEqual(r.content?.bytes, { min: 12, max: 12, total: 24 });
    assert.equal(r.content?.checked, 2);
    assert.equal(r.content?.mismatched, 2);
    assert.equal(r.content?.sequence?.missing, 1);
    assert.equal(countOf(r.content?.interArrivalHistogram), 1);
    assert.equal(r.tallies.length, 0, 'not tracked by our sequence numbers');
  });

  it('times a foreign reply from the request it answers and tracks the request under its own source', () => {
    const { meter, clock } = meterOf({ streams: [{ sourceId: 7, stream: 0 }] });
    const request = { seq: 0, intendedNs: clock.now - 3_000_000n, sentNs: clock.now - 2_000_000n, measuring: true };
    meter.recordForeignReply([Buffer.from('World')], request);
    meter.streamsEnded([{ sourceId: 7, stream: 0, lastSeq: 0 }]);
    const r = meter.report();
    assert.equal(r.receivedBytesMeasured, 5);
    assert.ok(Math.abs(p50Us(r.histogram) - 3000) < 3);
    assert.deepEqual(r.tallies[0]?.lost, { head: 0, midstream: 0, tail: 0 });
    assert.equal(r.content?.messages, 1);
  });

  it('measures nothing of foreign traffic during a warm-up', () => {
    const { meter } = meterOf({}, true);
    meter.recordForeign([Buffer.from('x')]);
    const r = meter.report();
    assert.equal(r.received, 1);
    assert.equal(r.receivedMeasured, 0);
    assert.equal('content' in r, false, 'nothing arrived in the measured phase and nothing was checked');
  });

  it('has no content figures when every message carried our header', () => {
    const { meter, clock } = meterOf();
    meter.recordArrival(header(clock, 0), 64);
    assert.equal('content' in meter.report(), false);
  });
});

describe('RoleMeter: prefixes, phases and counters', () => {
  it('counts messages per subscription prefix when it has prefixes', () => {
    const { meter } = meterOf({ prefixes: ['a', 'ab'] });
    meter.recordPrefix(Buffer.from('abc'));
    meter.recordPrefix(Buffer.from('a1'));
    meter.recordPrefix(Buffer.from('z'));
    assert.deepEqual(meter.report().prefixes, { counts: { a: 2, ab: 1 }, unmatched: 1 });
    const none = meterOf().meter;
    none.recordPrefix(Buffer.from('a'));
    assert.equal('prefixes' in none.report(), false);
  });

  it('measures from the start without a warm-up, from measure() with one', () => {
    const { meter, clock } = meterOf({}, true);
    assert.equal(meter.measuring, false);
    clock.advanceMs(100);
    meter.begin(); // a warm-up: measurement does not start yet
    assert.equal(meter.elapsedMs(), 100);
    meter.measure();
    clock.advanceMs(40);
    assert.equal(meter.measuring, true);
    assert.equal(meter.elapsedMs(), 40);
    const direct = meterOf();
    direct.clock.advanceMs(100);
    direct.meter.begin();
    assert.equal(direct.meter.elapsedMs(), 0);
  });

  it('reads its counters for a sample', () => {
    const { meter, clock } = meterOf();
    meter.recordSent(8);
    meter.recordNotSent();
    meter.recordArrival(header(clock, 0), 64);
    meter.recordArrival(header(clock, 2), 64);
    assert.deepEqual(meter.counters(), { sent: 1, received: 2, lostKnown: 1, notSent: 1, blockedMs: 0 });
  });
});

describe('meterSpecOf and framesBytes', () => {
  const plan = (type: RolePlan['socket']['type'], subscribe: string[], misuse: RolePlan['misuse'] = null) =>
    ({
      sourceId: 4,
      tracking: 'shared',
      streams: [],
      check: null,
      sequence: null,
      subscribe,
      misuse,
      socket: { type },
    }) as unknown as RolePlan;

  it('takes the prefixes of a sub that has some, and knows senders', () => {
    assert.deepEqual(meterSpecOf(plan('sub', ['a', ''])).prefixes, ['a', '']);
    assert.equal(meterSpecOf(plan('sub', [''])).prefixes, null);
    assert.equal(meterSpecOf(plan('pull', ['a'])).prefixes, null);
    assert.equal(meterSpecOf(plan('push', [])).sender, true);
    assert.equal(meterSpecOf(plan('rep', [], 'reply-first')).sender, false);
    assert.equal(meterSpecOf(plan('rep', [], 'reply-first')).misuse, true);
  });

  it('adds up the bytes of every frame', () => {
    assert.equal(framesBytes(Buffer.alloc(5)), 5);
    assert.equal(framesBytes([Buffer.alloc(5), Buffer.alloc(3)]), 8);
  });
});
