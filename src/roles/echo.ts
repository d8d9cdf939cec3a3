import { SocketRole } from './role.js';

/**
 * REP and ROUTER as servers: every request is sent straight back, envelope and all
 * (ROUTER's identity frame, the empty delimiter of a REQ or DEALER peer), after the
 * configured processing time. The client measures the round trip.
 */
export abstract class EchoRole extends SocketRole {
  protected override afterConnect(): void {
    this.receiveLoop(this.main, async (frames, header) => {
      if (header) this.meter.recordArrival(header, frames[frames.length - 1]!.length);
      else this.meter.recordHeaderless();
      await this.processingDelay();
      const sending = this.main.send(this.host.engine.resendable(frames));
      if (sending) await sending;
      this.meter.recordSent(frames[frames.length - 1]!.length);
      // B1: a rep that sends before its next receive
      if (this.plan.misuse === 'reply-first') await this.misusedSend();
    });
  }

  protected override start(): void {}
}
