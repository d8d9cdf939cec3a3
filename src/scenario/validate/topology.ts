import { andList, got, isRecord } from '../problem-text.js';
import { addressProblem } from '../validate-external.js';
import { DEFAULTS } from './defaults.js';
import { endpointName, endpointNamePointer, Findings, type Check, type CheckContext } from './context.js';
import type { Problem } from './problem.js';
import { pairEndpointProblems } from './pairs.js';
import { udpSideProblems } from './radio-dish.js';
import { peers, readSides, type Side, type Sides, type Usage } from './sides.js';
import { canTalk, PEER_TYPES } from './socket-kinds.js';
import { isPublisher, isSubscriber } from '../schema.js';

/**
 * Topology: unique endpoint names; the sides (sides.ts); who meets at each endpoint (one
 * binder, peers of compatible types, external endpoints used one way); whole-graph rules once
 * every part is known (every endpoint used, bound and connected; one pull group behind a push;
 * two PAIRs per endpoint (pairs.ts); udp's DISH binds, RADIO connects (radio-dish.ts); topics
 * and conflate; no forwarding loop).
 */
export function topologyProblems(_raw: Record<string, unknown>, ctx: CheckContext): Problem[] {
  const found = new Findings(ctx);
  endpointNameProblems(found.of('endpoint-names'), ctx);
  const sides = readSides(ctx, found);
  endpointUseProblems(found.of('endpoint-use'), ctx, sides.usage);
  const addresses = found.of('external-addresses');
  // a port libzmq would wrap, or 0 / * (any) where a socket connects
  for (const [name, { i, address }] of ctx.endpoints.addresses) {
    const u = sides.usage.get(name);
    const problem = addressProblem(address, u !== undefined && u.binders.length === 0 ? 'connect' : 'bind');
    if (problem) addresses.add(`/topology/endpoints/${i}/external`, problem + got(address));
  }
  // Whole-graph rules only when every part is known: otherwise one typo would cascade.
  if (ctx.typesComplete && sides.referencesComplete && ctx.endpoints.complete && ctx.groupsListed)
    unusedEndpointProblems(found.of('unused-endpoints'), ctx, sides.usage);
  pushReceiverProblems(found.of('push-receivers'), sides);
  pairEndpointProblems(found.of('pairs'), ctx, sides);
  udpSideProblems(found.of('udp'), ctx, sides.all);
  topicProblems(found.of('topics'), ctx, sides);
  loopProblems(found.of('forward-loops'), ctx, sides);
  captureProblems(found.of('captures'), sides);
  return found.problems;
}

function endpointNameProblems(check: Check, ctx: CheckContext): void {
  ctx.endpoints.list.forEach((entry, i) => {
    const pointer = endpointNamePointer(entry, i);
    const name = endpointName(entry);
    if (name === undefined || !ctx.sound(pointer)) return;
    const first = ctx.endpoints.declared.get(name);
    if (first !== i) check.add(pointer, `must be unique (also topology.endpoints[${first}])${got(name)}`);
    // an external endpoint keeps its address, whose scheme is its transport
    if (
      isRecord(entry) &&
      entry['external'] !== undefined &&
      entry['transport'] !== undefined &&
      ctx.sound(`/topology/endpoints/${i}/transport`)
    ) {
      const address = entry['external'];
      const scheme = typeof address === 'string' ? /^([a-z]+):\/\//.exec(address)?.[1] : undefined;
      check.add(
        `/topology/endpoints/${i}/transport`,
        `cannot be used with external (the address names the transport${scheme === undefined ? '' : `: ${scheme}`})${got(entry['transport'])}`,
      );
    }
  });
}

/** One binder per endpoint, and connectors of a type that talks to it; external endpoints apart. */
function endpointUseProblems(check: Check, ctx: CheckContext, usage: ReadonlyMap<string, Usage>): void {
  for (const [endpoint, u] of usage) {
    if (ctx.endpoints.external.has(endpoint)) {
      externalUsageProblems(check, ctx, endpoint, u);
      continue;
    }
    const binder = u.binders[0];
    for (const extra of u.binders.slice(1)) {
      check.add(
        extra.pointer,
        `endpoint ${JSON.stringify(endpoint)} is already bound by ${binder!.side.label}; only one group may bind an endpoint`,
      );
    }
    if (!binder) continue;
    for (const c of u.connectors) {
      if (canTalk(binder.side.type, c.side.type)) continue;
      check.add(
        c.pointer,
        `${c.side.type} can only talk to ${PEER_TYPES[c.side.type].join(' or ')}, got ${binder.side.type} (${binder.side.label} binds endpoint ${JSON.stringify(endpoint)})`,
      );
    }
  }
}

