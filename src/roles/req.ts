import { decodeHeader } from '../protocol/header.js';
import type { RequestFigures } from '../protocol/control.js';
import { errorCode } from '../engine/engine.js';
import type { SentRequest } from '../meter/role-meter.js';
import { SenderRole } from './sender.js';

/**
 * REQ: strictly send, then receive the reply (B1), so it is closed-loop: the next request
 * waits for the reply. The reply must carry this socket's own source id and the sequence
 * number just sent; anything else is counted as misrouted (B3).
 *
 * A plain REQ whose server dies with its request waits for ever (B4): that request is
 * `stalled`. With `retry` it is the lazy pirate of seed 003 (B5): the socket's receive
 * timeout ends the wait, the socket is closed with linger 0, a new one connects and the
 * same request is sent again, `retries` times at most, then the request is abandoned.
 */
export class ReqRole extends SenderRole {
  private waitingSinceNs = 0n;
  /** settled when the request in flight has its reply, or is given up */
  private replyAwaited: Promise<void> | null = null;
  private readonly figures: RequestFigures = { stalled: 0, stalledMs: 0, retries: 0, recovered: 0, abandoned: 0, recoveryMs: 0 };

  protected frames(_stream: number, data: Buffer | Buffer[]): Buffer | Buffer[] {
    return data;
  }

  /** A request is kept for its resends (retries) until its reply comes. */
  protected override reusesSentFrames(): boolean {
    return false;
  }

  protected override async afterSend(request: Buffer | Buffer[]): Promise<void> {
    const sent = { ...this.lastPayload, measuring: this.measuring };
    if (this.plan.misuse === 'send-twice') await this.misusedSend();
    const { clock } = this.host;
    this.waitingSinceNs = clock.nowNs();
    let settle!: () => void;
    this.replyAwaited = new Promise<void>((resolve) => (settle = resolve));
    try {
      await this.awaitReply(request, sent);
    } finally {
      this.replyAwaited = null;
      settle();
    }
  }

  override roundTripInFlight(): Promise<void> | null {
    return this.replyAwaited;
  }

  private async awaitReply(request: Buffer | Buffer[], sent: SentRequest): Promise<void> {
    const { clock } = this.host;
    let firstTimeoutNs = 0n;
    for (let attempt = 0; ; attempt++) {
      try {
        const next = this.main.receive();
        const frames = Array.isArray(next) ? next : await next;
        this.waitingSinceNs = 0n;
        if (attempt > 0) {
          this.figures.recovered++;
          this.figures.recoveryMs = Math.max(this.figures.recoveryMs, Number(clock.nowNs() - firstTimeoutNs) / 1e6);
        }
        if (this.plan.payload !== null) this.meter.recordForeignReply(frames, sent);
        else this.onReply(frames[frames.length - 1]!, request as Buffer);
        return;
      } catch (e) {
        const retry = this.plan.retry;
        if (!retry || this.closing || errorCode(e) !== 'EAGAIN') throw e;
        if (firstTimeoutNs === 0n) firstTimeoutNs = clock.nowNs();
        this.reopen();
        if (attempt >= retry.retries) {
          this.figures.abandoned++;
          this.waitingSinceNs = 0n;
          return;
        }
        this.figures.retries++;
        // A sent frame must not be sent again as it is (docs/zeromq-traps.md 3).
        const sending = this.main.send(this.host.engine.resendable(Array.isArray(request) ? request : [request]));
        if (sending) await sending;
      }
    }
  }

  private onReply(reply: Buffer, request: Buffer): void {
    const header = decodeHeader(reply);
    if (!header) {
      this.meter.recordHeaderless();
      this.meter.recordMisrouted();
      return;
    }
    if (header.sourceId !== this.plan.sourceId || !reply.subarray(8, 16).equals(request.subarray(8, 16))) this.meter.recordMisrouted();
    this.meter.recordArrival(header, reply.length);
  }

  /** Lazy pirate: a REQ that lost its reply is stuck in its state machine; only a new socket helps. */
  private reopen(): void {
    this.main.close();
    this.main = this.host.engine.open(this.plan.socket);
    for (const endpoint of this.plan.socket.connect) for (const address of this.connectedTo[endpoint] ?? []) this.main.connect(address);
  }

  protected override requestFigures(): RequestFigures {
    const stalled = this.waitingSinceNs > 0n;
    return {
      ...this.figures,
      stalled: stalled ? 1 : 0,
      stalledMs: stalled ? Number(this.host.clock.nowNs() - this.waitingSinceNs) / 1e6 : 0,
    };
  }
}
