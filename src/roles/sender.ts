import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { sleep, sleepUnless } from '../core/clock.js';
import type { LastSeq } from '../protocol/control.js';
import { errorCode, type Outgoing, type Sending } from '../engine/engine.js';
import { constantRatePacer, shapePacer, shapeStartPacer, unpacedPacer, waitUntil, type Pacer } from '../pacing/pacer.js';
import { payloadBuilder } from '../protocol/payload.js';
import { framesBytes } from '../meter/role-meter.js';
import { SocketRole } from './role.js';

const PROBE_INTERVAL_MS = 10;
/** Messages sent between two yields to the event loop, so control messages get through. */
const YIELD_EVERY = 512;

/**
 * A role whose main socket originates data: paced sends, one sequence per stream, and a
 * clean stop that reports the last sequence number of each stream. An engine takes one send
 * in flight per socket (zeromq.js, trap 4), so each send is awaited.
 */
export abstract class SenderRole extends SocketRole {
  protected stopRequested = false;
  private sendLoopDone: Promise<void> = Promise.resolve();
  protected probing: Promise<void> | null = null;
  private readonly nextSeq: number[] = Array.from({ length: this.streamCount() }, () => 0);

  /** A pub with topics has one stream per topic; every other sender has one. */
  protected streamCount(): number {
    return 1;
  }

  /** The frames of one message: an envelope (topic, empty delimiter) then the data frame(s). */
  protected abstract frames(stream: number, data: Buffer | Buffer[]): Buffer | Buffer[];

  /**
   * false for a role that holds on to a message after its send (REQ resends its request):
   * only a role that does not may have its data frame stamped again for the next message.
   */
  protected reusesSentFrames(): boolean {
    return true;
  }

  /** Hook for round-trip senders: wait for the reply before the next request. */
  protected afterSend(_data: Buffer | Buffer[]): Promise<void> | undefined {
    return undefined; // no promise: the send loop of a one-way sender awaits nothing extra
  }

  /** Frames for a service that does not know our header (docs/external.md); null: the header. */
  private readonly payload =
    this.plan.payload === null
      ? null
      : payloadBuilder(this.plan.payload, { sourceId: this.plan.sourceId, group: this.plan.group, instance: this.plan.instance });
  /** A payload carries no times or sequence number: round-trip roles keep those of the last one sent. */
  protected lastPayload = { seq: 0, intendedNs: 0n, sentNs: 0n };

  private payloadBody(seq: number, intendedNs: bigint): Buffer[] {
    this.lastPayload = { seq, intendedNs, sentNs: this.host.clock.nowNs() };
    return this.payload!(seq);
  }

  protected override start(): void {
    let done!: () => void;
    this.sendLoopDone = new Promise((resolve) => (done = resolve));
    this.stopProbes = true;
    this.spawn('send', async () => {
      try {
        if (this.probing) await this.probing;
        await this.sendLoop();
      } finally {
        done();
      }
    });
  }

  private async sendLoop(): Promise<void> {
    const { clock } = this.host;
    const { ratePerSec, rateShape, messages } = this.plan;
    const paced = ratePerSec !== null || rateShape !== null;
    const startNs = clock.nowNs();
    let pacer: Pacer;
    // A shape is timed from the start of measurement: a warm-up holds its first rate, and
    // measure() starts the shape afresh (a constant rate just goes on).
    let shapeStarted = rateShape !== null && this.measuring;
    if (rateShape === null) pacer = ratePerSec === null ? unpacedPacer(clock) : constantRatePacer(ratePerSec, startNs);
    else pacer = shapeStarted ? shapePacer(rateShape, startNs, clock) : shapeStartPacer(rateShape, startNs, clock);
    const streams = this.nextSeq.length;
    // An engine that copies on send (SocketEngine.synchronous) lets one data frame serve every
    // message: the next is stamped only after the last send settled (each send is awaited).
    let reusable: Buffer | null = null;
    const reuse = this.host.engine.synchronous && this.payload === null && this.reusesSentFrames();
    let stream = 0;
    let total = 0;
    while (!this.stopRequested && !this.closing && (messages === null || total < messages)) {
      if (this.sendingGate.isClosed) await this.sendingGate.wait();
      if (!shapeStarted && rateShape !== null && this.measuring) {
        pacer = shapePacer(rateShape, this.meter.measureStartNs, clock);
        shapeStarted = true;
      }
      const intended = pacer.next();
      // no await when the message is already due (a sender catching up sends at full speed)
      if (paced && intended > clock.nowNs()) await waitUntil(intended, clock);
      const seq = this.nextSeq[stream]!;
      // One clock read both stamps the frame and measures the send lag. Unpaced, the pacer
      // read the clock just now and nothing came between: that read is the send time.
      const sentNs = paced ? clock.nowNs() : intended;
      let data: Buffer | Buffer[];
      if (reuse)
        data = reusable =
          reusable === null ? this.dataFrame(stream, seq, intended, false, sentNs) : this.restamp(reusable, stream, seq, intended, sentNs);
      else data = this.payload === null ? this.dataFrame(stream, seq, intended, false, sentNs) : this.payloadBody(seq, intended);
      const frames = this.frames(stream, data);
      // Send lag: ~0 for a sender that keeps up; grows when a full queue or a busy event loop
      // holds it back (with `rate: max` the intended time is "now", so it stays ~0).
      this.meter.recordSendLag(sentNs, intended);
      const sent = this.sendTimed(frames); // a promise only when the send waits
      if (!(sent === true || (sent !== false && (await sent)))) {
        await yieldToLoop(); // given up: not sent, its seq is used by the next message
        continue;
      }
      this.nextSeq[stream]!++;
      this.meter.recordSent(framesBytes(data));
      const after = this.afterSend(data);
      if (after) await after;
      stream = stream + 1 === streams ? 0 : stream + 1;
      if (++total % YIELD_EVERY === 0) await yieldToLoop();
    }
    if (!this.stopRequested && !this.closing) this.host.notify({ kind: 'senders-done', roleIds: [this.plan.roleId] });
  }

