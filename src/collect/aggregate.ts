import { present } from '../core/present.js';
import type { FlowFigures, GroupResult, LossBreakdown, RequestFigures } from '../core/types.js';
import type { LastSeq, RoleReport } from '../protocol/control.js';
import { expectedPerGroup, type RolePlan, type TopologyPlan } from '../scenario/plan.js';
import type { StreamKey } from '../scenario/routes.js';
import { isOneWaySender, isRoundTrip, isSender, type Group } from '../scenario/schema.js';
import { encodeHistogram, mergeEncoded, summarizeLatency } from '../stats/histogram.js';
import { EXTERNAL_LIMITS } from '../scenario/external-schema.js';
import { mergeContent } from '../stats/foreign-traffic.js';
import { mergePrefixes } from '../stats/prefix-counts.js';
import { mergeSubscriptions } from '../stats/subscription-counts.js';
import { proxyFigures, proxyFlow } from './proxy-figures.js';
import { perSocket, perSource } from './spread.js';

/**
 * Merges the per-role reports into group and total figures. Pure. Histograms are merged,
 * never averaged (percentiles of percentiles mean nothing).
 */

export interface AggregateInput {
  groups: Group[];
  plan: TopologyPlan;
  reports: RoleReport[];
  lastSeqs: LastSeq[];
  measuredMs: number;
  /** when the coordinator told the senders to start (monotonic ns); first-message times count from it */
  startNs?: bigint;
}

export function aggregate(input: AggregateInput): { groups: GroupResult[]; totals: FlowFigures } {
  const lastSeqOf = new Map(input.lastSeqs.map((l) => [streamId(l), l.lastSeq]));
  const sentOn = (k: StreamKey) => (lastSeqOf.get(streamId(k)) ?? -1) + 1;
  const seconds = input.measuredMs / 1000;
  const expectedOf = expectedPerGroup(input.plan, sentOn);

  const groups = input.groups.map((group): GroupResult => {
    const roles = input.plan.roles.filter((r) => r.group === group.name);
    const reports = input.reports.filter((r) => r.group === group.name);
    const flow = group.proxy
      ? proxyFlow(group, reports, seconds)
      : groupFlow(group, roles, reports, sentOn, expectedOf.get(group.name), seconds);
    const blockedMs = sum(reports, (r) => r.blockedMsMeasured);
    return {
      name: group.name,
      type: group.type,
      engine: group.engine,
      count: group.count,
      direction: direction(group),
      ...flow,
      blocked: { ms: round3(blockedMs), share: blockedShare(blockedMs, input.measuredMs * group.count) },
      notSent: sum(reports, (r) => r.notSent),
      drained: { messages: sum(reports, (r) => r.drainedMessages), ms: round3(Math.max(0, ...reports.map((r) => r.drainedMs))) },
      options: reports[0]?.effectiveOptions ?? {},
      ...(group.type === 'req' ? { requests: requestFigures(reports) } : {}),
      ...(isSender(group.type, group.side) ? { sendLag: sendLagOf(reports) } : {}),
      ...present(
        'content',
        mergeContent(
          reports.flatMap((r) => (r.content ? [r.content] : [])),
          EXTERNAL_LIMITS.mismatchExamples,
        ),
      ),
      ...present('prefixes', mergePrefixes(reports.flatMap((r) => (r.prefixes ? [r.prefixes] : [])))),
      ...present('refusedSends', group.misuse === null ? undefined : sumCodes(reports.map((r) => r.refusedSends ?? {}))),
      ...present('welcomes', welcomesOf(reports)),
      ...present('subscriptions', mergeSubscriptions(reports.flatMap((r) => (r.subscriptions ? [r.subscriptions] : [])))),
      ...present('proxy', group.proxy ? proxyFigures(group, group.proxy, reports) : undefined),
      ...present('perSocket', perSocket(group.name, reports, roles, direction(group) === 'sends' ? 'sent' : 'received')),
      ...present('perSource', perSource(reports, input.plan.roles)),
      ...present('firstMessageMs', firstMessageMs(reports, input.startNs)),
      errors: reports.flatMap((r) => r.errors),
    };
  });

  const terminal = groups.filter((g) => input.plan.terminal[g.name]);
  const originators = groups.filter((_, i) => isSender(input.groups[i]!.type, input.groups[i]!.side));
  const histogram = encodeHistogram(mergeEncoded(terminal.map((g) => g.histogram)));
  const histogramFromSend = encodeHistogram(mergeEncoded(terminal.map((g) => g.histogramFromSend)));
  const kinds = new Set(terminal.map((g) => g.latencyKind));
  const totals: FlowFigures = {
    sent: sum(originators, (g) => g.sent),
    received: sum(terminal, (g) => g.received),
    expected: sum(terminal, (g) => g.expected),
    lost: sum(terminal, (g) => g.lost),
    loss: {
      head: sum(terminal, (g) => g.loss.head),
      midstream: sum(terminal, (g) => g.loss.midstream),
      tail: sum(terminal, (g) => g.loss.tail),
    },
    duplicates: sum(terminal, (g) => g.duplicates),
    reordered: sum(terminal, (g) => g.reordered),
    misrouted: sum(terminal, (g) => g.misrouted),
    // Only senders towards services we did not start: what was offered is all that is known.
    throughput: {
      msgsPerSec: sum(terminal.length > 0 ? terminal : originators, (g) => g.throughput.msgsPerSec),
      bytesPerSec: sum(terminal.length > 0 ? terminal : originators, (g) => g.throughput.bytesPerSec),
    },
    latency: summarizeLatency(mergeEncoded([histogram])),
    latencyKind: kinds.size === 1 ? [...kinds][0]! : kinds.size === 0 ? 'none' : 'mixed',
    histogram,
    latencyFromSend: summarizeLatency(mergeEncoded([histogramFromSend])),
    histogramFromSend,
  };
  return { groups, totals };
}

