import type { Clock } from '../core/clock.js';
import { contentChecker, describeFrame } from '../protocol/content-check.js';
import { sequenceReader } from '../protocol/feed-sequence.js';
import { EXTERNAL_LIMITS, type ContentCheck, type SequenceLocation } from '../scenario/external-schema.js';
import { ForeignTraffic, type ContentReport } from '../stats/foreign-traffic.js';

/** What to look for in messages without our header (docs/external.md). */
export interface ForeignSpec {
  /** what every such message must be; null: no check */
  check: ContentCheck | null;
  /** where a feed carries its own sequence number; null: none */
  sequence: SequenceLocation | null;
}

/**
 * Looks at each message without our header (from a service zmq-bench did not start): its size
 * and arrival inside the measured window, the group's check on its last frame, and the feed's
 * own sequence number.
 */
export class ForeignInspection {
  private readonly traffic: ForeignTraffic;
  private readonly check: ((frame: Buffer) => boolean) | null;
  private readonly readSequence: ((frame: Buffer) => number | undefined) | null;

  constructor(spec: ForeignSpec) {
    this.traffic = new ForeignTraffic(EXTERNAL_LIMITS.mismatchExamples, spec.sequence !== null);
    this.check = spec.check === null ? null : contentChecker(spec.check);
    this.readSequence = spec.sequence === null ? null : sequenceReader(spec.sequence);
  }

  /** `measured`: inside the measured window, so its size and arrival time count. */
  inspect(frames: readonly Buffer[], bytes: number, measured: boolean, clock: Clock): void {
    if (measured) this.traffic.arrived(bytes, clock.nowNs());
    const last = frames[frames.length - 1]!;
    if (this.check) this.traffic.checkedOne(this.check(last), () => describeFrame(last));
    if (this.readSequence) this.traffic.sequenceNumber(this.readSequence(last));
  }

  /** null when no foreign message arrived and nothing was checked. */
  report(): ContentReport | null {
    return this.traffic.report();
  }
}