/** An external endpoint has the service on its other side: our groups all bind it or all connect to it. */
function externalUsageProblems(check: Check, ctx: CheckContext, endpoint: string, u: Usage): void {
  const name = JSON.stringify(endpoint);
  if (u.binders.length > 0 && u.connectors.length > 0) {
    for (const c of u.connectors)
      check.add(
        c.pointer,
        `endpoint ${name} is external and ${u.binders[0]!.side.label} binds it: groups either all connect to an external endpoint or one binds it`,
      );
  }
  for (const extra of u.binders.slice(1))
    check.add(extra.pointer, `endpoint ${name} is already bound by ${u.binders[0]!.side.label}; only one group may bind an endpoint`);
  const binder = u.binders[0];
  if (binder && binder.side.mode === 'bind') {
    const g = ctx.groupList[binder.side.group] as Record<string, unknown>;
    const count = g['count'] ?? DEFAULTS.count;
    if (count !== 1)
      check.add(
        `/topology/groups/${binder.side.group}/count`,
        `must be 1: ${binder.side.label} binds the one address of external endpoint ${name}${got(count)}`,
      );
  }
}

/** Every endpoint used; one that is bound has connectors, one that is connected to has a binder. */
function unusedEndpointProblems(check: Check, ctx: CheckContext, usage: ReadonlyMap<string, Usage>): void {
  for (const [endpoint, i] of ctx.endpoints.declared) {
    const u = usage.get(endpoint);
    const pointer = endpointNamePointer(ctx.endpoints.list[i], i);
    if (!u) {
      check.add(pointer, `endpoint ${JSON.stringify(endpoint)} is not used by any group`);
      continue;
    }
    // the service is on the other side of an external endpoint
    if (ctx.endpoints.external.has(endpoint)) continue;
    if (u.binders.length === 0) {
      for (const c of u.connectors)
        check.add(c.pointer, `${c.side.label} connects to endpoint ${JSON.stringify(endpoint)}, which no group binds`);
    } else if (u.connectors.length === 0) {
      check.add(pointer, `endpoint ${JSON.stringify(endpoint)} is bound by ${u.binders[0]!.side.label} but no group connects to it`);
    }
  }
}

/** Load-balanced receivers: loss is counted per receiving group, so one push feeds one group. */
function pushReceiverProblems(check: Check, sides: Sides): void {
  for (const side of sides.all) {
    if (side.type !== 'push') continue;
    const groups = [...new Set(peers(side, sides.usage).map((p) => p.group))];
    if (groups.length > 1) {
      const names = groups.map((g) => sides.ofGroup.get(g)?.label ?? `group #${g}`);
      check.add(
        `${side.pointer}/${side.mode}`,
        `the receivers of ${side.label} must all be one pull group (loss is counted per group), got ${andList(names)}`,
      );
    }
  }
}

/**
 * Topics: a pub (or xpub) sends a topic frame first only when it has topics; a forward passes
 * frames on. A forward pub passes frames on, but the plan does not follow topics through a
 * stage, so subscribers behind any forward pub take everything (""). A proxy's xpub backend
 * passes on what its xsub frontend gets: it sends topics when every publisher upstream does.
 */
