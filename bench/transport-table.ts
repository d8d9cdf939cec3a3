/**
 * `npm run bench:transport-table`: runs scenarios/transport-comparison.yaml for real and prints
 * its tables (push/pull throughput, req/rep round trip, by transport, engine and message size:
 * native is what libzmq does, zeromq.js what a Node application gets from it), with how far
 * apart the two engines are and the machine they ran on. With `--write-docs` (`npm run docs:transport-table`) it writes them into
 * the README between the transport-table markers instead; never otherwise. Other arguments go
 * to `zmq-bench run`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SuiteIndex } from '../src/ci/suite-index.js';
import type { RunResult } from '../src/core/types.js';
import { engineRatios, ratioText, sizeSweeps, sweepTable } from '../src/report/size-sweep.js';
import { WRITE_DOCS, writeDocsFlag, writeReadmeBlock } from './readme-block.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const START = '<!-- transport-table:start (written by npm run docs:transport-table) -->';
const END = '<!-- transport-table:end -->';

const { writeDocs, rest } = writeDocsFlag(process.argv.slice(2));
const out = mkdtempSync(join(tmpdir(), 'zmq-bench-transports-'));
try {
  const run = spawnSync(
    process.execPath,
    [join(ROOT, 'dist/src/cli.js'), 'run', join(ROOT, 'scenarios/transport-comparison.yaml'), '--out', out, '--quiet', ...rest],
    {
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  if (run.status !== 0) throw new Error(`the suite exited ${run.status}`);
  const index = JSON.parse(readFileSync(join(out, 'index.json'), 'utf8')) as SuiteIndex;
  let native: RunResult['environment']['nativeEngine'];
  const sweeps = sizeSweeps(
    index.variants.map((v) => {
      const first = JSON.parse(readFileSync(join(out, v.runs[0]!), 'utf8')) as RunResult;
      native ??= first.environment.nativeEngine;
      return {
        scenario: v.scenario,
        coordinates: first.matrix ?? {},
        throughput: v.figures.throughput.median,
        p50: v.figures.latency_p50.median,
        p99: v.figures.latency_p99.median,
      };
    }),
  );
  const throughput = sweeps.find((s) => s.scenario === 'perf-throughput');
  const latency = sweeps.find((s) => s.scenario === 'perf-latency');
  if (!throughput || !latency) throw new Error('the suite did not produce both sweeps');
  const e = index.environment;
  const engines = { of: 'zeromq.js', to: 'native' };
  const share = ratioText(
    engineRatios(throughput, engines, (p) => p.throughput),
    (r) => `${(r * 100).toFixed(0)}%`,
  );
  const slower = ratioText(
    engineRatios(latency, engines, (p) => p.p50),
    (r) => `${r.toFixed(1)}×`,
  );
  const block = [
    `Push/pull as fast as one socket pair goes (msgs/s, and bytes/s of payload):`,
    '',
    sweepTable(throughput, 'throughput', true),
    '',
    ...(share === '' ? [] : [`zeromq.js's msgs/s as a share of native's on the same transport: ${share}.`, '']),
    `Req/rep round trip, one request at a time (p50 / p99):`,
    '',
    sweepTable(latency, 'latency', true),
    '',
    ...(slower === '' ? [] : [`zeromq.js's round-trip p50 as a multiple of native's on the same transport: ${slower}.`, '']),
    `*Measured by \`npm run bench:transport-table\` (scenarios/transport-comparison.yaml, 1 s per cell) on ${e.cpuModel} × ${e.cores} cores, ` +
      `${e.os} ${e.arch}, Node ${e.node}, zeromq.js ${e.zeromqJs} / libzmq ${e.libzmq}` +
      `${native ? `; native: libzmq ${native.libzmq} (${basename(native.library)}) called through koffi` : ''}, ${index.startedAt.slice(0, 10)}. ` +
      `One run per cell on a shared machine, where the same cell can differ by a quarter from one run to the next: use --repeat and compare for finer claims.*`,
  ].join('\n');
  if (writeDocs) {
    writeReadmeBlock(START, END, block);
    console.log('wrote the transport table in README.md');
  } else {
    console.log(block);
    console.error(`README untouched (${WRITE_DOCS}, or npm run docs:transport-table, to write the table there)`);
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}
