import { sleep } from '../core/clock.js';
import type { Header } from '../protocol/header.js';
import { SocketRole, isProbe } from './role.js';

/**
 * PULL, SUB, DISH and a PAIR's receiver: read from the moment they connect (so barrier probes are
 * seen, and a bound DISH takes its connections, trap 36), count every
 * data message, spend the configured processing time, and in a pipeline stage pass each
 * message on unchanged, header included, so the sink measures end to end.
 */
export abstract class ReceiverRole extends SocketRole {
  private probesSeen = new Set<number>();
  private forwardProbing: Promise<void> | null = null;
  private stopForwardProbes = false;
  /** xpub welcome messages: a one-frame message equal to one is a greeting, not data (nor foreign traffic) */
  private readonly welcomes = this.plan.welcomes.map((w) => Buffer.from(w));

  protected override afterConnect(): void {
    if (this.forwardSocket && this.plan.sendsProbes) this.startForwardProbes();
    this.receiveLoop(this.main, (frames, header) => this.onMessage(frames, header));
  }

  /** Returns a promise only when there is something to wait for, so the receive loop's hot path awaits nothing. */
  private onMessage(frames: Buffer[], header: Header | undefined): Promise<void> | undefined {
    if (this.welcomes.length > 0 && frames.length === 1 && this.welcomes.some((w) => w.equals(frames[0]!))) {
      this.meter.recordWelcome();
      return undefined;
    }
    if (header && isProbe(header)) {
      this.probesSeen.add(header.sourceId);
      return undefined;
    }
    this.meter.recordPrefix(frames[0]!);
    if (header) this.meter.recordArrival(header, frames[frames.length - 1]!.length);
    else this.meter.recordForeign(frames); // not one of ours: counted and inspected, not tracked
    if (!this.hasDelay && !this.forwardSocket) return undefined;
    return this.processAndForward(frames);
  }

  private async processAndForward(frames: Buffer[]): Promise<void> {
    await this.processingDelay();
    if (this.forwardSocket) {
      if (this.forwardProbing) await this.forwardProbing;
      const sending = this.forwardSocket.send(this.host.engine.resendable(frames));
      if (sending) await sending;
      this.meter.recordSent(frames[frames.length - 1]!.length);
    }
  }

  protected override extraBarrierWaits(): string[] {
    const missing = this.plan.probesFrom.filter((id) => !this.probesSeen.has(id));
    const senders = this.plan.socket.type === 'dish' ? 'radios' : 'publishers';
    return missing.length > 0 ? [`subscription not yet in effect at ${missing.length} of ${this.plan.probesFrom.length} ${senders}`] : [];
  }

  protected override start(): void {
    this.stopForwardProbes = true;
  }

  /** A stage that forwards through a pub announces itself to the subscribers downstream. */
  private startForwardProbes(): void {
    const socket = this.forwardSocket!;
    this.forwardProbing = (async () => {
      while (!this.stopForwardProbes && !this.closing) {
        await socket.send(this.dataFrame(0, 0, this.host.clock.nowNs(), true));
        await sleep(10);
      }
    })().catch(() => {
      /* the socket closed under a probe: the role is finishing */
    });
  }
}
