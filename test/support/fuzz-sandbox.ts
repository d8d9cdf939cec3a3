import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { makeFixture } from './fuzz-inputs.js';
import { PROPERTIES, type PropertyName } from './fuzz-properties.js';

/**
 * Runs one fuzz property (fuzz-properties.ts) in a worker thread, so that an input that eats
 * memory or hangs fails the test, named, instead of taking the test process (or the machine)
 * with it: the worker's heap is capped, and the worker is stopped when one case runs longer
 * than `caseTimeoutMs`. fast-check runs inside the worker and shrinks every failure that
 * ends; for the ones that do not, the report gives the case's input and the seed to replay.
 */

export interface SandboxOptions {
  seed: number;
  numRuns: number;
  /** fast-check's replay path (ZMQ_BENCH_FUZZ_PATH), to run one reported case again */
  path?: string;
  caseTimeoutMs: number;
  heapMb: number;
  /** the heap in use may grow by at most this over the whole run */
  heapGrowthMb: number;
}

interface WorkerInput extends SandboxOptions {
  fuzzProperty: PropertyName;
  /** where the worker writes its cases; removed by the main thread, also after a hang */
  dir: string;
}

type Message = { kind: 'case'; n: number; preview: string } | { kind: 'done'; report: string | null; heapGrowthMb: number };

/** Lines of a report cut to a readable length: a counterexample may hold a 70,000-character string. */
const shorten = (report: string) =>
  report
    .split('\n')
    .map((l) => (l.length > 1500 ? `${l.slice(0, 1500)}… (${l.length} characters)` : l))
    .join('\n');

/** null when every case held; else what failed, with the seed (and path) to replay it. */
export function checkInWorker(property: PropertyName, o: SandboxOptions): Promise<string | null> {
  const dir = mkdtempSync(join(tmpdir(), 'zmq-bench-fuzz-'));
  const worker = new Worker(new URL(import.meta.url), {
    workerData: { ...o, fuzzProperty: property, dir } satisfies WorkerInput,
    resourceLimits: { maxOldGenerationSizeMb: o.heapMb },
  });
  let last: { n: number; preview: string } | undefined;
  const replay = () => `replay: ZMQ_BENCH_FUZZ_SEED=${o.seed} ZMQ_BENCH_FUZZ_RUNS=${o.numRuns}`;
  const during = () => (last ? `case ${last.n} of seed ${o.seed} (${replay()}):\n${last.preview}` : 'before the first case');
  return new Promise((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    const settle = (outcome: string | null) => {
      clearTimeout(timer);
      worker.removeAllListeners();
      worker.on('error', () => {});
      void worker.terminate().finally(() => rmSync(dir, { recursive: true, force: true }));
      resolve(outcome);
    };
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => settle(`a case ran for more than ${o.caseTimeoutMs} ms (a hang): ${during()}`), o.caseTimeoutMs);
    };
    arm();
    worker.on('message', (m: Message) => {
      if (m.kind === 'case') {
        last = m;
        arm();
      } else if (m.report !== null) settle(shorten(`${m.report}\n${replay()}`));
      else if (m.heapGrowthMb > o.heapGrowthMb)
        settle(`the heap in use grew by ${m.heapGrowthMb} MB over the run, more than ${o.heapGrowthMb} MB`);
      else settle(null);
    });
    worker.on('error', (e) =>
      settle(`the worker died (${(e as NodeJS.ErrnoException).code ?? e.message}; heap cap ${o.heapMb} MB) during ${during()}`),
    );
    worker.on('exit', (code) => settle(`the worker exited (code ${code}) during ${during()}`));
  });
}

async function workerMain(input: WorkerInput): Promise<void> {
  const port = parentPort!;
  const root = makeFixture(input.dir);
  let n = 0;
  const onCase = (preview: string) => port.postMessage({ kind: 'case', n: n++, preview } satisfies Message);
  const before = process.memoryUsage().heapUsed;
  const report = await PROPERTIES[input.fuzzProperty](root, onCase, {
    seed: input.seed,
    numRuns: input.numRuns,
    ...(input.path ? { path: input.path } : {}),
  });
  const heapGrowthMb = Math.round((process.memoryUsage().heapUsed - before) / 2 ** 20);
  port.postMessage({ kind: 'done', report, heapGrowthMb } satisfies Message);
}

// node --test also runs this file on its own (it is under test/): then it does nothing.
const input = workerData as Partial<WorkerInput> | null;
if (!isMainThread && input?.fuzzProperty) await workerMain(input as WorkerInput);
