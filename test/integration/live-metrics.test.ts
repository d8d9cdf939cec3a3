import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import type { RunResult } from '../../src/core/types.js';
import { defaultRunDeps, runFiles } from '../../src/run-command.js';
import { otlpSamples, parsePrometheus, valueOf, type OtlpRequest, type Sample } from '../support/metrics-text.js';

/**
 * run --metrics and --otlp on a real matrix of two runs (tcp, a pause and a resume): /metrics
 * scraped while the first run goes and again after the last, OTLP received by a collector
 * the test starts; at the end both carry exactly result.json's figures, each run under its own
 * variant label, and /metrics stops after its linger.
 */

const tmp = mkdtempSync(join(tmpdir(), 'zmq-bench-live-metrics-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const SCENARIO = `name: live
transport: tcp
duration: 400ms
drain: 100ms
topology:
  endpoints: [work]
  groups:
    - { name: source, type: push, bind: work, rate: 3000 }
    - { name: sink, type: pull, connect: work }
events:
  - { at: 150ms, pause: sink }
  - { at: 250ms, resume: sink }
`;

/** A collector: every OTLP/HTTP JSON request it is sent, in order. */
async function collector(): Promise<{ url: string; requests: OtlpRequest[]; close: () => void }> {
  const requests: OtlpRequest[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      if (req.url === '/v1/metrics' && req.headers['content-type'] === 'application/json') requests.push(JSON.parse(body) as OtlpRequest);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/v1/metrics`, requests, close: () => server.close() };
}

async function scrape(url: string): Promise<Sample[]> {
  const res = await fetch(url);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
  return parsePrometheus(await res.text());
}

/** The figures both exports must carry at the end: result.json's, for every group of every run. */
function assertFinal(
  samples: readonly Sample[],
  results: readonly RunResult[],
  names: { counter: (n: string) => string; count: (n: string) => string },
): void {
  for (const r of results) {
    for (const g of r.groups) {
      const at = { variant: r.variant!, group: g.name };
      assert.equal(valueOf(samples, names.counter('zmq_bench_messages_sent'), at), g.sent, `${r.variant} ${g.name} sent`);
      assert.equal(valueOf(samples, names.counter('zmq_bench_messages_received'), at), g.received, `${r.variant} ${g.name} received`);
      for (const loss of ['head', 'midstream', 'tail'] as const)
        assert.equal(valueOf(samples, names.counter('zmq_bench_messages_lost'), { ...at, loss }), g.loss[loss], `${g.name} ${loss}`);
      assert.equal(valueOf(samples, 'zmq_bench_throughput_messages_per_second', at), g.throughput.msgsPerSec);
      assert.equal(valueOf(samples, names.counter('zmq_bench_send_blocked_seconds'), at), g.blocked.ms / 1000);
    }
    const sink = r.groups.find((g) => g.name === 'sink')!;
    assert.ok(sink.latency.count > 0);
    const count = valueOf(samples, names.count('zmq_bench_latency_seconds'), { variant: r.variant!, group: 'sink' });
    assert.equal(count, sink.latency.count, `${r.variant} latency count`);
    for (const action of ['pause', 'resume'])
      assert.equal(valueOf(samples, names.counter('zmq_bench_fault_events'), { variant: r.variant!, action }), 1, action);
    assert.equal(valueOf(samples, 'zmq_bench_measured_seconds', { variant: r.variant! }), r.timing.measuredMs / 1000);
    assert.equal(valueOf(samples, 'zmq_bench_run_phase', { variant: r.variant!, phase: 'done' }), 1);
  }
}

it('/metrics and OTLP follow a matrix of runs live and end on exactly the figures of result.json', async () => {
  const file = join(tmp, 'live.yaml');
  writeFileSync(file, SCENARIO);
  const otlp = await collector();
  after(otlp.close);
  const results: RunResult[] = [];
  const errLines: string[] = [];
  let url: string | undefined;
  let midRun: Sample[] | undefined;
  let final: Sample[] | undefined;
  // scrapes every 50 ms until one shows the first run under way
  const watch = async () => {
    while (midRun === undefined && final === undefined && url !== undefined) {
      const s = await scrape(url);
      // the first run under way: sending, its figures not yet final (a loaded machine may show stop or drain already)
      const first = { run: '1', variant: 'live-rate2000' };
      const phase = s.find((x) => x.name === 'zmq_bench_run_phase' && x.labels['variant'] === first.variant && x.value === 1)?.labels[
        'phase'
      ];
      if (phase !== undefined && phase !== 'done' && valueOf(s, 'zmq_bench_messages_sent_total', { ...first, group: 'source' }) > 0)
        midRun = s;
      else await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  let watching: Promise<void> | undefined;
  const io = {
    out: () => {},
    err: (line: string) => {
      errLines.push(line);
      const listening = /^metrics at (http:\S+)$/.exec(line);
      if (listening) {
        url = listening[1];
        watching = watch();
      }
    },
  };
  const deps = {
    ...defaultRunDeps,
    // the result is written once its figures are in the metrics: after the last run, scrape them
    writeResult: async (dir: string, r: RunResult) => {
      results.push(r);
      if (results.length === 2) final = await scrape(url!);
      return defaultRunDeps.writeResult(dir, r);
    },
  };
  const code = await runFiles(
    [file],
    {
      out: join(tmp, 'out'),
      matrix: { rate: [2000, 3000] },
      metrics: { listen: { host: '127.0.0.1', port: 0 }, otlp: otlp.url, lingerMs: 300 },
    },
    io,
    deps,
  );
  await watching;
  assert.equal(code, 0, errLines.join('\n'));
  assert.deepEqual(
    results.map((r) => r.variant),
    ['live-rate2000', 'live-rate3000'],
  );

  // mid-run: the first run sending, its counters on their way
  assert.ok(midRun, 'a scrape while the first run was under way');
  const sentMid = valueOf(midRun, 'zmq_bench_messages_sent_total', { variant: 'live-rate2000', group: 'source' });
  // (not always below the end figure: on a loaded machine the last sample of the measured phase may already hold every message)
  assert.ok(sentMid > 0 && sentMid <= results[0]!.groups[0]!.sent, `sent ${sentMid} mid-run, ${results[0]!.groups[0]!.sent} at the end`);
  assert.equal(valueOf(midRun, 'zmq_bench_run_phase', { variant: 'live-rate2000', phase: 'done' }), 0);

  // after the last run: exactly result.json, for both runs
  assert.ok(final, 'a scrape after the last run');
  assertFinal(final, results, { counter: (n) => `${n}_total`, count: (n) => `${n}_count` });
  assert.ok(
    final.some((s) => s.name === 'zmq_bench_kernel_queue_bytes'),
    'tcp kernel queues',
  );
  assert.ok(
    final.some((s) => s.name === 'zmq_bench_worker_heap_used_bytes' && s.value > 0),
    'worker heap',
  );

  // the linger (announced) is over: nothing listens any more
  assert.ok(errLines.some((l) => l.startsWith('serving the final figures at ')));
  await assert.rejects(fetch(url!));

  // OTLP: the last export is the end state too, under the names without _total
  assert.ok(otlp.requests.length >= 3, `${otlp.requests.length} exports`);
  const last = otlp.requests.at(-1)!;
  const service = last.resourceMetrics[0]!.resource.attributes.find((a) => a.key === 'service.name');
  assert.equal(service?.value.stringValue, 'zmq-bench');
  assertFinal(otlpSamples(last), results, { counter: (n) => n, count: (n) => n });
});
