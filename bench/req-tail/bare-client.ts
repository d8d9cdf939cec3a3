/**
 * The bare zeromq.js REQ client of bench/req-tail.ts: one request at a time against a REP it
 * did not start, paced as zmq-bench's REQ is paced (each request due at start + i / rate,
 * waited for with zmq-bench's own `waitUntil`), each round trip timed with process.hrtime
 * around send and receive. Nothing else of zmq-bench: no roles, header, histograms, sampler or
 * control port. Runs on the thread that imports it (the main thread) or in a worker
 * (bare-client-worker.ts).
 */
import * as zmq from 'zeromq';
import { monotonicClock } from '../../src/core/clock.js';
import { waitUntil } from '../../src/pacing/pacer.js';

export interface PacedClientOptions {
  address: string;
  /** requests per second; 0: back to back */
  ratePerSec: number;
  warmupMs: number;
  durationMs: number;
  payload: string;
}

/** Round trips kept after the warm-up, in order: their length and their start (ns from the first kept one). */
export interface RoundTrips {
  rttNs: number[];
  atNs: number[];
}

export async function pacedRoundTrips(o: PacedClientOptions): Promise<RoundTrips> {
  const req = new zmq.Request();
  req.linger = 0;
  req.connect(o.address);
  const intervalNs = o.ratePerSec > 0 ? 1e9 / o.ratePerSec : 0;
  const start = monotonicClock.nowNs();
  const keepFrom = start + BigInt(Math.round(o.warmupMs * 1e6));
  const stopAt = keepFrom + BigInt(Math.round(o.durationMs * 1e6));
  const out: RoundTrips = { rttNs: [], atNs: [] };
  try {
    for (let i = 0; ; i++) {
      const due = start + BigInt(Math.round(i * intervalNs));
      if (monotonicClock.nowNs() >= stopAt) break;
      await waitUntil(due, monotonicClock);
      const t0 = process.hrtime.bigint();
      await req.send(o.payload);
      await req.receive();
      const t1 = process.hrtime.bigint();
      if (t0 >= keepFrom) {
        out.rttNs.push(Number(t1 - t0));
        out.atNs.push(Number(t0 - keepFrom));
      }
    }
  } finally {
    req.close();
  }
  return out;
}
