import { got } from '../problem-text.js';
import type { GroupSpec } from '../schema.js';
import type { Check, CheckContext, GroupFacts } from './context.js';
import { DEFAULTS } from './defaults.js';
import type { Sides } from './sides.js';

/**
 * PAIR: two sockets, one on each side of an endpoint, exclusively (libzmq's PAIR talks to one
 * peer). One of the two groups sends (`side: sender`: size, rate, messages as other senders),
 * the other receives (`side: receiver`: delay, pauses), with latency, sequences and loss
 * measured as for PUSH/PULL.
 */

const SENDER_FIELDS: ReadonlyArray<keyof GroupSpec> = ['size', 'rate', 'messages', 'whenBlocked', 'giveUpAfter'];
const RECEIVER_FIELDS: ReadonlyArray<keyof GroupSpec> = ['delay', 'pauses'];

/** A pair group says which side it is, and has only that side's fields. */
export function pairSideProblems(check: Check, ctx: CheckContext, g: GroupFacts): void {
  if (g.type !== 'pair') return;
  const side = g.fields['side'];
  if (side === undefined) {
    check.add(`${g.pointer}/side`, 'is required for a pair group: sender (this PAIR sends) or receiver (it receives from the other)');
    return;
  }
  if (g.side === null) return; // a wrong value: the schema said so
  const [others, theirs] = g.side === 'sender' ? [RECEIVER_FIELDS, 'receiver'] : [SENDER_FIELDS, 'sender'];
  for (const field of others) {
    if (g.fields[field] !== undefined && ctx.sound(`${g.pointer}/${field}`))
      check.add(`${g.pointer}/${field}`, `is only for the pair that is the ${theirs} (side: ${theirs}), not side: ${g.side}`);
  }
}

/**
 * Every pair group is one socket on one endpoint, and every endpoint of a pair has exactly two
 * groups on it, one binding and one connecting, one the sender and the other the receiver
 * (that a PAIR meets only a PAIR is the endpoint-use check's).
 */
export function pairEndpointProblems(check: Check, ctx: CheckContext, sides: Sides): void {
  for (const side of sides.all) {
    if (side.type !== 'pair' || sides.ofGroup.get(side.group) !== side) continue;
    const g = ctx.groupList[side.group] as Record<string, unknown>;
    const count = g['count'] ?? DEFAULTS.count;
    if (count !== 1 && ctx.sound(`${side.pointer}/count`))
      check.add(`${side.pointer}/count`, `must be 1: a PAIR socket talks to exactly one peer${got(count)}`);
    if (side.refs.length > 1)
      check.add(`${side.pointer}/${side.mode}`, `must name one endpoint: a PAIR socket talks to exactly one peer, got ${side.refs.length}`);
  }
  for (const [endpoint, u] of sides.usage) {
    const binder = u.binders[0];
    if (binder?.side.type !== 'pair' || ctx.endpoints.external.has(endpoint)) continue;
    const pairs = u.connectors.filter((c) => c.side.type === 'pair');
    for (const extra of pairs.slice(1))
      check.add(
        extra.pointer,
        `endpoint ${JSON.stringify(endpoint)} has its two PAIR sockets already (${binder.side.label} and ${pairs[0]!.side.label}); a PAIR endpoint connects exactly two`,
      );
    const peer = pairs[0];
    if (peer === undefined) continue;
    const sideOf = (group: number) => ctx.groups.find((f) => f.index === group)?.side ?? null;
    const mine = sideOf(peer.side.group);
    const theirs = sideOf(binder.side.group);
    if (mine !== null && mine === theirs)
      check.add(
        `${peer.side.pointer}/side`,
        `must be ${mine === 'sender' ? 'receiver' : 'sender'}: ${binder.side.label}, the other PAIR of endpoint ${JSON.stringify(endpoint)}, is the ${theirs}${got(mine)}`,
      );
  }
}