  /** A `stop` fault: this sender ends early; the run goes on. */
  override stopEarly(): void {
    this.stopRequested = true;
    this.sendingGate.open();
  }

  /**
   * One send, timed when the queue is full (the socket is not writable): that wait is the
   * backpressure signal of PUSH, DEALER and REQ (B17, B18). With `whenBlocked: give-up` the
   * send timeout rejects with EAGAIN and the message counts as not sent.
   */
  private sendTimed(frames: Outgoing): boolean | Promise<boolean> {
    if (this.host.engine.synchronous) {
      // Try first: a send that went at once never waited; only one that waits is timed.
      const sending = this.main.send(frames);
      return sending === undefined ? true : this.settleTimed(() => sending, this.host.clock.nowNs());
    }
    return this.sendTimedAfterCheck(frames);
  }

  /** zeromq.js: every send is a promise, so the socket is asked first whether it will wait. */
  private async sendTimedAfterCheck(frames: Outgoing): Promise<boolean> {
    if (this.main.writable) {
      this.waitedFromNs = null;
      const sending = this.main.send(frames, this.noteWait);
      if (sending) await sending;
      // the socket stopped being writable before the send reached it (trap 27): that wait is blocked time too
      if (this.waitedFromNs !== null) this.meter.recordBlocked(this.waitedFromNs, this.host.clock.nowNs());
      return true;
    }
    const t0 = this.host.clock.nowNs();
    return this.settleTimed(() => this.main.send(frames), t0);
  }

  private waitedFromNs: bigint | null = null;
  private readonly noteWait = (): void => {
    this.waitedFromNs = this.host.clock.nowNs();
  };

  /** A send that found the queue full at t0, timed until it went; false when it was given up (EAGAIN). */
  private async settleTimed(send: () => Sending, t0: bigint): Promise<boolean> {
    try {
      const sending = send();
      if (sending) await sending;
      return true;
    } catch (e) {
      if (this.plan.giveUpAfterMs !== null && errorCode(e) === 'EAGAIN') {
        this.meter.recordNotSent();
        return false;
      }
      throw e;
    } finally {
      this.meter.recordBlocked(t0, this.host.clock.nowNs());
    }
  }

  /**
   * Stops after the current message. A send still blocked after the grace time (PUSH at its
   * HWM with no reader) is abandoned by closing the socket: that message never counts as sent.
   */
  override async stopSending(graceMs: number): Promise<LastSeq[]> {
    this.meter.sendingStopped();
    this.stopRequested = true;
    const finished = !(await sleepUnless(graceMs, this.sendLoopDone));
    if (!finished) {
      this.closing = true;
      this.main.close();
    }
    return this.ownLastSeqs();
  }

  protected override ownLastSeqs(): LastSeq[] {
    return this.nextSeq.map((next, stream) => ({ sourceId: this.plan.sourceId, stream, lastSeq: next - 1 }));
  }

  /** Barrier probes: pub sockets repeat a tiny flagged message on every topic until start. */
  protected stopProbes = false;
  protected startProbes(send: (stream: number, probe: Buffer) => Sending, streams: number): void {
    this.probing = (async () => {
      while (!this.stopProbes && !this.closing) {
        for (let s = 0; s < streams && !this.stopProbes; s++) await send(s, this.dataFrame(s, 0, this.host.clock.nowNs(), true));
        await sleep(PROBE_INTERVAL_MS);
      }
    })().catch(() => {
      /* a socket closed under a probe: the role is finishing */
    });
  }
}
