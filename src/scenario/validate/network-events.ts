import { parseDurationMs } from '../../core/units.js';
import { got } from '../problem-text.js';
import type { NetworkFaultAction } from '../schema.js';
import { networkPairKey, parseTarget } from './targets.js';
import { endsOf, type Check, type CheckContext, type GroupFacts } from './context.js';

/**
 * Network faults (issue 21): `{ at, partition|cut|slow|heal: [groupA, groupB] }`. They act on the
 * tcp connections of the endpoints one group binds and the other connects, so: tcp endpoints only, two
 * different groups that meet at an endpoint, and no third group connected there (its connections
 * could not be told from theirs). A heal follows a partition or slow of the same two groups that
 * is still on; `for` heals by itself.
 */

/** The pairs partitioned or slowed so far, as the events are played through; key: the two names sorted. */
export class NetworkTimeline {
  readonly active = new Map<string, number>(); // pair → when it heals by itself (Infinity: never)
  known = true;
}

export function networkEventProblem(
  check: Check,
  ctx: CheckContext,
  timeline: NetworkTimeline,
  event: Record<string, unknown>,
  ep: string,
  action: NetworkFaultAction,
  atMs: number | undefined,
): void {
  const pointer = `${ep}/${action}`;
  if (event['bandwidth'] === undefined && action === 'slow') check.add(ep, 'slow needs bandwidth, e.g. bandwidth: 1mbit');
  if (event['bandwidth'] !== undefined && action !== 'slow') check.add(`${ep}/bandwidth`, `is only for slow, not ${action}`);
  if (event['for'] !== undefined && action !== 'partition' && action !== 'slow')
    check.add(`${ep}/for`, `is only for partition and slow, not ${action}`);
  const pair = event[action];
  if (!Array.isArray(pair) || !ctx.sound(pointer)) return void (timeline.known = false);
  const targets = (pair as string[]).map((t) => parseTarget(t));
  if (targets.some((t) => t === undefined)) return void (timeline.known = false);
  const [ta, tb] = targets as Array<{ group: string; instance: number | null }>;
  const [a, b] = [ta!.group, tb!.group];
  const facts = [ta!, tb!].map((t, i) => {
    const g = ctx.groups.find((x) => x.name === t.group);
    if (!g && ctx.namesComplete) check.add(`${pointer}/${i}`, `group ${JSON.stringify(t.group)} is not in topology.groups`);
    if (g && t.instance !== null && g.count !== undefined && t.instance >= g.count)
      check.add(
        `${pointer}/${i}`,
        `socket index must be less than the count of group ${JSON.stringify(t.group)} (${g.count})${got(pair[i])}`,
      );
    return g;
  });
  if (a === b) return void check.add(pointer, `must name two different groups${got(pair)}`);
  const [ga, gb] = facts;
  if (!ga || !gb) return void (timeline.known = false);
  const shared = sharedEndpoints(ga, gb);
  // one socket can be singled out on the side that binds (its own address); the connecting sockets share the binder's
  [ta!, tb!].forEach((t, i) => {
    const g = i === 0 ? ga : gb;
    if (t.instance !== null && !shared.every((s) => s.binder === g))
      check.add(`${pointer}/${i}`, `can name one socket only of the group that binds the endpoints they share${got(pair[i])}`);
  });
  if (shared.length === 0)
    return void check.add(
      pointer,
      `groups ${JSON.stringify(a)} and ${JSON.stringify(b)} meet at no endpoint (one binds it, the other connects to it)`,
    );
  const offTcp = shared
    .map(({ endpoint }) => [endpoint, ctx.endpoints.transports.get(endpoint)] as const)
    .find(([, t]) => t !== undefined && t.transport !== 'tcp');
  if (offTcp !== undefined) {
    const [endpoint, t] = offTcp;
    const why = t!.own
      ? `endpoint ${JSON.stringify(endpoint)} between them is ${t!.transport}`
      : `cannot be used with transport ${t!.transport}`;
    check.add(pointer, `acts on tcp connections: ${why} (use tcp)`);
    return void (timeline.known = false);
  }
  for (const { endpoint, binder } of shared) {
    const other = ctx.groups.find((g) => g !== ga && g !== gb && [...endsOf(g).connect].includes(endpoint) && binder !== g);
    if (other)
      check.add(
        pointer,
        `cannot single out the connections of ${JSON.stringify(a)} and ${JSON.stringify(b)}: ${other.label} also connects to endpoint ${endpoint}`,
      );
  }
  play(check, timeline, action, networkPairKey(pair as string[]), atMs, event, pointer, pair);
}

function play(
  check: Check,
  timeline: NetworkTimeline,
  action: NetworkFaultAction,
  key: string,
  atMs: number | undefined,
  event: Record<string, unknown>,
  pointer: string,
  pair: unknown,
): void {
  if (atMs === undefined) return void (timeline.known = false);
  for (const [k, until] of timeline.active) if (until <= atMs) timeline.active.delete(k);
  if (action === 'partition' || action === 'slow') {
    const forMs = typeof event['for'] === 'string' ? parseDurationMs(event['for']) : undefined;
    timeline.active.set(key, forMs === undefined ? Number.POSITIVE_INFINITY : atMs + forMs);
  } else if (action === 'heal' && timeline.known) {
    if (!timeline.active.has(key))
      check.add(pointer, `must follow a partition or slow of the same two groups that is still on${got(pair)}`);
    timeline.active.delete(key);
  }
}

/** Endpoints where one of the two binds and the other connects. */
function sharedEndpoints(a: GroupFacts, b: GroupFacts): Array<{ endpoint: string; binder: GroupFacts }> {
  const ea = endsOf(a);
  const eb = endsOf(b);
  return [
    ...[...ea.bind].filter((e) => eb.connect.has(e)).map((endpoint) => ({ endpoint, binder: a })),
    ...[...eb.bind].filter((e) => ea.connect.has(e)).map((endpoint) => ({ endpoint, binder: b })),
  ];
}
