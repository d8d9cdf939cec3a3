/**
 * The "measuring floor" of bench/overhead.ts: the least per-message work a harness needs to
 * measure what zmq-bench measures, done with zmq-bench's own primitives and none of its
 * structure (no roles, gates, pacer, counters, control channel or coordinator). The bare loops
 * call these when their workerData says `measure`.
 */
import type * as zmq from 'zeromq';
import { decodeHeader, encodeHeaderFields } from '../../src/protocol/header.js';
import { createRecordingHistogram, enableWasmHistograms, recordNs } from '../../src/stats/histogram.js';
import { SequenceTracker } from '../../src/stats/sequence-tracker.js';

/** Stamps each message as a sender at `rate: max` does: sequence number, intended and actual send time; records the send lag twice (the run's and the interval's histogram). */
export async function measuringStamp(sizeBytes: number): Promise<(seq: number) => Buffer> {
  await enableWasmHistograms();
  const lag = createRecordingHistogram();
  const intervalLag = createRecordingHistogram();
  return (seq) => {
    // rate: max: the intended time is now (one clock read), the send stamps its own
    const intended = process.hrtime.bigint();
    const sentNs = process.hrtime.bigint();
    const lagNs = Number(sentNs) - Number(intended);
    recordNs(lag, lagNs);
    recordNs(intervalLag, lagNs);
    return encodeHeaderFields(sizeBytes, 0, 0, 1, seq, intended, sentNs);
  };
}

/** A send that checks `writable` first, so that the time spent blocked can be timed (B17, B18). Returns the ns blocked. */
export async function checkedSend(socket: zmq.Push | zmq.Request, frame: Buffer): Promise<number> {
  if (socket.writable) {
    await socket.send(frame);
    return 0;
  }
  const t0 = process.hrtime.bigint();
  await socket.send(frame);
  return Number(process.hrtime.bigint() - t0);
}

/** What each arrival costs: decode the header, read the clock, track the sequence number, record both latencies twice. */
export async function measuringArrival(): Promise<(msg: Buffer) => void> {
  await enableWasmHistograms();
  const histograms = [
    createRecordingHistogram(),
    createRecordingHistogram(),
    createRecordingHistogram(),
    createRecordingHistogram(),
  ] as const;
  const tracker = new SequenceTracker('exclusive');
  return (msg) => {
    const header = decodeHeader(msg);
    if (header === undefined) throw new Error('a message without the header');
    const now = Number(process.hrtime.bigint());
    tracker.record(header.sourceId, header.stream, header.seq);
    const latency = now - header.intendedNsNumber;
    const fromSend = now - header.sentNsNumber;
    recordNs(histograms[0], latency);
    recordNs(histograms[1], latency);
    recordNs(histograms[2], fromSend);
    recordNs(histograms[3], fromSend);
  };
}
