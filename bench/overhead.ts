/**
 * Issue 8 and 19: how far zmq-bench is from the bare zeromq.js loop, the native engine from C,
 * and the two engines from each other.
 *
 * For each case (PUSH/PULL at 64 B and 1 KiB, REQ/REP at 64 B; inproc, ipc, tcp) it runs, in
 * rounds, the bare loop (bench/bare/), the measuring floor (the bare loop plus the per-message
 * work measuring needs, bench/bare/measuring.ts), zmq-bench on the shipped
 * scenarios/perf-throughput.yaml or perf-latency.yaml with that transport and size on the
 * zeromq.js engine, the same on the native engine, and the C loop (bench/native/zmqperf.c, when
 * gcc and libzmq3-dev are there) — in turn, `repeats` rounds. When C runs, the native engine
 * loads the same system libzmq as C (ZMQ_BENCH_LIBZMQ), unless that variable names another.
 *
 * Run: `node dist/bench/overhead.js [--quick] [--duration <ms>] [--repeats <n>] [--cases <list>]
 * [--no-native] [--json]` (defaults: 1000 ms, 3 repeats; --quick is 300 ms, 1 repeat). --cases
 * keeps the cases whose key (`push-pull-64-inproc`, `req-rep-64-tcp`, ...) contains one of the
 * comma-separated parts. --no-native skips C and the native engine. Prints the Markdown tables on
 * stdout; progress goes to stderr. --json prints the OverheadReport instead.
 */
import os from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { engineUnavailable } from '../src/engine/availability.js';
import { nativeEngineFacts } from '../src/engine/current.js';
import { LIBZMQ_VARIABLE, SYSTEM_LIBZMQ } from '../src/engine/native/library-path.js';
import { describeEnvironment } from '../src/runtime/environment.js';
import { runScenario } from '../src/runtime/run.js';
import { loadScenario } from '../src/scenario/load.js';
import { applyOverrides } from '../src/scenario/overrides.js';
import { type EngineName, isSender, type Scenario } from '../src/scenario/schema.js';
import { BARE_TRANSPORTS } from './bare/common.js';
import { barePushPull } from './bare/push-pull.js';
import { bareReqRep } from './bare/req-rep.js';
import { buildNative, type NativeBuild, runNative } from './native.js';
import { judge, type Rounds } from './overhead/judge.js';
import { caseName, measurementText, nativeEngineTable, overheadTable } from './overhead/table.js';
import type { CaseSpec, Measurement, OverheadCase, OverheadReport } from './overhead/types.js';

export { nativeEngineTable, overheadTable };
export type { OverheadReport };

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface OverheadOptions {
  /** measured time of every run, of every side */
  durationMs: number;
  /** rounds per case */
  repeats: number;
  /** warm-up before every run's measured time (default 200 ms, the scenarios' own) */
  warmupMs?: number;
  /** progress lines */
  log?: (s: string) => void;
  /** only the cases whose caseKey contains one of these (default: all) */
  cases?: readonly string[];
  /** skip C and the native engine (quicker A/B runs of the zeromq.js engine) */
  noNative?: boolean;
}

export const OVERHEAD_CASES: readonly CaseSpec[] = BARE_TRANSPORTS.flatMap((transport) => [
  { pattern: 'push-pull' as const, transport, sizeBytes: 64 },
  { pattern: 'push-pull' as const, transport, sizeBytes: 1024 },
  { pattern: 'req-rep' as const, transport, sizeBytes: 64 },
]);

/** e.g. `push-pull-64-inproc`, for --cases */
export function caseKey(c: CaseSpec): string {
  return `${c.pattern}-${c.sizeBytes}-${c.transport}`;
}

