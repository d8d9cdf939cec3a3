import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { aggregate } from '../../../src/collect/aggregate.js';
import type { RoleReport } from '../../../src/protocol/control.js';
import { parseScenarioText } from '../../../src/scenario/load.js';
import { planTopology } from '../../../src/scenario/plan.js';
import { createLatencyHistogram, decodeHistogram, encodeHistogram, recordNs, summarizeLatency } from '../../../src/stats/histogram.js';
import type { StreamTally } from '../../../src/stats/sequence-tracker.js';
import { ventWorkersSink } from '../../support/vent-workers-sink.js';

const scenario = ventWorkersSink('agg');
const plan = planTopology(scenario);

function histogramOf(...ns: number[]): string {
  const h = createLatencyHistogram();
  for (const v of ns) recordNs(h, v);
  return encodeHistogram(h);
}

function report(roleId: number, group: string, over: Partial<RoleReport>): RoleReport {
  return {
    roleId,
    group,
    sent: 0,
    sentMeasured: 0,
    sentBytesMeasured: 0,
    received: 0,
    receivedMeasured: 0,
    receivedBytesMeasured: 0,
    misrouted: 0,
    notSent: 0,
    blockedMsMeasured: 0,
    drainedMessages: 0,
    drainedMs: 0,
    tallies: [],
    histogram: histogramOf(),
    histogramFromSend: histogramOf(),
    lastSeqs: [],
    effectiveOptions: {},
    errors: [],
    ...over,
  };
}

const tally = (over: Partial<StreamTally>): StreamTally => ({
  sourceId: 0,
  stream: 0,
  received: 0,
  duplicates: 0,
  reordered: 0,
  unexpected: 0,
  highestSeq: -1,
  lost: null,
  ...over,
});

describe('aggregate', () => {
  // vent sent seq 0..99; workers got 60 + 35 (5 lost, the last 2 of them at the tail); the sink got 95.
  const reports = [
    report(0, 'vent', { sent: 100, sentMeasured: 80, sentBytesMeasured: 80 * 64 }),
    report(1, 'workers', {
      received: 60,
      receivedMeasured: 50,
      sent: 60,
      tallies: [tally({ received: 60, highestSeq: 97 })],
      histogram: histogramOf(1000, 2000),
    }),
    report(2, 'workers', {
      received: 35,
      receivedMeasured: 30,
      sent: 35,
      tallies: [tally({ received: 35, highestSeq: 96 })],
      histogram: histogramOf(3000),
    }),
    report(3, 'sink', {
      received: 95,
      receivedMeasured: 75,
      receivedBytesMeasured: 75 * 64,
      tallies: [tally({ received: 95, highestSeq: 97, reordered: 4, lost: { head: 0, midstream: 3, tail: 2 } })],
      histogram: histogramOf(10_000, 20_000, 30_000),
    }),
  ];
  const { groups, totals } = aggregate({
    groups: scenario.groups,
    plan,
    reports,
    lastSeqs: [{ sourceId: 0, stream: 0, lastSeq: 99 }],
    measuredMs: 2000,
  });
  const byName = Object.fromEntries(groups.map((g) => [g.name, g]));

  it('a sending group reports what it sent and its send rate', () => {
    assert.equal(byName.vent!.sent, 100);
    assert.equal(byName.vent!.direction, 'sends');
    assert.equal(byName.vent!.throughput.msgsPerSec, 40);
    assert.equal(byName.vent!.throughput.bytesPerSec, 40 * 64);
    assert.equal(byName.vent!.latencyKind, 'none');
  });

  it('load-balanced receivers: loss is expected minus received, the tail from the highest sequence seen', () => {
    const w = byName.workers!;
    assert.equal(w.expected, 100);
    assert.equal(w.received, 95);
    assert.equal(w.lost, 5);
    assert.deepEqual(w.loss, { head: 0, midstream: 3, tail: 2 });
    assert.equal(w.direction, 'relays');
    assert.equal(w.latency.count, 3, 'histograms merged, not averaged');
  });

  it('an exclusive receiver sums its exact tallies', () => {
    const s = byName.sink!;
    assert.equal(s.expected, 100);
    assert.equal(s.lost, 5);
    assert.deepEqual(s.loss, { head: 0, midstream: 3, tail: 2 });
    assert.equal(s.reordered, 4);
    assert.equal(s.throughput.msgsPerSec, 37.5);
    assert.deepEqual(s.latency, summarizeLatency(decodeHistogram(histogramOf(10_000, 20_000, 30_000))));
  });

  it('totals count originators for sent and terminal receivers for the rest', () => {
    assert.equal(totals.sent, 100);
    assert.equal(totals.received, 95);
    assert.equal(totals.lost, 5);
    assert.equal(totals.latency.count, 3);
    assert.equal(totals.latency.max, byName.sink!.latency.max);
    assert.equal(totals.latencyKind, 'one-way');
  });

  it("blocked share: blocked time over the senders' measured time, never above 1", () => {
    const blocked = (ms: number) =>
      aggregate({
        groups: scenario.groups,
        plan,
        reports: [report(0, 'vent', { blockedMsMeasured: ms })],
        lastSeqs: [],
        measuredMs: 2000,
      }).groups.find((g) => g.name === 'vent')!.blocked;
    assert.deepEqual(blocked(500), { ms: 500, share: 0.25 });
    // a sender's own window opens and closes when the coordinator's messages reach it: a few ms
    // longer than the coordinator's measured time for a sender blocked throughout
    assert.deepEqual(blocked(2003.5), { ms: 2003.5, share: 1 });
  });
});

