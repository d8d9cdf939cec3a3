import { SenderRole } from './sender.js';

const EMPTY = Buffer.alloc(0);

/**
 * DEALER: asynchronous requests, up to `window` in flight, replies read by a loop of
 * their own. Requests carry an empty delimiter frame so that REP peers accept them too.
 */
export class DealerRole extends SenderRole {
  private slotFreed: (() => void) | null = null;

  protected frames(_stream: number, data: Buffer): Buffer[] {
    return [EMPTY, data];
  }

  protected override afterConnect(): void {
    this.receiveLoop(this.main, (frames, header) => {
      const reply = frames[frames.length - 1]!;
      if (!header) {
        this.received++;
        this.misrouted++;
      } else {
        if (header.sourceId !== this.plan.sourceId) this.misrouted++;
        this.recordArrival(header, reply.length);
      }
      this.slotFreed?.();
      this.slotFreed = null;
    });
  }

  protected override async afterSend(): Promise<void> {
    while (this.sent - this.received >= this.plan.window && !this.stopRequested && !this.closing) {
      await new Promise<void>((resolve) => (this.slotFreed = resolve));
    }
  }
}