function groupFlow(
  group: Group,
  roles: RolePlan[],
  reports: RoleReport[],
  sentOn: (k: StreamKey) => number,
  expectedIfTracked: number | undefined,
  seconds: number,
): FlowFigures {
  const received = sum(reports, (r) => r.received);
  const tallies = reports.flatMap((r) => r.tallies);
  const loss: LossBreakdown = { head: 0, midstream: 0, tail: 0 };
  // a group that tracks nothing (an echo server) expects what it got
  const expected = expectedIfTracked ?? received;
  const tracking = roles[0]?.tracking ?? 'none';
  if (tracking === 'exclusive') {
    for (const t of tallies) {
      if (!t.lost) continue;
      loss.head += t.lost.head;
      loss.midstream += t.lost.midstream;
      loss.tail += t.lost.tail;
    }
  } else if (tracking === 'shared') {
    // Load-balanced receivers each see a share of a stream: loss exists only for the group.
    const streams = uniqueStreams(roles.flatMap((r) => r.streams));
    for (const k of streams) {
      const highest = Math.max(-1, ...tallies.filter((t) => t.sourceId === k.sourceId && t.stream === k.stream).map((t) => t.highestSeq));
      loss.tail += Math.max(0, sentOn(k) - 1 - highest);
    }
    const lost = Math.max(0, expected - sum(tallies, (t) => t.received - t.unexpected));
    loss.midstream = Math.max(0, lost - loss.tail);
    loss.tail = Math.min(loss.tail, lost);
  }
  const lost = loss.head + loss.midstream + loss.tail;
  const histogram = encodeHistogram(mergeEncoded(reports.map((r) => r.histogram)));
  const histogramFromSend = encodeHistogram(mergeEncoded(reports.map((r) => r.histogramFromSend)));
  const countsSends = direction(group) === 'sends';
  const measured = countsSends ? sum(reports, (r) => r.sentMeasured) : sum(reports, (r) => r.receivedMeasured);
  const measuredBytes = countsSends ? sum(reports, (r) => r.sentBytesMeasured) : sum(reports, (r) => r.receivedBytesMeasured);
  return {
    sent: sum(reports, (r) => r.sent),
    received,
    expected,
    lost,
    loss,
    duplicates: sum(tallies, (t) => t.duplicates),
    reordered: sum(tallies, (t) => t.reordered),
    misrouted: sum(reports, (r) => r.misrouted),
    throughput: {
      msgsPerSec: seconds > 0 ? measured / seconds : 0,
      bytesPerSec: seconds > 0 ? measuredBytes / seconds : 0,
    },
    latency: summarizeLatency(mergeEncoded([histogram])),
    latencyKind: latencyKindOf(group),
    histogram,
    latencyFromSend: summarizeLatency(mergeEncoded([histogramFromSend])),
    histogramFromSend,
  };
}

