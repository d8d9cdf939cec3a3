import { SenderRole } from './sender.js';

/**
 * PUB: with topics, each message is [topic, data], the topics taken in turn, and each topic
 * is a stream of its own so a subscriber with a prefix filter can count its loss exactly.
 * Never blocks at the HWM: it drops.
 */
export class PubRole extends SenderRole {
  private readonly topicFrames = this.plan.topics.map((t) => Buffer.from(t));

  protected override streamCount(): number {
    return Math.max(1, this.plan.topics.length);
  }

  protected frames(stream: number, data: Buffer | Buffer[]): Buffer | Buffer[] {
    if (this.topicFrames.length === 0) return data;
    return Array.isArray(data) ? [this.topicFrames[stream]!, ...data] : [this.topicFrames[stream]!, data];
  }

  protected override afterConnect(): void {
    if (this.plan.sendsProbes) this.startProbes((s, probe) => this.main.send(this.frames(s, probe)), this.streamCount());
  }
}
