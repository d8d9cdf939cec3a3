/**
 * Micro-benchmarks of the per-message hot path (header, histogram, sequence tracking) and of the
 * end-of-run merge. Run: `npm run bench` (or `node dist/bench/micro.js` after a build).
 *
 * Most operations take tens of ns, less than a timer read, so each sample times a batch of
 * BATCH calls and reports the per-call mean through `overriddenDuration` (tinybench's documented
 * way to batch). Hence p99 is the p99 of batch means, not of single calls.
 */
import os from 'node:os';
import { Bench, type FnReturnedObject, type Task } from 'tinybench';
import { decodeHeader, encodeHeader, type Header } from '../src/protocol/header.js';
import {
  createLatencyHistogram,
  createRecordingHistogram,
  enableWasmHistograms,
  encodeHistogram,
  mergeEncoded,
  recordNs,
  releaseHistogram,
} from '../src/stats/histogram.js';
import { SequenceTracker } from '../src/stats/sequence-tracker.js';
import { constantRatePacer, rampPacer } from '../src/pacing/pacer.js';
import { mulberry32 } from '../src/core/prng.js';

const BATCH = 1000;
const MERGE_PARTS = 1000;

/** Per-call duration of a batch that started at t0, for tinybench. */
function perCall(t0: bigint, calls: number): FnReturnedObject {
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  return { overriddenDuration: ms / calls, overriddenIterationCost: ms };
}

// Realistic latencies (log-uniform 1 µs .. 10 ms) so recording touches many buckets.
const rand = mulberry32(8);
const MASK = 4095;
const latencies = Array.from({ length: MASK + 1 }, () => Math.round(Math.exp(Math.log(1e3) + rand() * Math.log(1e4))));

const header: Header = {
  flags: 0,
  stream: 3,
  sourceId: 42,
  seq: 123_456,
  intendedNs: 1_000_000_000n,
  sentNs: 1_000_000_500n,
};
const frame = encodeHeader(64, header);

export interface MicroRow {
  task: string;
  /** mean ns per call (per batch call for the fast tasks) */
  nsPerOp: number;
  p99Ns: number;
  /** relative margin of error of the mean, % */
  rmePct: number;
  samples: number;
}

