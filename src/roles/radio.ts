import { PubRole } from './pub.js';

/**
 * RADIO (draft API): each message goes to one group, the group's `topics` in turn, each group a
 * stream of its own, so that a dish counts its loss exactly. A message is [group, body], which
 * the engine sends as the body with its group set (RADIO takes no multipart). Like PUB, it
 * never blocks: a message nobody joined, or that finds a full queue, is dropped.
 */
export class RadioRole extends PubRole {}
