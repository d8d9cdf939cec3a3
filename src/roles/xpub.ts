import { PubRole } from './pub.js';

/**
 * XPUB: sends like PUB (topics, rate, probes) and reads the subscription messages its
 * subscribers send (byte 1 or 0, then the prefix), which the meter counts. Only new
 * subscriptions reach it unless xpubVerbose is set; through a proxy, those of every subscriber
 * behind it.
 */
export class XPubRole extends PubRole {
  protected override afterConnect(): void {
    super.afterConnect();
    this.receiveLoop(this.main, (frames) => this.meter.recordSubscription(frames));
  }
}
