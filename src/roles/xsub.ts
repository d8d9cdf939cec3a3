import { ReceiverRole } from './receiver.js';

/** The first byte of a subscription message (0 unsubscribes). */
const SUBSCRIBE = 1;

/**
 * XSUB: receives like SUB, but subscribes by sending each prefix as a message, byte 1 then the
 * prefix. libzmq keeps them and sends them to every publisher that connects later too, so they
 * go once the loops start; the start barrier's probes say when they are in effect.
 */
export class XSubRole extends ReceiverRole {
  protected override afterConnect(): void {
    super.afterConnect();
    this.spawn('subscribe', async () => {
      for (const prefix of this.plan.subscribe) {
        const sending = this.main.send(Buffer.concat([Buffer.of(SUBSCRIBE), Buffer.from(prefix)]));
        if (sending) await sending;
      }
    });
  }
}
