/**
 * `npm run bench:ab -- --base <git-ref>`: is this checkout as fast as another commit? Builds the
 * base ref in a temporary git worktree (bench/ab/base-build.ts; removed at the end, also on an
 * error or Ctrl-C), takes this checkout's dist/ as the candidate, and runs a fixed set of
 * shipped scenarios with each build's own CLI (bench/ab/cli-run.ts): per round and scenario
 * once each, in ABBA order (round 1 base then candidate, round 2 candidate then base, ...), so
 * that a drift of the machine's load falls on both sides alike. Per scenario and figure
 * (throughput, latency p50 and p99 of result.json's totals) the median ratio candidate / base
 * over the rounds, its range, and whether it is within the noise (the rule: NOISE_RULE in
 * bench/ab/compare.ts, also printed). Writes bench/results/ab.json (--out to change) with the
 * environment and every run's figures, and prints a Markdown table. Never touches README or docs.
 *
 * Options: --base <ref> (required), --rounds <n> (default 5), --duration <time> (default 2s,
 * every scenario), --cases <list> (the cases whose key, such as perf-latency-inproc, contains
 * one of the comma-separated parts), --out <file>. Exit 1 when a case has no completed round.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { describeEnvironment } from '../src/runtime/environment.js';
import { buildBase, commitOf, hasUncommittedChanges, type BaseBuild } from './ab/base-build.js';
import { runCli } from './ab/cli-run.js';
import { compareRuns, NOISE_RULE, type AbFigures } from './ab/compare.js';
import { abTable, type AbCaseResult, type AbReport } from './ab/report.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

interface AbCase {
  key: string;
  file: string;
  transport: string;
}

/** The shipped scenarios compared: the two perf scenarios over tcp and inproc, and two of several sockets. */
const AB_CASES: readonly AbCase[] = [
  { key: 'perf-throughput-tcp', file: 'scenarios/perf-throughput.yaml', transport: 'tcp' },
  { key: 'perf-throughput-inproc', file: 'scenarios/perf-throughput.yaml', transport: 'inproc' },
  { key: 'perf-latency-tcp', file: 'scenarios/perf-latency.yaml', transport: 'tcp' },
  { key: 'perf-latency-inproc', file: 'scenarios/perf-latency.yaml', transport: 'inproc' },
  { key: 'pipeline-tcp', file: 'scenarios/pipeline.yaml', transport: 'tcp' },
  { key: 'req-rep-tcp', file: 'scenarios/req-rep.yaml', transport: 'tcp' },
];

interface Settings {
  base: string;
  rounds: number;
  duration: string;
  cases: AbCase[];
  out: string;
}

function parse(): Settings {
  const { values } = parseArgs({
    options: {
      base: { type: 'string' },
      rounds: { type: 'string', default: '5' },
      duration: { type: 'string', default: '2s' },
      cases: { type: 'string' },
      out: { type: 'string', default: join(ROOT, 'bench/results/ab.json') },
    },
  });
  if (!values.base) throw new Error('--base <git-ref> is required (e.g. --base main)');
  const rounds = Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds <= 0) throw new Error('--rounds needs a positive whole number');
  const parts = values.cases?.split(',').filter((p) => p !== '');
  const cases = parts ? AB_CASES.filter((c) => parts.some((p) => c.key.includes(p))) : [...AB_CASES];
  if (cases.length === 0) throw new Error(`--cases matches none of ${AB_CASES.map((c) => c.key).join(', ')}`);
  return { base: values.base, rounds, duration: values.duration, cases, out: values.out };
}

/** The reason of an abort by Ctrl-C or kill. */
class Stopped extends Error {}

const loadAverage = () => os.loadavg().map((l) => Math.round(l * 100) / 100);

async function measure(s: Settings, base: BaseBuild, signal: AbortSignal, log: (s: string) => void): Promise<AbCaseResult[]> {
  const runs = s.cases.map((c) => ({
    ...c,
    base: [] as (AbFigures | null)[],
    candidate: [] as (AbFigures | null)[],
    errors: [] as string[],
  }));
  const roots = { base: base.root, candidate: ROOT };
  for (let round = 0; round < s.rounds; round++) {
    // ABBA: the build that went second in one round goes first in the next.
    const order = round % 2 === 0 ? (['base', 'candidate'] as const) : (['candidate', 'base'] as const);
    for (const c of runs) {
      for (const side of order) {
        try {
          // The candidate's copy of the scenario for both builds: the same load on each.
          const f = await runCli({ root: roots[side], file: join(ROOT, c.file), duration: s.duration, transport: c.transport }, signal);
          c[side].push(f);
          log(
            `${round + 1}/${s.rounds} ${c.key} ${side}: ${Math.round(f.throughput ?? 0)} msgs/s, p50 ${f.p50 ?? '–'} µs, p99 ${f.p99 ?? '–'} µs`,
          );
        } catch (e) {
          if (signal.aborted) throw signal.reason;
          c[side].push(null);
          c.errors.push(`round ${round + 1} ${side}: ${e instanceof Error ? e.message : String(e)}`);
          log(`${round + 1}/${s.rounds} ${c.key} ${side}: failed`);
        }
      }
    }
  }
  return runs.map((c) => ({
    key: c.key,
    file: c.file,
    transport: c.transport,
    base: c.base,
    candidate: c.candidate,
    figures: compareRuns(c.base, c.candidate),
    errors: c.errors,
  }));
}

async function main(): Promise<number> {
  const s = parse();
  const log = (line: string) => console.error(line);
  const started = Date.now();
  const loadAverageAtStart = loadAverage();
  let base: BaseBuild | null = null;
  // Ctrl-C or kill: the run in progress is stopped and everything unwinds through the finally
  // below (its results folder, then the worktree). A second signal does not wait.
  const stop = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (stop.signal.aborted) {
      base?.dispose();
      process.exit(130);
    }
    stop.abort(new Stopped(`stopped by ${signal}; the base's worktree is removed`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    base = buildBase(ROOT, s.base, log);
    const cases = await measure(s, base, stop.signal, log);
    const report: AbReport = {
      startedAt: new Date(started).toISOString(),
      elapsedS: (Date.now() - started) / 1000,
      base: { ref: base.ref, commit: base.commit },
      candidate: { commit: commitOf(ROOT, 'HEAD'), uncommittedChanges: hasUncommittedChanges(ROOT) },
      settings: { rounds: s.rounds, duration: s.duration, order: 'ABBA' },
      environment: describeEnvironment(),
      loadAverageAtStart,
      loadAverageAtEnd: loadAverage(),
      noiseRule: NOISE_RULE,
      cases,
    };
    mkdirSync(dirname(s.out), { recursive: true });
    writeFileSync(s.out, `${JSON.stringify(report, null, 2)}\n`);
    console.log(abTable(report));
    log(`written: ${s.out}`);
    return cases.every((c) => c.figures.throughput !== null) ? 0 : 1;
  } finally {
    base?.dispose();
  }
}

try {
  process.exitCode = await main();
} catch (e) {
  console.error(`bench:ab: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = e instanceof Stopped ? 130 : 2;
}
