/**
 * `npm run transport-table`: runs scenarios/transport-comparison.yaml for real and writes its
 * tables (push/pull throughput, req/rep round trip, by transport and message size) into the
 * README between the transport-table markers, with the machine they ran on.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SuiteIndex } from '../src/ci/suite-index.js';
import type { RunResult } from '../src/core/types.js';
import { sizeSweeps, sweepTable } from '../src/report/size-sweep.js';
import { writeReadmeBlock } from './readme-block.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const START = '<!-- transport-table:start (written by npm run transport-table) -->';
const END = '<!-- transport-table:end -->';

const out = mkdtempSync(join(tmpdir(), 'zmq-bench-transports-'));
try {
  const run = spawnSync(process.execPath, [join(ROOT, 'dist/src/cli.js'), 'run', join(ROOT, 'scenarios/transport-comparison.yaml'), '--out', out, '--quiet', ...process.argv.slice(2)], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (run.status !== 0) throw new Error(`the suite exited ${run.status}`);
  const index = JSON.parse(readFileSync(join(out, 'index.json'), 'utf8')) as SuiteIndex;
  const sweeps = sizeSweeps(
    index.variants.map((v) => {
      const first = JSON.parse(readFileSync(join(out, v.runs[0]!), 'utf8')) as RunResult;
      return { scenario: v.scenario, coordinates: first.matrix ?? {}, throughput: v.figures.throughput.median, p50: v.figures.latency_p50.median, p99: v.figures.latency_p99.median };
    }),
  );
  const throughput = sweeps.find((s) => s.scenario === 'perf-throughput');
  const latency = sweeps.find((s) => s.scenario === 'perf-latency');
  if (!throughput || !latency) throw new Error('the suite did not produce both sweeps');
  const e = index.environment;
  const block = [
    `Push/pull as fast as one socket pair goes (msgs/s, and bytes/s of payload):`,
    '',
    sweepTable(throughput, 'throughput', true),
    '',
    `Req/rep round trip, one request at a time (p50 / p99):`,
    '',
    sweepTable(latency, 'latency', true),
    '',
    `*Measured by \`npm run transport-table\` (scenarios/transport-comparison.yaml, 1 s per cell) on ${e.cpuModel} × ${e.cores} cores, ` +
      `${e.os} ${e.arch}, Node ${e.node}, zeromq.js ${e.zeromqJs} / libzmq ${e.libzmq}, ${index.startedAt.slice(0, 10)}. One run per cell on a shared machine, ` +
      `where the same cell can differ by a quarter from one run to the next: use --repeat and compare for finer claims.*`,
  ].join('\n');
  writeReadmeBlock(START, END, block);
  console.log('wrote the transport table in README.md');
} finally {
  rmSync(out, { recursive: true, force: true });
}