/** C, when it can be built; the native engine then loads C's libzmq unless told otherwise. */
function prepareNative(noNative: boolean, log: (s: string) => void): { c: NativeBuild | null; skipped: OverheadReport['skipped'] } {
  if (noNative) return { c: null, skipped: { c: '--no-native', nativeEngine: '--no-native' } };
  const skipped: OverheadReport['skipped'] = {};
  const build = buildNative();
  const c = 'skipped' in build ? null : build;
  if ('skipped' in build) {
    skipped.c = build.skipped;
    log(`C loops skipped: ${build.skipped}`);
  } else if (!process.env[LIBZMQ_VARIABLE]) process.env[LIBZMQ_VARIABLE] = SYSTEM_LIBZMQ;
  const unavailable = engineUnavailable('native');
  if (unavailable) {
    skipped.nativeEngine = unavailable;
    log(`native engine skipped: ${unavailable}`);
  }
  return { c, skipped };
}

export async function runOverhead(o: OverheadOptions): Promise<OverheadReport> {
  const log = o.log ?? (() => {});
  const warmupMs = o.warmupMs ?? 200;
  const t0 = performance.now();
  const startedAt = new Date().toISOString();
  const loadAverage = os.loadavg().map((l) => Math.round(l * 100) / 100);
  const scenarios = {
    'push-pull': await loadScenario(`${ROOT}scenarios/perf-throughput.yaml`),
    'req-rep': await loadScenario(`${ROOT}scenarios/perf-latency.yaml`),
  };
  const { c: build, skipped } = prepareNative(o.noNative ?? false, log);
  const withNativeEngine = skipped.nativeEngine === undefined;
  const cases: OverheadCase[] = [];
  try {
    const selected = o.cases ? OVERHEAD_CASES.filter((c) => o.cases!.some((part) => caseKey(c).includes(part))) : OVERHEAD_CASES;
    for (const c of selected) {
      const rounds: Rounds = { bare: [], floor: [], harness: [], nativeEngine: withNativeEngine ? [] : null, c: build ? [] : null };
      const errors: string[] = [];
      for (let i = 0; i < o.repeats; i++) {
        const round = `${caseName(c)} ${i + 1}/${o.repeats}:`;
        const line: string[] = [];
        const run = async (side: keyof Rounds, label: string, f: () => Promise<Measurement>) => {
          const m = await attempt(f, `${label} run ${i + 1}`, errors);
          rounds[side]?.push(m);
          line.push(`${label} ${measurementText(c, m)}`);
        };
        await run('bare', 'bare', () => bareRun(c, o.durationMs, warmupMs, false));
        await run('floor', 'floor', () => bareRun(c, o.durationMs, warmupMs, true));
        await run('harness', 'zmq-bench', () => harnessRun(scenarios[c.pattern], c, o.durationMs, warmupMs, 'zeromq.js'));
        if (withNativeEngine)
          await run('nativeEngine', 'native engine', () => harnessRun(scenarios[c.pattern], c, o.durationMs, warmupMs, 'native'));
        if (build) await run('c', 'C', () => cRun(build, c, o.durationMs, warmupMs));
        log(`${round} ${line.join(', ')}`);
      }
      cases.push(judge(c, rounds, errors));
    }
  } finally {
    build?.dispose();
  }
  const env = describeEnvironment();
  return {
    environment: {
      node: env.node,
      zeromqJs: env.zeromqJs,
      libzmq: env.libzmq,
      nativeEngine: withNativeEngine ? nativeEngineFacts() : null,
      cLibzmq: build?.libzmq ?? null,
      cpu: env.cpuModel,
      cores: env.cores,
      os: `${env.os} ${env.arch}`,
      loadAverage,
    },
    settings: { durationMs: o.durationMs, warmupMs, repeats: o.repeats },
    startedAt,
    elapsedMs: Math.round(performance.now() - t0),
    cases,
    skipped,
  };
}

async function attempt<T>(f: () => Promise<T>, what: string, errors: string[]): Promise<T | null> {
  try {
    return await f();
  } catch (e) {
    errors.push(`${what}: ${e instanceof Error ? e.message : String(e)}`);
    return null;
  }
}

