import { got } from '../problem-text.js';
import type { SocketType } from '../schema.js';
import { Findings, PROXY_SOCKETS, type Check, type CheckContext, type GroupFacts, type ProxySocketField } from './context.js';
import { canTalk } from './socket-kinds.js';

/**
 * The sides of the topology: every group, and the forward of a pipeline stage, binds or
 * connects to endpoints; a proxy's sides are its frontend, backend and capture socket.
 * Reading them reports what is wrong with a bind or connect (neither or both, an endpoint named
 * twice or not declared); the graph rules (topology.ts) then work on the sides that could be read.
 */

/**
 * One set of sockets at endpoints: a group itself, or the forward socket of each of its members.
 * A proxy's frontend is its group's side (ofGroup) and its backend its forward (ofForward), as a
 * proxy passes on what its frontend receives, like a stage; its capture socket is apart (ofCapture).
 */
export interface Side {
  group: number;
  label: string;
  type: SocketType;
  /** pointer of the group, of its forward, or of a proxy's socket */
  pointer: string;
  /** the mapping the side is written in (the group, its forward, a proxy's socket) */
  fields: Record<string, unknown>;
  refs: Ref[];
  /** the mode this side uses (exactly one of bind/connect was given) */
  mode: 'bind' | 'connect';
}

export interface Ref {
  side: Side;
  endpoint: string;
  pointer: string;
}

/** Who meets at one endpoint. */
export interface Usage {
  binders: Ref[];
  connectors: Ref[];
}

export interface Sides {
  all: Side[];
  /** by group index: the group's own side (a proxy's frontend), and its forward's (a proxy's backend) */
  ofGroup: Map<number, Side>;
  ofForward: Map<number, Side>;
  /** by group index: a proxy's capture socket */
  ofCapture: Map<number, Side>;
  /** every bind and connect could be read and names a declared endpoint */
  referencesComplete: boolean;
  /** endpoint → who binds and connects it, in the order of the sides */
  usage: Map<string, Usage>;
}

/** Every side, its problems added to `found` (as the group's sides or forward-sides check). */
export function readSides(ctx: CheckContext, found: Findings): Sides {
  const sides: Sides = {
    all: [],
    ofGroup: new Map(),
    ofForward: new Map(),
    ofCapture: new Map(),
    referencesComplete: ctx.groups.length === ctx.groupList.length,
    usage: new Map(),
  };
  const incomplete = () => {
    sides.referencesComplete = false;
  };
  for (const g of ctx.groups) {
    if (g.type === 'proxy') {
      readProxySides(sides, found, ctx, g, incomplete);
      continue;
    }
    const side = readSide(found.ofGroup('sides', g.index), ctx, g.fields, g.index, g.type, g.pointer, g.label, incomplete);
    if (side) {
      sides.all.push(side);
      sides.ofGroup.set(g.index, side);
    }
    if (g.fields['forward'] === undefined) continue;
    // a forward that is no mapping, or on a group that cannot have one: its endpoints are unknown
    // or out of play, and graph-wide rules would only echo its problem
    if (!g.forward) {
      incomplete();
      continue;
    }
    const fside = readSide(
      found.ofGroup('forward-sides', g.index),
      ctx,
      g.forward.fields,
      g.index,
      g.forward.type,
      `${g.pointer}/forward`,
      `the forward of ${g.label}`,
      incomplete,
    );
    if (fside) {
      sides.all.push(fside);
      sides.ofForward.set(g.index, fside);
    }
  }
  for (const side of sides.all) {
    for (const ref of side.refs) {
      const u = sides.usage.get(ref.endpoint) ?? { binders: [], connectors: [] };
      (side.mode === 'bind' ? u.binders : u.connectors).push(ref);
      sides.usage.set(ref.endpoint, u);
    }
  }
  return sides;
}

/** A proxy's frontend, backend and capture; a proxy without a frontend or backend leaves the graph incomplete (proxies.ts says why). */
function readProxySides(sides: Sides, found: Findings, ctx: CheckContext, g: GroupFacts, incomplete: () => void): void {
  const check = found.ofGroup('proxy-sides', g.index);
  const proxy = g.proxy ?? {};
  if (!proxy.frontend || !proxy.backend) incomplete();
  const maps: Record<ProxySocketField, Map<number, Side>> = { frontend: sides.ofGroup, backend: sides.ofForward, capture: sides.ofCapture };
  for (const field of PROXY_SOCKETS) {
    const facts = proxy[field];
    if (!facts) continue;
    const side = readSide(check, ctx, facts.fields, g.index, facts.type, `${g.pointer}/${field}`, `the ${field} of ${g.label}`, incomplete);
    if (!side) continue;
    sides.all.push(side);
    maps[field].set(g.index, side);
  }
}

/** The endpoints one group or forward binds or connects to; undefined when unusable. */
function readSide(
  check: Check,
  ctx: CheckContext,
  obj: Record<string, unknown>,
  group: number,
  type: SocketType | undefined,
  pointer: string,
  label: string,
  incomplete: () => void,
): Side | undefined {
  const hasBind = obj['bind'] !== undefined;
  const hasConnect = obj['connect'] !== undefined;
  if (hasBind === hasConnect) {
    // a misspelt bind/connect is already reported as an unknown field with a suggestion
    if (hasBind || !ctx.hasUnknownField(pointer))
      check.add(pointer, `must have exactly one of bind or connect, got ${hasBind ? 'both' : 'neither'}`);
    incomplete();
    return undefined;
  }
  const mode = hasBind ? 'bind' : 'connect';
  const value = obj[mode];
  const fp = `${pointer}/${mode}`;
  if (!ctx.sound(fp)) {
    incomplete();
    return undefined;
  }
  // without a known type the references are still checked, but the side joins no graph rule
  const side: Side = { group, label, type: type ?? 'pub', pointer, fields: obj, refs: [], mode };
  const names = typeof value === 'string' ? [value] : (value as string[]);
  names.forEach((endpoint, k) => {
    const rp = typeof value === 'string' ? fp : `${fp}/${k}`;
    if (side.refs.some((r) => r.endpoint === endpoint)) return check.add(rp, `must not name an endpoint twice${got(endpoint)}`);
    if (ctx.endpoints.complete && !ctx.endpoints.declared.has(endpoint)) {
      incomplete();
      return check.add(rp, `endpoint ${JSON.stringify(endpoint)} is not declared in topology.endpoints`);
    }
    side.refs.push({ side, endpoint, pointer: rp });
  });
  return type === undefined ? undefined : side;
}

/** The sides that exchange messages with this one (compatible ones only). */
export function peers(side: Side, usage: ReadonlyMap<string, Usage>): Side[] {
  const found: Side[] = [];
  for (const ref of side.refs) {
    const u = usage.get(ref.endpoint);
    if (!u) continue;
    const others = side.mode === 'bind' ? u.connectors : u.binders.slice(0, 1);
    for (const o of others) if (canTalk(side.type, o.side.type) && !found.includes(o.side)) found.push(o.side);
  }
  return found;
}
