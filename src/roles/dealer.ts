import type { SentRequest } from '../meter/role-meter.js';
import { SenderRole } from './sender.js';

const EMPTY = Buffer.alloc(0);

/**
 * DEALER: asynchronous requests, up to `window` in flight, replies read by a loop of
 * their own. Requests carry an empty delimiter frame so that REP peers accept them too.
 */
export class DealerRole extends SenderRole {
  private slotFreed: (() => void) | null = null;
  /** payload mode: requests in flight, oldest first; a service without our header is assumed to answer in order */
  private readonly inFlight: SentRequest[] = [];

  protected frames(_stream: number, data: Buffer | Buffer[]): Buffer[] {
    return Array.isArray(data) ? [EMPTY, ...data] : [EMPTY, data];
  }

  protected override afterConnect(): void {
    this.receiveLoop(this.main, (frames, header) => {
      const reply = frames[frames.length - 1]!;
      const request = this.plan.payload === null ? undefined : this.inFlight.shift();
      if (request) this.meter.recordForeignReply(frames, request);
      else if (!header) {
        this.meter.recordHeaderless();
        this.meter.recordMisrouted();
      } else {
        if (header.sourceId !== this.plan.sourceId) this.meter.recordMisrouted();
        this.meter.recordArrival(header, reply.length);
      }
      this.slotFreed?.();
      this.slotFreed = null;
    });
  }

  protected override async afterSend(): Promise<void> {
    if (this.plan.payload !== null) this.inFlight.push({ ...this.lastPayload, measuring: this.measuring });
    while (this.meter.sentSoFar - this.meter.receivedSoFar >= this.plan.window && !this.stopRequested && !this.closing) {
      await new Promise<void>((resolve) => (this.slotFreed = resolve));
    }
  }
}