/** The bare loop, or with `measure` the measuring floor (bench/bare/measuring.ts). */
async function bareRun(c: CaseSpec, durationMs: number, warmupMs: number, measure: boolean): Promise<Measurement> {
  const o = { transport: c.transport, sizeBytes: c.sizeBytes, warmupMs, durationMs, measure };
  if (c.pattern === 'push-pull') {
    const r = await barePushPull(o);
    if (r.wrongSize > 0) throw new Error(`${r.wrongSize} messages arrived with the wrong size`);
    return { perSec: r.msgsPerSec, p50Us: null, p99Us: null };
  }
  const r = await bareReqRep(o);
  if (r.wrongSize > 0) throw new Error(`${r.wrongSize} replies arrived with the wrong size`);
  if (r.roundTrips === 0) throw new Error('no round trip in the measured time');
  return { perSec: r.roundTripsPerSec, p50Us: r.p50Us, p99Us: r.p99Us };
}

/** zmq-bench on the shipped scenario: engine, transport, duration and warm-up overridden, every sender at the case's size. */
async function harnessRun(base: Scenario, c: CaseSpec, durationMs: number, warmupMs: number, engine: EngineName): Promise<Measurement> {
  const s = applyOverrides(base, { transport: c.transport, durationMs, warmupMs, engine });
  for (const g of s.groups) if (isSender(g.type, g.side)) g.sizeBytes = c.sizeBytes;
  const r = await runScenario(s);
  if (!r.complete || r.problems.length > 0) throw new Error(r.problems.join('; ') || 'incomplete run');
  const t = r.totals;
  if (c.pattern === 'push-pull') return { perSec: t.throughput.msgsPerSec, p50Us: null, p99Us: null };
  if (t.latency.count === 0) throw new Error('no round trip in the measured time');
  return { perSec: t.throughput.msgsPerSec, p50Us: t.latency.p50, p99Us: t.latency.p99 };
}

/** The C loop (bench/native/zmqperf.c), two threads in a child process. */
async function cRun(build: NativeBuild, c: CaseSpec, durationMs: number, warmupMs: number): Promise<Measurement> {
  const r = await runNative(build, { ...c, warmupMs, durationMs });
  return c.pattern === 'push-pull'
    ? { perSec: r.msgsPerSec ?? 0, p50Us: null, p99Us: null }
    : { perSec: r.roundTripsPerSec ?? 0, p50Us: r.p50Us ?? null, p99Us: r.p99Us ?? null };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  const value = (flag: string): number | undefined => {
    const i = args.indexOf(flag);
    if (i < 0) return undefined;
    const n = Number(args[i + 1]);
    if (!Number.isInteger(n) || n <= 0) {
      console.error(`${flag} needs a positive whole number`);
      process.exit(2);
    }
    return n;
  };
  const known = new Set(['--quick', '--json', '--duration', '--repeats', '--cases', '--no-native']);
  const unknown = args.filter(
    (a, i) => a.startsWith('--') && !known.has(a) && !(i > 0 && ['--duration', '--repeats', '--cases'].includes(args[i - 1]!)),
  );
  if (unknown.length > 0) {
    console.error(
      `unknown option ${unknown.join(', ')}; usage: node dist/bench/overhead.js [--quick] [--duration <ms>] [--repeats <n>] [--cases <list>] [--no-native] [--json]`,
    );
    process.exit(2);
  }
  const quick = args.includes('--quick');
  const casesAt = args.indexOf('--cases');
  const cases = casesAt >= 0 ? (args[casesAt + 1] ?? '').split(',').filter((x) => x !== '') : undefined;
  if (cases && (cases.length === 0 || !OVERHEAD_CASES.some((c) => cases.some((part) => caseKey(c).includes(part))))) {
    console.error(`--cases matches none of ${OVERHEAD_CASES.map(caseKey).join(', ')}`);
    process.exit(2);
  }
  const report = await runOverhead({
    cases,
    noNative: args.includes('--no-native'),
    durationMs: value('--duration') ?? (quick ? 300 : 1000),
    repeats: value('--repeats') ?? (quick ? 1 : 3),
    warmupMs: quick ? 100 : 200,
    log: (s) => console.error(s),
  });
  console.log(args.includes('--json') ? JSON.stringify(report, null, 2) : `${overheadTable(report)}\n\n${nativeEngineTable(report)}`);
}
