import { decodeHeader } from '../protocol/header.js';
import { SenderRole } from './sender.js';

/**
 * REQ: strictly send, then receive the reply (B1), so it is closed-loop: the next request
 * waits for the reply. The reply must carry this socket's own source id and the sequence
 * number just sent; anything else is counted as misrouted (B3).
 */
export class ReqRole extends SenderRole {
  protected frames(_stream: number, data: Buffer): Buffer {
    return data;
  }

  protected override async afterSend(request: Buffer): Promise<void> {
    const frames = await this.main.receive();
    const reply = frames[frames.length - 1]!;
    const header = decodeHeader(reply);
    if (!header) {
      this.received++;
      this.misrouted++;
      return;
    }
    if (header.sourceId !== this.plan.sourceId || !reply.subarray(8, 16).equals(request.subarray(8, 16))) this.misrouted++;
    this.recordArrival(header, reply.length);
  }
}
