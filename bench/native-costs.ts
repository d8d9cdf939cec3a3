/**
 * Where a message's time goes on the native engine (issue 19): each per-message item timed alone
 * in one thread, in batches that alternate (send a batch, receive it), so queues stay short.
 * Items: the writable check (a getsockopt), a send and a receive through the engine seam
 * over inproc at 64 B and 1 KiB, a clock read, a header stamp and decode, and a histogram record.
 * A 2-thread run adds what one thread cannot show (the other core, cache lines shared between
 * them, libzmq's I/O thread for tcp): compare with bench/overhead.
 *
 * `node dist/bench/native-costs.js [batches]` (default 200 batches of 500 messages per item).
 */
import { pathToFileURL } from 'node:url';
import { loadNativeEngine } from '../src/engine/native/native-engine.js';
import { decodeHeader, encodeHeaderInto, HEADER_BYTES } from '../src/protocol/header.js';
import { createRecordingHistogram, enableWasmHistograms, recordNs } from '../src/stats/histogram.js';
import { spread } from './spread.js';

const BATCH = 500;

export interface CostRow {
  item: string;
  /** median and range of the per-batch means, ns per call */
  ns: { median: number; min: number; max: number };
}

function timeBatches(batches: number, body: () => void): CostRow['ns'] {
  const means: number[] = [];
  for (let b = 0; b < batches; b++) {
    const t0 = process.hrtime.bigint();
    body();
    means.push(Number(process.hrtime.bigint() - t0) / BATCH);
  }
  return spread(means.slice(Math.floor(batches / 10))); // the first tenth warms the JIT up
}

export async function runNativeCosts(batches = 200): Promise<{ library: string; rows: CostRow[] } | { skipped: string }> {
  const loaded = loadNativeEngine();
  if ('reason' in loaded) return { skipped: loaded.reason };
  const engine = loaded.engine;
  await enableWasmHistograms();
  const rows: CostRow[] = [];
  const probe = engine.open({ type: 'push', options: {}, curve: null });
  let writable = 0;
  rows.push({
    item: 'writable (zmq_getsockopt ZMQ_EVENTS, which the sender no longer asks per message)',
    ns: timeBatches(batches, () => {
      for (let i = 0; i < BATCH; i++) if (probe.writable) writable++;
    }),
  });
  probe.close();
  for (const size of [64, 1024]) {
    const pull = engine.open({ type: 'pull', options: { rcvhwm: 0 }, curve: null });
    const push = engine.open({ type: 'push', options: { sndhwm: 0 }, curve: null });
    const address = `inproc://native-costs-${size}`;
    await pull.bind(address);
    push.connect(address);
    const message = Buffer.alloc(size);
    const sendBatch = () => {
      for (let i = 0; i < BATCH; i++) if (push.sendNow(message) !== undefined) throw new Error('send would wait');
    };
    const receiveBatch = async () => {
      for (let i = 0; i < BATCH; i++) {
        const frames = pull.receive();
        if (!Array.isArray(frames)) await frames;
      }
    };
    const sendTimes: number[] = [];
    const receiveTimes: number[] = [];
    for (let b = 0; b < batches; b++) {
      let t0 = process.hrtime.bigint();
      sendBatch();
      sendTimes.push(Number(process.hrtime.bigint() - t0) / BATCH);
      t0 = process.hrtime.bigint();
      await receiveBatch();
      receiveTimes.push(Number(process.hrtime.bigint() - t0) / BATCH);
    }
    const skip = Math.floor(batches / 10);
    rows.push({ item: `send ${size} B (zmq_send, inproc)`, ns: spread(sendTimes.slice(skip)) });
    rows.push({ item: `receive ${size} B (zmq_msg_recv, zmq_msg_data, memcpy into an arena)`, ns: spread(receiveTimes.slice(skip)) });
    push.close();
    pull.close();
  }
  let sink = 0n;
  rows.push({
    item: 'clock read (process.hrtime.bigint)',
    ns: timeBatches(batches, () => {
      for (let i = 0; i < BATCH; i++) sink += process.hrtime.bigint();
    }),
  });
  const frame = Buffer.alloc(64);
  rows.push({
    item: 'header stamp (encodeHeaderInto)',
    ns: timeBatches(batches, () => {
      for (let i = 0; i < BATCH; i++) encodeHeaderInto(frame, 0, 0, 1, i, 10n, 20n);
    }),
  });
  rows.push({
    item: `header decode (decodeHeader, ${HEADER_BYTES} B)`,
    ns: timeBatches(batches, () => {
      for (let i = 0; i < BATCH; i++) if (decodeHeader(frame) === undefined) throw new Error('no header');
    }),
  });
  const histogram = createRecordingHistogram();
  rows.push({
    item: 'histogram record (recordNs, WASM)',
    ns: timeBatches(batches, () => {
      for (let i = 0; i < BATCH; i++) recordNs(histogram, 1000 + (i & 1023) * 37);
    }),
  });
  if (sink === 0n || writable < 0) throw new Error('the clock never moved');
  return { library: `${engine.library} (libzmq ${engine.versions.libzmq})`, rows };
}

export function nativeCostsTable(r: { library: string; rows: CostRow[] }): string {
  const ns = (x: number) => x.toFixed(0);
  return [
    '| item | ns per call: median (min–max of batches) |',
    '|---|---:|',
    ...r.rows.map((row) => `| ${row.item} | ${ns(row.ns.median)} (${ns(row.ns.min)}–${ns(row.ns.max)}) |`),
    '',
    `*One thread, batches of ${BATCH}; ${r.library}.*`,
  ].join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const batches = Number(process.argv[2] ?? 200);
  if (!Number.isInteger(batches) || batches < 10) {
    console.error('usage: node dist/bench/native-costs.js [batches, at least 10]');
    process.exit(2);
  }
  const r = await runNativeCosts(batches);
  console.log('skipped' in r ? `skipped: ${r.skipped}` : nativeCostsTable(r));
}