function topicProblems(check: Check, ctx: CheckContext, sides: Sides): void {
  const sendsTopics = (pub: Side) => publishesTopics(pub, sides, ctx, new Set());
  for (const side of sides.all) {
    const obj = side.fields;
    const conflate = isRecord(obj['options']) && obj['options']['conflate'] === true;
    if (isSubscriber(side.type) && Array.isArray(obj['subscribe']) && ctx.sound(`${side.pointer}/subscribe`)) {
      const plain = peers(side, sides.usage).find((p) => !sendsTopics(p));
      if (plain) {
        (obj['subscribe'] as string[]).forEach((prefix, k) => {
          if (prefix === '') return;
          check.add(
            `${side.pointer}/subscribe/${k}`,
            `must be "" because ${plain.label} sends no topics (a prefix would be matched against the binary header)${got(prefix)}`,
          );
        });
      }
    }
    if (conflate) {
      const topical = isPublisher(side.type)
        ? sendsTopics(side)
          ? side
          : undefined
        : isSubscriber(side.type)
          ? peers(side, sides.usage).find((p) => sendsTopics(p))
          : undefined;
      if (topical) {
        check.add(
          `${side.pointer}/options/conflate`,
          `cannot be used with topics: conflate keeps single-frame messages only, and ${topical.label} sends a topic frame first${got(true)}`,
        );
      }
    }
  }
}

/**
 * Whether a side sends a topic frame first: a group's own pub or xpub with topics, or a proxy's
 * backend when every publisher at its frontend does (and there is one).
 */
function publishesTopics(side: Side, sides: Sides, ctx: CheckContext, seen: Set<Side>): boolean {
  if (sides.ofGroup.get(side.group) === side) return side.fields['topics'] !== undefined; // a bad list is reported already
  const isProxy = (ctx.groupList[side.group] as Record<string, unknown>)['type'] === 'proxy';
  const frontend = sides.ofGroup.get(side.group);
  if (!isProxy || sides.ofForward.get(side.group) !== side || frontend === undefined || seen.has(side)) return false;
  seen.add(side);
  const upstream = peers(frontend, sides.usage);
  return upstream.length > 0 && upstream.every((p) => publishesTopics(p, sides, ctx, seen));
}

/**
 * A capture socket sends a copy of every message a proxy passes, both ways: a group that reads
 * one gets copies it cannot tell apart as streams, so it reads nothing else (its figures are
 * counts and latencies, not loss).
 */
function captureProblems(check: Check, sides: Sides): void {
  const captureAt = new Map<string, Side>();
  for (const c of sides.ofCapture.values()) for (const r of c.refs) captureAt.set(r.endpoint, c);
  if (captureAt.size === 0) return;
  for (const side of sides.ofGroup.values()) {
    const tapped = side.refs.find((r) => captureAt.has(r.endpoint));
    if (!tapped) continue;
    for (const r of side.refs) {
      if (captureAt.has(r.endpoint)) continue;
      check.add(
        r.pointer,
        `must not be used beside endpoint ${JSON.stringify(tapped.endpoint)}, where ${side.label} reads ${captureAt.get(tapped.endpoint)!.label}: a capture's copies cannot be told from the streams they copy${got(r.endpoint)}`,
      );
    }
  }
}

/** Forward loops: a message passed from stage to stage back to where it started never ends. */
function loopProblems(check: Check, ctx: CheckContext, sides: Sides): void {
  const next = (g: number): number[] => {
    const f = sides.ofForward.get(g);
    return f
      ? [
          ...new Set(
            peers(f, sides.usage)
              .filter((p) => sides.ofGroup.get(p.group) === p)
              .map((p) => p.group),
          ),
        ]
      : [];
  };
  const reported = new Set<number>();
  for (const start of sides.ofForward.keys()) {
    const path = findLoop(start, next);
    if (!path || path.some((g) => reported.has(g))) continue;
    path.forEach((g) => reported.add(g));
    const names = [...path, start].map((g) => JSON.stringify((ctx.groupList[g] as Record<string, unknown>)['name']));
    check.add(
      `/topology/groups/${start}/forward`,
      `must not lead back to the same group (messages would circle forever), got ${names.join(' → ')}`,
    );
  }
}

/** A path start → ... → start in the forward graph, or undefined. */
function findLoop(start: number, next: (g: number) => number[]): number[] | undefined {
  const seen = new Set<number>();
  const walk = (g: number, path: number[]): number[] | undefined => {
    for (const n of next(g)) {
      if (n === start) return path;
      if (seen.has(n)) continue;
      seen.add(n);
      const found = walk(n, [...path, n]);
      if (found) return found;
    }
    return undefined;
  };
  return walk(start, [start]);
}
