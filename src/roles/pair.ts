import { ReceiverRole } from './receiver.js';
import { SenderRole } from './sender.js';

/**
 * PAIR: two sockets, one on each side of an endpoint (validation allows no third). The group
 * whose `side` is sender sends; the other receives. Like PUSH, a PAIR never drops: at the
 * high-water mark, or with no peer yet, its send waits.
 */
export class PairSenderRole extends SenderRole {
  protected frames(_stream: number, data: Buffer | Buffer[]): Buffer | Buffer[] {
    return data;
  }
}

/** PAIR, the receiving side: reads its one peer, as PULL reads its pushers. */
export class PairReceiverRole extends ReceiverRole {}
