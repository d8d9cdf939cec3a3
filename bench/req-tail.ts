/**
 * Issue 17 item 19: where a REQ client's tail comes from against a Python REP server.
 *
 * Starts the seeds' hello-world server (test/peers/hello_world_server.py, Debian's python3-zmq)
 * once, then runs against it, in turn, `repeats` times (A B C D A B C D ...):
 * - pyzmq: bench/req-tail/pyzmq_req_client.py, the reference;
 * - bare-main: a bare zeromq.js REQ loop on this process's main thread (bench/req-tail/bare-client.ts);
 * - bare-worker: the same loop in one worker thread;
 * - zmq-bench: bench/req-tail/hello-one.yaml (one REQ, the same rate), its latency from the actual send;
 * - zmq-bench-2: the same with two clients (as scenarios/external/hello-world.yaml);
 * - zmq-bench-sample-10ms / -10s: one client, the sampler's interval at 10 ms or 10 s instead of 100 ms.
 * All pace the same way (each request due at start + i / rate) and keep one request in flight.
 * Prints a table of the medians and ranges of p50, p99 and p99.9 over the repeats, and writes
 * every run's figures to bench/results/req-tail.json (--out to change). Skips with a message,
 * exit 0, when /usr/bin/python3 cannot import zmq.
 *
 * Run: `npm run bench:req-tail -- [--repeats 5] [--duration 5000] [--warmup 500] [--rate 200]
 * [--variants pyzmq,bare-main,bare-worker,zmq-bench,...] [--out <file>]`.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { parseArgs } from 'node:util';
import { loadScenario } from '../src/scenario/load.js';
import { applyOverrides } from '../src/scenario/overrides.js';
import { retargetExternal } from '../src/scenario/validate-external.js';
import { runScenario } from '../src/runtime/run.js';
import { describeEnvironment } from '../src/runtime/environment.js';
import { PYTHON, pythonZmqProblem, startPeer } from '../test/support/python-peer.js';
import { pacedRoundTrips, type PacedClientOptions, type RoundTrips } from './req-tail/bare-client.js';
import { tailFigures, type TailFigures } from './req-tail/figures.js';
import { spread, type Spread } from './spread.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const VARIANTS = [
  'pyzmq',
  'bare-main',
  'bare-worker',
  'zmq-bench',
  'zmq-bench-2',
  'zmq-bench-sample-10ms',
  'zmq-bench-sample-10s',
] as const;
/** every variant, unless --variants names fewer */
const DEFAULT_VARIANTS: readonly Variant[] = VARIANTS;
type Variant = (typeof VARIANTS)[number];

interface Settings {
  repeats: number;
  durationMs: number;
  warmupMs: number;
  ratePerSec: number;
  variants: Variant[];
}

/** One run's figures; zmq-bench's come from its result (HdrHistogram), the others' from every round trip. */
type RunFigures = Omit<TailFigures, 'maxUs'> & { maxUs: number };

async function pyzmqRun(address: string, s: Settings): Promise<RunFigures> {
  const script = `${ROOT}bench/req-tail/pyzmq_req_client.py`;
  const args = [
    script,
    address,
    '--rate',
    String(s.ratePerSec),
    '--warmup',
    String(s.warmupMs / 1000),
    '--duration',
    String(s.durationMs / 1000),
  ];
  const child = spawn(PYTHON, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`pyzmq client exited ${code}: ${err}`);
  return tailFigures((JSON.parse(out) as RoundTrips).rttNs);
}

function bareOptions(address: string, s: Settings): PacedClientOptions {
  return { address, ratePerSec: s.ratePerSec, warmupMs: s.warmupMs, durationMs: s.durationMs, payload: 'hello' };
}

async function bareWorkerRun(address: string, s: Settings): Promise<RunFigures> {
  const worker = new Worker(new URL('./req-tail/bare-client-worker.js', import.meta.url), { workerData: bareOptions(address, s) });
  // Listened for from the start: a worker that posts and ends at once emits both in one turn.
  const exited = new Promise((resolve) => worker.once('exit', resolve));
  const result = await new Promise<RoundTrips>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the bare client's worker exited (code ${code}) without a result`)));
  });
  await exited;
  return tailFigures(result.rttNs);
}

async function zmqBenchRun(address: string, s: Settings, count: number, sampleIntervalMs = 100): Promise<RunFigures> {
  const loaded = applyOverrides(await loadScenario(`${ROOT}bench/req-tail/hello-one.yaml`), {
    durationMs: s.durationMs,
    warmupMs: s.warmupMs,
  });
  loaded.sampleIntervalMs = sampleIntervalMs;
  for (const g of loaded.groups) {
    g.ratePerSec = s.ratePerSec > 0 ? s.ratePerSec : null;
    g.count = count;
  }
  const { scenarios, problems } = retargetExternal([loaded], { server: address }, false);
  if (problems.length > 0) throw new Error(problems.join('; '));
  const r = await runScenario(scenarios[0]!);
  if (!r.complete || r.problems.length > 0) throw new Error(r.problems.join('; ') || 'incomplete run');
  const g = r.groups.find((x) => x.name === 'client')!;
  if (g.content?.mismatched) throw new Error(`${g.content.mismatched} replies were not "World"`);
  // From the actual send, as the others time it (`latency` adds the send lag of the pacing).
  const l = g.latencyFromSend;
  return { count: l.count, p50Us: l.p50, p99Us: l.p99, p999Us: l.p999, maxUs: l.max };
}

