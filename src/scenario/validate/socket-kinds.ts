import { isSender, type Direction, type GroupType, type PairSide, type SocketType } from '../schema.js';

/** Which socket types talk to which, and which directions a group has for pause and resume. */

/** Types that receive data (a pair group too when its `side` is receiver). */
export const RECEIVER_TYPES: readonly SocketType[] = ['sub', 'pull', 'rep', 'router', 'xsub', 'dish'];

/** The types each type can exchange messages with (symmetric). */
export const PEER_TYPES: Readonly<Record<SocketType, readonly SocketType[]>> = {
  pub: ['sub', 'xsub'],
  sub: ['pub', 'xpub'],
  push: ['pull'],
  pull: ['push'],
  req: ['rep', 'router'],
  rep: ['req', 'dealer'],
  dealer: ['router', 'rep'],
  router: ['req', 'dealer'],
  xpub: ['sub', 'xsub'],
  xsub: ['pub', 'xpub'],
  pair: ['pair'],
  radio: ['dish'],
  dish: ['radio'],
};

export function canTalk(a: SocketType, b: SocketType): boolean {
  return PEER_TYPES[a].includes(b);
}

/**
 * The directions a group has, for pause and resume: sending for senders and for a stage's
 * forward; receiving for receivers and for the replies a req or dealer reads. A rep or router
 * only receives here: its reply answers what it read, so pausing its receiving holds both.
 */
export function directionsOf(type: GroupType, hasForward: boolean, side: PairSide | null): Direction[] {
  // a proxy receives and sends (it is never paused: validate/events.ts says why)
  if (type === 'proxy') return ['sending', 'receiving'];
  const out: Direction[] = [];
  if (isSender(type, side) || hasForward) out.push('sending');
  if (
    (RECEIVER_TYPES as readonly string[]).includes(type) ||
    type === 'req' ||
    type === 'dealer' ||
    (type === 'pair' && side === 'receiver')
  )
    out.push('receiving');
  return out;
}
