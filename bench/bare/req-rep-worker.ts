/**
 * The two roles of the bare REQ/REP round-trip loop, one per worker thread (see req-rep.ts).
 * As libzmq's local_lat/remote_lat: one request at a time; the REP sends each request back.
 * The REQ times every round trip with process.hrtime.bigint and keeps the samples after warm-up.
 * With `measure` (the measuring floor, measuring.ts), the REQ also stamps each request, checks
 * `writable` and measures each reply, and the REP measures each request, as zmq-bench's REQ and
 * REP roles must; the round trip is still timed the same way, so the two compare like for like.
 */
import { workerData } from 'node:worker_threads';
import * as zmq from 'zeromq';
import { percentile } from './common.js';
import { done, post, received, releaseReceivedMessages } from './worker-side.js';
import { checkedSend, measuringArrival, measuringStamp } from './measuring.js';

/** Imported by the main thread as types only: importing this module runs a role. */
export interface ReqRepWorkerData {
  role: 'client' | 'server';
  sizeBytes: number;
  /** server: where to bind; client: where to connect (the server's lastEndpoint) */
  address: string;
  warmupMs: number;
  durationMs: number;
  /** the measuring floor: stamp, check, decode, track and record per message */
  measure: boolean;
}

export interface ClientResult {
  /** round trips timed after warm-up */
  roundTrips: number;
  /** length of the measured time, s */
  seconds: number;
  p50Us: number;
  p99Us: number;
  meanUs: number;
  /** replies whose length was not sizeBytes; 0 unless something is broken */
  wrongSize: number;
}
export interface ServerResult {
  served: number;
}

zmq.context.blocky = false;

const data = workerData as ReqRepWorkerData;

/**
 * The REP: sends each request back until told to stop. The sockets live in these functions
 * only: once they return, nothing reachable holds a socket or a received buffer, so the
 * garbage collection below can release them all (a socket still referenced from module scope
 * kept its last message alive, and the thread's teardown released it too late).
 */
async function serve(): Promise<ServerResult> {
  const rep = new zmq.Reply();
  rep.linger = 0;
  await rep.bind(data.address);
  post({ kind: 'bound', endpoint: rep.lastEndpoint ?? data.address });
  // The client has its result, and has closed its socket, before the server is told to stop.
  const closed = received('stop').then(() => rep.close());
  let served = 0;
  const arrival = data.measure ? await measuringArrival() : null;
  try {
    for await (const [request] of rep) {
      arrival?.(request!);
      // A received frame over 128 B wraps libzmq's memory: copy it before sending it again.
      await rep.send(request!.length > 128 ? Buffer.from(request!) : request!);
      served++;
    }
  } catch (e) {
    if (!rep.closed) throw e;
  }
  await closed;
  return { served };
}

/** The REQ: one request at a time, each round trip timed, for warm-up + duration. */
async function ask(): Promise<ClientResult> {
  const req = new zmq.Request();
  req.linger = 0;
  req.connect(data.address);
  post({ kind: 'connected' });
  const start = process.hrtime.bigint();
  const measureFrom = start + BigInt(Math.round(data.warmupMs * 1e6));
  const measureTo = measureFrom + BigInt(Math.round(data.durationMs * 1e6));
  const samples: number[] = [];
  let wrongSize = 0;
  const stamp = data.measure ? await measuringStamp(data.sizeBytes) : null;
  const arrival = data.measure ? await measuringArrival() : null;
  for (let seq = 0; ; seq++) {
    const t0 = process.hrtime.bigint();
    if (t0 >= measureTo) break;
    if (stamp) await checkedSend(req, stamp(seq));
    else await req.send(Buffer.alloc(data.sizeBytes));
    const [reply] = await req.receive();
    const t1 = process.hrtime.bigint();
    arrival?.(reply!);
    if (reply!.length !== data.sizeBytes) wrongSize++;
    if (t0 >= measureFrom) samples.push(Number(t1 - t0));
  }
  req.close();
  const sorted = Float64Array.from(samples).sort();
  let sum = 0;
  for (const s of sorted) sum += s;
  return {
    roundTrips: sorted.length,
    seconds: data.durationMs / 1000,
    p50Us: percentile(sorted, 50) / 1000,
    p99Us: percentile(sorted, 99) / 1000,
    meanUs: sorted.length > 0 ? sum / sorted.length / 1000 : Number.NaN,
    wrongSize,
  };
}

const result = data.role === 'server' ? await serve() : await ask();
await releaseReceivedMessages();
await done(result);
