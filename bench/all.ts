/**
 * `npm run bench` (or bench:all): every benchmark of issues 8 and 19 in one go, in about 6
 * minutes on 2 cores — micro-benchmarks of the hot paths, the harness on both engines against
 * the bare zeromq.js loop and C (when it can be built), pacing accuracy on both engines, and scale. Writes bench/results/latest.json
 * (machine-readable, with the environment) and bench/results/latest.md. With `--write-docs`
 * (`npm run docs:performance`) it also rewrites the README's performance section from them;
 * never otherwise. `-- --quick` for a short smoke run (not with --write-docs).
 */
import os from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describeEnvironment } from '../src/runtime/environment.js';
import { runMicro, type MicroRow } from './micro.js';
import { nativeEngineTable, overheadTable, runOverhead } from './overhead.js';
import { pacingTable, runPacing } from './pacing.js';
import { runScale, scaleTable } from './scale.js';
import { WRITE_DOCS, writeDocsFlag, writeReadmeBlock } from './readme-block.js';

const quick = process.argv.includes('--quick');
const { writeDocs } = writeDocsFlag(process.argv.slice(2));
if (writeDocs && quick) {
  console.error(`${WRITE_DOCS} writes the README's figures: not from a --quick run`);
  process.exit(2);
}
const log = (s: string) => console.error(s);
const started = Date.now();

const environment = describeEnvironment();
log('micro-benchmarks…');
const micro = await runMicro();
log('the harness against the bare library…');
const overhead = await runOverhead({ durationMs: quick ? 300 : 1000, repeats: quick ? 1 : 3, log });
log('pacing…');
const pacing = await runPacing({ durationMs: quick ? 1000 : 10_000, rates: [1000, 10_000, 50_000], log });
const pacingNative = overhead.skipped.nativeEngine
  ? null
  : await runPacing({ durationMs: quick ? 1000 : 5_000, rates: [100_000, 500_000, 1_000_000], log, shapes: false, engine: 'native' });
log('scale…');
const scale = await runScale({ durationMs: quick ? 500 : 2000, log });
const elapsedS = (Date.now() - started) / 1000;

const latest = { startedAt: new Date(started).toISOString(), elapsedS, quick, environment, micro, overhead, pacing, pacingNative, scale };

function microTable(rows: readonly MicroRow[]): string {
  const fmt = (ns: number) => (ns >= 1e6 ? `${(ns / 1e6).toFixed(1)} ms` : `${ns.toFixed(1)} ns`);
  return [
    '| operation | mean | p99 | rme |',
    '| --- | ---: | ---: | ---: |',
    ...rows.map((r) => `| ${r.task} | ${fmt(r.nsPerOp)} | ${fmt(r.p99Ns)} | ±${r.rmePct.toFixed(1)}% |`),
  ].join('\n');
}

const machine = `${environment.cpuModel} × ${environment.cores} cores, ${environment.os} ${environment.arch}, Node ${environment.node}, zeromq.js ${environment.zeromqJs} / libzmq ${environment.libzmq}`;
const markdown = [
  `Measured by \`npm run bench\` on ${machine}, ${latest.startedAt.slice(0, 10)}, in ${Math.round(elapsedS)} s${quick ? ' (quick: short runs, not for quoting)' : ''}. This machine is shared: read ratios, not absolute figures.`,
  '',
  '**The harness against the bare zeromq.js loop and the measuring floor** (in turn: bare, floor, zmq-bench; same pattern, size and transport; ratios are medians with their range over the triplets):',
  '',
  overheadTable(overhead),
  '',
  '**The native engine against C and against the zeromq.js engine** (the same rounds):',
  '',
  nativeEngineTable(overhead),
  '',
  '**Pacing accuracy** (one PUSH at a constant rate to one PULL over inproc):',
  '',
  pacingTable(pacing),
  ...(pacingNative ? ['', pacingTable(pacingNative)] : []),
  '',
  '**Scale**:',
  '',
  scaleTable(scale),
  '',
  '**Hot paths** (tinybench; fast operations are timed in batches of 1,000 calls):',
  '',
  microTable(micro),
].join('\n');

const results = fileURLToPath(new URL('../../bench/results/', import.meta.url));
mkdirSync(results, { recursive: true });
writeFileSync(`${results}latest.json`, `${JSON.stringify(latest, null, 2)}\n`);
writeFileSync(`${results}latest.md`, `${markdown}\n`);
console.log(markdown);

if (writeDocs) {
  const START = '<!-- performance:start (written by npm run docs:performance from bench/results/latest.json) -->';
  const END = '<!-- performance:end -->';
  writeReadmeBlock(START, END, markdown);
  console.error(`wrote bench/results/latest.json, latest.md and the README's performance section (${os.hostname()})`);
} else {
  console.error(
    `wrote bench/results/latest.json and latest.md; README untouched (${WRITE_DOCS}, or npm run docs:performance, to write its performance section)`,
  );
}
