/**
 * The smallest correct zeromq.js REQ/REP round-trip loop: one REP (binds) and one REQ
 * (connects) in two worker threads of this process, one request at a time; the REQ times each
 * round trip after a warm-up and reports p50/p99 of the sorted samples.
 *
 * Run alone: `node dist/bench/bare/req-rep.js [inproc|ipc|tcp] [size] [durationMs]`.
 */
import { pathToFileURL } from 'node:url';
import { BareWorker, bareEndpoint, type BareTransport } from './common.js';
import type { ClientResult, ReqRepWorkerData, ServerResult } from './req-rep-worker.js';

export interface BareRoundTripOptions {
  transport: BareTransport;
  sizeBytes: number;
  warmupMs: number;
  durationMs: number;
  /** the measuring floor instead of the bare loop (measuring.ts) */
  measure?: boolean;
}

export interface BareRoundTripResult extends ClientResult {
  transport: BareTransport;
  sizeBytes: number;
  /** roundTrips / seconds */
  roundTripsPerSec: number;
  /** requests the REP answered, warm-up included */
  served: number;
}

const WORKER = new URL('./req-rep-worker.js', import.meta.url);

export async function bareReqRep(o: BareRoundTripOptions): Promise<BareRoundTripResult> {
  const endpoint = bareEndpoint(o.transport);
  const data = (role: ReqRepWorkerData['role'], address: string): ReqRepWorkerData => ({
    role,
    sizeBytes: o.sizeBytes,
    address,
    warmupMs: o.warmupMs,
    durationMs: o.durationMs,
    measure: o.measure ?? false,
  });
  let server: BareWorker | null = null;
  let client: BareWorker | null = null;
  let stopping: Promise<ServerResult> | null = null;
  const stopOnce = () => (stopping ??= stop(server, client));
  try {
    server = new BareWorker(WORKER, data('server', endpoint.bind));
    const { endpoint: bound } = await server.next('bound');
    client = new BareWorker(WORKER, data('client', bound));
    const c = (await client.next('result', o.warmupMs + o.durationMs + 15_000)).result as ClientResult;
    const s = await stopOnce();
    return { transport: o.transport, sizeBytes: o.sizeBytes, ...c, roundTripsPerSec: c.roundTrips / c.seconds, served: s.served };
  } finally {
    if (!stopping) await stopOnce().catch(() => {});
    endpoint.dispose();
  }
}

/**
 * The client has closed its socket (it stops by itself); the server, idle now, closes; both
 * have collected their garbage before they report, then the threads end one after the other.
 * (At 64 B nothing crosses threads without a copy; over 128 B each side holds the other's
 * buffers, so only that garbage collection protects them: docs/zeromq-traps.md trap 16.)
 */
async function stop(server: BareWorker | null, client: BareWorker | null): Promise<ServerResult> {
  server?.post({ kind: 'stop' });
  const s = server ? ((await server.next('result')).result as ServerResult) : { served: 0 };
  client?.post({ kind: 'exit' });
  const clientCode = await client?.exited;
  server?.post({ kind: 'exit' });
  const codes = [clientCode, await server?.exited];
  if (codes.some((c) => c !== undefined && c !== 0)) throw new Error(`a worker exited with code ${codes.join(', ')}`);
  return s;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [transport = 'inproc', size = '64', duration = '1000'] = process.argv.slice(2);
  const r = await bareReqRep({
    transport: transport as BareTransport,
    sizeBytes: Number(size),
    warmupMs: 200,
    durationMs: Number(duration),
  });
  console.log(JSON.stringify(r));
}