/** Every micro-benchmark, as rows (bench/all.ts collects them into bench/results/latest.json). */
export async function runMicro(): Promise<MicroRow[]> {
  if (!(await enableWasmHistograms())) throw new Error('WebAssembly histograms could not be initialised');
  const jsHist = createLatencyHistogram();
  const rawJsHist = createLatencyHistogram();
  // As the roles record: createRecordingHistogram() is WASM once enabled.
  const wasmHist = createRecordingHistogram();
  const rawWasmHist = createRecordingHistogram();

  const inOrder = new SequenceTracker('exclusive');
  let inOrderSeq = 0;
  const interleaved = new SequenceTracker('exclusive');
  const interleavedSeq = [0, 0, 0, 0];

  // 1,000 parts as the workers would ship them, each with 10,000 samples.
  const encodedParts: string[] = [];
  for (let p = 0; p < MERGE_PARTS; p++) {
    const h = createLatencyHistogram();
    for (let i = 0; i < 10_000; i++) recordNs(h, latencies[(p * 7 + i) & MASK]!);
    encodedParts.push(encodeHistogram(h));
  }

  let sink = 0; // keeps results alive so V8 cannot drop the work
  // Intended send times as the sender asks for them (the wait itself is not measured here).
  const constantPacer = constantRatePacer(50_000, 0n);
  const rampingPacer = rampPacer(1000, 50_000, 3_600_000, 0n);

  const fast = new Bench({ time: 500, warmupTime: 100 });
  fast
    .add('encodeHeader (64 B)', () => {
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < BATCH; i++) sink += encodeHeader(64, header).length;
      return perCall(t0, BATCH);
    })
    .add('encodeHeader (1 KiB)', () => {
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < BATCH; i++) sink += encodeHeader(1024, header).length;
      return perCall(t0, BATCH);
    })
    .add('decodeHeader', () => {
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < BATCH; i++) sink += decodeHeader(frame)!.seq;
      return perCall(t0, BATCH);
    })
    .add('decodeHeader + both latencies', () => {
      // What the receiver does per message: the two latencies against one clock read.
      const t0 = process.hrtime.bigint();
      const now = Number(t0);
      for (let i = 0; i < BATCH; i++) {
        const h = decodeHeader(frame)!;
        sink += now - h.intendedNsNumber + (now - h.sentNsNumber);
      }
      return perCall(t0, BATCH);
    })
    .add('recordNs (JS hdr)', () => {
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < BATCH; i++) recordNs(jsHist, latencies[i & MASK]!);
      return perCall(t0, BATCH);
    })
    .add('recordValue (JS hdr, raw)', () => {
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < BATCH; i++) rawJsHist.recordValue(latencies[i & MASK]!);
      return perCall(t0, BATCH);
    })
    .add('recordNs (WASM hdr)', () => {
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < BATCH; i++) recordNs(wasmHist, latencies[i & MASK]!);
      return perCall(t0, BATCH);
    })
    .add('recordValue (WASM hdr, raw)', () => {
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < BATCH; i++) rawWasmHist.recordValue(latencies[i & MASK]!);
      return perCall(t0, BATCH);
    })
    .add('pacer.next (constant rate)', () => {
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < BATCH; i++) sink += Number(constantPacer.next() & 1n);
      return perCall(t0, BATCH);
    })
    .add('pacer.next (ramp)', () => {
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < BATCH; i++) sink += Number(rampingPacer.next() & 1n);
      return perCall(t0, BATCH);
    })
    .add('SequenceTracker.record in order', () => {
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < BATCH; i++) inOrder.record(1, 0, inOrderSeq++);
      return perCall(t0, BATCH);
    })
    .add('SequenceTracker.record 4 streams', () => {
      // Alternating streams defeats the one-entry cache: the Map lookup path.
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < BATCH; i++) {
        const s = i & 3;
        interleaved.record(7, s, interleavedSeq[s]!++);
      }
      return perCall(t0, BATCH);
    });

  // One call merges 1,000 histograms and takes far longer: few iterations.
  const slow = new Bench({ time: 500, iterations: 5, warmupTime: 0, warmupIterations: 1 });
  slow.add(`mergeEncoded(${MERGE_PARTS} parts)`, () => {
    sink += mergeEncoded(encodedParts).totalCount;
  });

  const tasks: Task[] = [...(await fast.run()), ...(await slow.run())];
  releaseHistogram(wasmHist); // WASM memory is not garbage-collected
  releaseHistogram(rawWasmHist);
  if (sink === -1) console.log(sink);
  return tasks.map((t) => {
    const r = t.result;
    if (r.state !== 'completed') throw new Error(`micro-benchmark ${t.name}: ${r.state === 'errored' ? r.error.message : r.state}`);
    return {
      task: t.name,
      nsPerOp: r.latency.mean * 1e6,
      p99Ns: r.latency.p99 * 1e6,
      rmePct: r.latency.rme,
      samples: r.latency.samplesCount,
    };
  });
}

if (process.argv[1]?.endsWith('micro.js')) {
  const rows = await runMicro();
  const cpus = os.cpus();
  console.log(`machine: ${cpus[0]?.model ?? 'unknown CPU'}, ${cpus.length} cores, Node ${process.version}`);
  console.log(`(fast tasks: batches of ${BATCH} calls; p99 is over batch means)\n`);
  console.table(
    rows.map((r) => ({ task: r.task, 'ns/op': fmt(r.nsPerOp), 'p99 ns': fmt(r.p99Ns), 'rme %': r.rmePct.toFixed(2), samples: r.samples })),
  );
}

function fmt(ns: number): string {
  return ns.toLocaleString('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
}