/** Send lag of a sender group: its sockets' histograms merged (a socket that reported none adds nothing). */
function sendLagOf(reports: RoleReport[]): NonNullable<GroupResult['sendLag']> {
  const histogram = encodeHistogram(mergeEncoded(reports.map((r) => r.sendLagHistogram ?? '')));
  // Summarized from the encoded form, as `latency` is, so both read the same as a merge of them would.
  return { summary: summarizeLatency(mergeEncoded([histogram])), histogram };
}

function requestFigures(reports: RoleReport[]): RequestFigures {
  const all = reports.flatMap((r) => (r.requests ? [r.requests] : []));
  const max = (f: (x: RequestFigures) => number) => round3(Math.max(0, ...all.map(f)));
  return {
    stalled: sum(all, (x) => x.stalled),
    stalledMs: max((x) => x.stalledMs),
    retries: sum(all, (x) => x.retries),
    recovered: sum(all, (x) => x.recovered),
    abandoned: sum(all, (x) => x.abandoned),
    recoveryMs: max((x) => x.recoveryMs),
  };
}

/** What a group's latency measures: a round trip for req/dealer, nothing for pure senders, else one-way. */
export function latencyKindOf(group: Group): GroupResult['latencyKind'] {
  return isRoundTrip(group.type) ? 'round-trip' : direction(group) === 'sends' ? 'none' : 'one-way';
}

/** What a group's throughput counts (result.json's `direction`). */
export function direction(group: Group): GroupResult['direction'] {
  if (isRoundTrip(group.type)) return 'round-trips';
  if (isOneWaySender(group.type, group.side)) return 'sends';
  if (group.forward || group.type === 'rep' || group.type === 'router') return 'relays';
  return 'receives';
}

function uniqueStreams(keys: StreamKey[]): StreamKey[] {
  return [...new Map(keys.map((k) => [streamId(k), k])).values()];
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

const streamId = (k: StreamKey) => `${k.sourceId}:${k.stream}`;

function sum<T>(items: readonly T[], f: (item: T) => number): number {
  let total = 0;
  for (const item of items) total += f(item);
  return total;
}

/** ms from the start command to the group's earliest first arrival (B2); undefined when nothing arrived or nothing started. */
export function firstMessageMs(reports: readonly RoleReport[], startNs: bigint | undefined): number | undefined {
  if (startNs === undefined) return undefined;
  let first: bigint | undefined;
  for (const r of reports) {
    if (r.firstArrivalNs === undefined) continue;
    const ns = BigInt(r.firstArrivalNs);
    if (first === undefined || ns < first) first = ns;
  }
  return first === undefined ? undefined : round3(Number(first - startNs) / 1e6);
}

/** Welcome messages a subscriber group received; undefined where none could come. */
function welcomesOf(reports: readonly RoleReport[]): number | undefined {
  const counted = reports.filter((r) => r.welcomes !== undefined);
  return counted.length === 0 ? undefined : sum(counted, (r) => r.welcomes!);
}

function sumCodes(parts: readonly Record<string, number>[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of parts) for (const [code, n] of Object.entries(p)) out[code] = (out[code] ?? 0) + n;
  return out;
}

/**
 * The share of the measured time the group's senders spent blocked. Each sender clips its
 * blocked time to its own measured window, which starts and ends when the coordinator's
 * messages reach it and so can be a few ms longer than the coordinator's: a sender blocked
 * throughout reads as 1, not 1.003.
 */
function blockedShare(blockedMs: number, senderMs: number): number {
  return senderMs > 0 ? round3(Math.min(1, blockedMs / senderMs)) : 0;
}