function parse(): Settings {
  const { values } = parseArgs({
    options: {
      repeats: { type: 'string', default: '5' },
      duration: { type: 'string', default: '5000' },
      warmup: { type: 'string', default: '500' },
      rate: { type: 'string', default: '200' },
      variants: { type: 'string', default: DEFAULT_VARIANTS.join(',') },
      out: { type: 'string', default: `${ROOT}bench/results/req-tail.json` },
    },
  });
  const variants = values.variants.split(',') as Variant[];
  for (const v of variants) if (!VARIANTS.includes(v)) throw new Error(`unknown variant ${v} (one of ${VARIANTS.join(', ')})`);
  out = values.out;
  return {
    repeats: Number(values.repeats),
    durationMs: Number(values.duration),
    warmupMs: Number(values.warmup),
    ratePerSec: Number(values.rate),
    variants,
  };
}
let out = '';

const us = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
const cell = (sp: Spread) => `${us(sp.median)} (${us(sp.min)}–${us(sp.max)})`;

async function main(): Promise<void> {
  const settings = parse();
  const problem = pythonZmqProblem();
  if (problem) {
    console.log(`req-tail skipped: ${problem}`);
    return;
  }
  const loadAverage = os.loadavg().map((l) => Math.round(l * 100) / 100);
  const startedAt = new Date().toISOString();
  const peer = await startPeer('hello_world_server.py', 'tcp://127.0.0.1:*', ['--lifetime', String(3600)]);
  const runs = Object.fromEntries(VARIANTS.map((v) => [v, [] as RunFigures[]])) as Record<Variant, RunFigures[]>;
  const run: Record<Variant, (address: string, s: Settings) => Promise<RunFigures>> = {
    pyzmq: pyzmqRun,
    'bare-main': async (a, s) => tailFigures((await pacedRoundTrips(bareOptions(a, s))).rttNs),
    'bare-worker': bareWorkerRun,
    'zmq-bench': (a, s) => zmqBenchRun(a, s, 1),
    'zmq-bench-2': (a, s) => zmqBenchRun(a, s, 2),
    'zmq-bench-sample-10ms': (a, s) => zmqBenchRun(a, s, 1, 10),
    'zmq-bench-sample-10s': (a, s) => zmqBenchRun(a, s, 1, 10_000),
  };
  try {
    for (let i = 0; i < settings.repeats; i++) {
      for (const v of settings.variants) {
        const f = await run[v](peer.endpoint, settings);
        runs[v].push(f);
        console.error(
          `${i + 1}/${settings.repeats} ${v}: p50 ${us(f.p50Us)} µs, p99 ${us(f.p99Us)} µs, p99.9 ${us(f.p999Us)} µs, max ${us(f.maxUs)} µs (${f.count} round trips; load ${os.loadavg()[0]!.toFixed(2)})`,
        );
      }
    }
  } finally {
    await peer.stop();
  }
  const summary = Object.fromEntries(
    settings.variants.map((v) => [
      v,
      {
        p50Us: spread(runs[v].map((r) => r.p50Us)),
        p99Us: spread(runs[v].map((r) => r.p99Us)),
        p999Us: spread(runs[v].map((r) => r.p999Us)),
      },
    ]),
  ) as Record<Variant, { p50Us: Spread; p99Us: Spread; p999Us: Spread }>;
  const env = describeEnvironment();
  const report = {
    startedAt,
    loadAverageAtStart: loadAverage,
    loadAverageAtEnd: os.loadavg().map((l) => Math.round(l * 100) / 100),
    environment: {
      node: env.node,
      zeromqJs: env.zeromqJs,
      libzmq: env.libzmq,
      cpu: env.cpuModel,
      cores: env.cores,
      os: `${env.os} ${env.arch}`,
    },
    settings,
    summary,
    runs: Object.fromEntries(settings.variants.map((v) => [v, runs[v]])),
  };
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(
    `REQ round trip against the Python REP server, ${settings.ratePerSec}/s, ${settings.durationMs / 1000} s × ${settings.repeats} alternated; µs, median (range); load ${loadAverage.join(' ')} → ${report.loadAverageAtEnd.join(' ')}`,
  );
  console.log('');
  console.log('| client | p50 | p99 | p99.9 |');
  console.log('|---|---:|---:|---:|');
  for (const v of settings.variants)
    console.log(`| ${v} | ${cell(summary[v].p50Us)} | ${cell(summary[v].p99Us)} | ${cell(summary[v].p999Us)} |`);
  console.log('');
  console.log(`written: ${out}`);
}

await main();