describe('aggregate: send lag', () => {
  const fanIn = parseScenarioText(
    `
name: lag
topology:
  endpoints: [tasks]
  groups:
    - { name: pushers, type: push, count: 2, rate: 1000, connect: tasks }
    - { name: puller, type: pull, bind: tasks }
`,
    'lag.yaml',
  );
  const lagPlan = planTopology(fanIn);
  const pusherIds = lagPlan.roles.filter((r) => r.group === 'pushers').map((r) => r.roleId);
  const pullerId = lagPlan.roles.find((r) => r.group === 'puller')!.roleId;
  const lagReports = [
    report(pusherIds[0]!, 'pushers', { sent: 3, sentMeasured: 3, sendLagHistogram: histogramOf(1_000, 2_000, 3_000) }),
    report(pusherIds[1]!, 'pushers', { sent: 2, sentMeasured: 2, sendLagHistogram: histogramOf(5_000_000, 6_000_000) }),
    report(pullerId, 'puller', { received: 5, receivedMeasured: 5, histogram: histogramOf(10_000) }),
  ];
  const { groups } = aggregate({
    groups: fanIn.groups,
    plan: lagPlan,
    reports: lagReports,
    lastSeqs: lagPlan.roles
      .filter((r) => r.group === 'pushers')
      .map((r, i) => ({ sourceId: r.sourceId, stream: 0, lastSeq: i === 0 ? 2 : 1 })),
    measuredMs: 1000,
  });
  const pushers = groups.find((g) => g.name === 'pushers')!;

  it('a sender group merges the send-lag histograms of its sockets (never averages them)', () => {
    const expected = summarizeLatency(decodeHistogram(histogramOf(1_000, 2_000, 3_000, 5_000_000, 6_000_000)));
    assert.ok(pushers.sendLag, 'a sender group has sendLag');
    assert.equal(pushers.sendLag.summary.count, 5);
    assert.deepEqual(pushers.sendLag.summary, expected);
    assert.equal(decodeHistogram(pushers.sendLag.histogram).totalCount, 5);
    assert.ok(pushers.sendLag.summary.p99 > 5_000, `p99 ${pushers.sendLag.summary.p99} µs is the slow socket's`);
  });

  it('a receiving group has no sendLag; a sender that reported none has a count of 0', () => {
    assert.equal(groups.find((g) => g.name === 'puller')!.sendLag, undefined);
    const { groups: noReport } = aggregate({
      groups: fanIn.groups,
      plan: lagPlan,
      reports: [lagReports[2]!],
      lastSeqs: [],
      measuredMs: 1000,
    });
    assert.equal(noReport.find((g) => g.name === 'pushers')!.sendLag?.summary.count, 0);
  });
});

describe('aggregate: latency from the actual send', () => {
  // The workers' senders fell behind: from the intended time 1-3 ms, from the actual send 10-30 µs.
  const reports = [
    report(0, 'vent', { sent: 3, sentMeasured: 3 }),
    report(1, 'workers', {
      received: 2,
      receivedMeasured: 2,
      histogram: histogramOf(1_000_000, 2_000_000),
      histogramFromSend: histogramOf(10_000, 20_000),
    }),
    report(2, 'workers', { received: 1, receivedMeasured: 1, histogram: histogramOf(3_000_000), histogramFromSend: histogramOf(30_000) }),
    report(3, 'sink', {
      received: 3,
      receivedMeasured: 3,
      histogram: histogramOf(4_000_000, 5_000_000, 6_000_000),
      histogramFromSend: histogramOf(40_000, 50_000, 60_000),
    }),
  ];
  const { groups, totals } = aggregate({
    groups: scenario.groups,
    plan,
    reports,
    lastSeqs: [{ sourceId: 0, stream: 0, lastSeq: 2 }],
    measuredMs: 1000,
  });
  const byName = Object.fromEntries(groups.map((g) => [g.name, g]));

  it('a group merges the from-send histograms of its sockets (never averages them), next to latency', () => {
    const w = byName.workers!;
    assert.deepEqual(w.latencyFromSend, summarizeLatency(decodeHistogram(histogramOf(10_000, 20_000, 30_000))));
    assert.equal(w.latencyFromSend.count, w.latency.count);
    assert.equal(decodeHistogram(w.histogramFromSend).totalCount, 3);
    assert.ok(w.latencyFromSend.max >= 29 && w.latencyFromSend.max <= 31, `max ${w.latencyFromSend.max} µs is the second socket's`);
    assert.ok(w.latency.p50 > 50 * w.latencyFromSend.p50, 'the two histograms are not mixed up');
  });

  it('totals take the terminal groups only, as latency does', () => {
    assert.deepEqual(totals.latencyFromSend, summarizeLatency(decodeHistogram(histogramOf(40_000, 50_000, 60_000))));
    assert.deepEqual(totals.latencyFromSend, byName.sink!.latencyFromSend);
    assert.equal(decodeHistogram(totals.histogramFromSend).totalCount, 3);
  });

  it('a group that measures no latency has an empty one', () => {
    assert.equal(byName.vent!.latencyFromSend.count, 0);
    assert.equal(decodeHistogram(byName.vent!.histogramFromSend).totalCount, 0);
  });
});
