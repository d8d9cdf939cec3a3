/**
 * Issue 8: how far zmq-bench is from the bare zeromq.js loop, and both from native libzmq.
 *
 * For each case (PUSH/PULL at 64 B and 1 KiB, REQ/REP at 64 B; inproc, ipc, tcp) it runs, in
 * one process, in turn the bare loop (bench/bare/), the measuring floor (the bare loop plus the
 * per-message work measuring needs, bench/bare/measuring.ts) and zmq-bench on the shipped
 * scenarios/perf-throughput.yaml or perf-latency.yaml with that transport and size — bare,
 * floor, zmq-bench, bare, … `repeats` times each — then the C loop once
 * (bench/native/zmqperf.c) when gcc and libzmq3-dev are there.
 *
 * Run: `node dist/bench/overhead.js [--quick] [--duration <ms>] [--repeats <n>] [--cases <list>]
 * [--no-native] [--json]` (defaults: 1000 ms, 3 repeats; --quick is 300 ms, 1 repeat). --cases
 * keeps the cases whose key (`push-pull-64-inproc`, `req-rep-64-tcp`, ...) contains one of the
 * comma-separated parts. Prints a Markdown table on stdout; progress goes to stderr. --json
 * prints the OverheadReport instead.
 */
import os from 'node:os';
import { median as medianOf } from 'simple-statistics';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadScenario } from '../src/scenario/load.js';
import { applyOverrides } from '../src/scenario/overrides.js';
import { isSender, type Scenario } from '../src/scenario/schema.js';
import { runScenario } from '../src/runtime/run.js';
import { describeEnvironment } from '../src/runtime/environment.js';
import { barePushPull } from './bare/push-pull.js';
import { bareReqRep } from './bare/req-rep.js';
import { BARE_TRANSPORTS, type BareTransport } from './bare/common.js';
import { buildNative, runNative, type NativeBuild } from './native.js';
import { pairsOf, spread } from './spread.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * One run's figures, the same for every side (bare zeromq.js, zmq-bench, native C).
 * push-pull: `perSec` is messages received per second of the measured time; p50Us/p99Us null.
 * req-rep: `perSec` is round trips per second; p50Us/p99Us the round trip percentiles, µs.
 */
export interface Measurement {
  perSec: number;
  p50Us: number | null;
  p99Us: number | null;
}

/** One side of a case: each run in order, and the median of each figure over them. */
export interface Side {
  median: Measurement;
  runs: Measurement[];
}

/** One side over another over the triplets (e.g. run i of zmq-bench against run i of bare). */
export interface Ratio {
  /** the figure compared: perSec (push-pull throughput) or p50Us (req-rep round trip) */
  figure: 'perSec' | 'p50Us' | 'p99Us';
  /** median of the per-pair ratios */
  median: number;
  /** spread: the smallest and largest per-pair ratio */
  min: number;
  max: number;
  pairs: number[];
}

export interface OverheadCase {
  pattern: 'push-pull' | 'req-rep';
  transport: BareTransport;
  sizeBytes: number;
  /** the bare zeromq.js loop (bench/bare/) */
  bare: Side;
  /** zmq-bench on the shipped scenario (totals.throughput.msgsPerSec, totals.latency.p50/p99) */
  harness: Side;
  /**
   * the measuring floor: the bare loop plus the per-message work any harness needs to measure
   * what zmq-bench measures (bench/bare/measuring.ts)
   */
  floor: Side;
  /** floor / bare and zmq-bench / floor over the triplets: throughput (push-pull) or round-trip p50 (req-rep) */
  floorRatio: Ratio | null;
  harnessToFloor: Ratio | null;
  /** the C loop against the system's libzmq, one run; null when skipped or failed */
  native: Measurement | null;
  /**
   * push-pull: zmq-bench/bare throughput (1 = as fast as bare, higher is better);
   * req-rep: zmq-bench/bare round-trip p50 (1 = as fast, lower is better).
   * Null when no pair completed.
   */
  ratio: Ratio | null;
  /** req-rep only: the same for p99 (for information; there is no goal on it) */
  ratioP99: Ratio | null;
  /** the goal, judged on ratio.median: throughput ≥ 95% of bare, or round-trip p50 ≤ 105% of bare */
  goal: { text: string; met: boolean };
  /** runs that failed (their triplet does not count; the case's other triplets still do) */
  errors: string[];
}

export interface OverheadReport {
  environment: {
    node: string;
    /** the zeromq.js both bare and zmq-bench use, and the libzmq bundled with it */
    zeromqJs: string;
    libzmq: string;
    /** the system libzmq the C loop ran against; null when it did not run */
    nativeLibzmq: string | null;
    cpu: string;
    cores: number;
    os: string;
    /** os.loadavg() when the run started: other work on the machine skews every figure */
    loadAverage: number[];
  };
  settings: { durationMs: number; warmupMs: number; repeats: number };
  startedAt: string;
  elapsedMs: number;
  cases: OverheadCase[];
  /** `skipped` says why there are no native figures; `errors` lists native runs that failed */
  native: { skipped?: string; errors?: string[] };
}

export interface OverheadOptions {
  /** measured time of every run, bare, zmq-bench and native alike */
  durationMs: number;
  /** triplets (bare, floor, zmq-bench) per case */
  repeats: number;
  /** warm-up before every run's measured time (default 200 ms, the scenarios' own) */
  warmupMs?: number;
  /** progress lines */
  log?: (s: string) => void;
  /** only the cases whose caseKey contains one of these (default: all) */
  cases?: readonly string[];
  /** skip the C loops (quicker A/B runs of the harness) */
  noNative?: boolean;
}

interface CaseSpec {
  pattern: 'push-pull' | 'req-rep';
  transport: BareTransport;
  sizeBytes: number;
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

export const THROUGHPUT_GOAL = 0.95;
export const LATENCY_GOAL = 1.05;

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
  const build: NativeBuild | { skipped: string } = o.noNative ? { skipped: '--no-native' } : buildNative();
  const native: NativeBuild | null = 'skipped' in build ? null : build;
  const nativeErrors: string[] = [];
  if ('skipped' in build) log(`native C loops skipped: ${build.skipped}`);
  const cases: OverheadCase[] = [];
  try {
    const selected = o.cases ? OVERHEAD_CASES.filter((c) => o.cases!.some((part) => caseKey(c).includes(part))) : OVERHEAD_CASES;
    for (const c of selected) {
      const name = caseName(c);
      const bare: Measurement[] = [];
      const harness: Measurement[] = [];
      const floor: Measurement[] = [];
      const errors: string[] = [];
      for (let i = 0; i < o.repeats; i++) {
        // A triplet counts only when all three of its runs completed.
        const b = await attempt(() => bareRun(c, o.durationMs, warmupMs, false), `bare run ${i + 1}`, errors);
        const f = await attempt(() => bareRun(c, o.durationMs, warmupMs, true), `measuring floor run ${i + 1}`, errors);
        const h = await attempt(() => harnessRun(scenarios[c.pattern], c, o.durationMs, warmupMs), `zmq-bench run ${i + 1}`, errors);
        if (b && f && h) {
          bare.push(b);
          floor.push(f);
          harness.push(h);
        }
        const text = (m: Measurement | null) => (m ? measurementText(c, m) : 'failed');
        log(`${name} ${i + 1}/${o.repeats}: bare ${text(b)}, floor ${text(f)}, zmq-bench ${text(h)}`);
      }
      let nat: Measurement | null = null;
      if (native) {
        try {
          const r = await runNative(native, { ...c, warmupMs, durationMs: o.durationMs });
          nat =
            c.pattern === 'push-pull'
              ? { perSec: r.msgsPerSec ?? 0, p50Us: null, p99Us: null }
              : { perSec: r.roundTripsPerSec ?? 0, p50Us: r.p50Us ?? null, p99Us: r.p99Us ?? null };
          log(`${name}: native ${measurementText(c, nat)}`);
        } catch (e) {
          nativeErrors.push(`${name}: ${e instanceof Error ? e.message : String(e)}`);
        }
      }
      cases.push(judge(c, bare, harness, floor, nat, errors));
    }
  } finally {
    native?.dispose();
  }
  const env = describeEnvironment();
  return {
    environment: {
      node: env.node,
      zeromqJs: env.zeromqJs,
      libzmq: env.libzmq,
      nativeLibzmq: native?.libzmq ?? null,
      cpu: env.cpuModel,
      cores: env.cores,
      os: `${env.os} ${env.arch}`,
      loadAverage,
    },
    settings: { durationMs: o.durationMs, warmupMs, repeats: o.repeats },
    startedAt,
    elapsedMs: Math.round(performance.now() - t0),
    cases,
    native: 'skipped' in build ? { skipped: build.skipped } : nativeErrors.length > 0 ? { errors: nativeErrors } : {},
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

/** zmq-bench on the shipped scenario: transport, duration and warm-up overridden, every sender at the case's size. */
async function harnessRun(base: Scenario, c: CaseSpec, durationMs: number, warmupMs: number): Promise<Measurement> {
  const s = applyOverrides(base, { transport: c.transport, durationMs, warmupMs });
  for (const g of s.groups) if (isSender(g.type)) g.sizeBytes = c.sizeBytes;
  const r = await runScenario(s);
  if (!r.complete || r.problems.length > 0) throw new Error(r.problems.join('; ') || 'incomplete run');
  const t = r.totals;
  if (c.pattern === 'push-pull') return { perSec: t.throughput.msgsPerSec, p50Us: null, p99Us: null };
  if (t.latency.count === 0) throw new Error('no round trip in the measured time');
  return { perSec: t.throughput.msgsPerSec, p50Us: t.latency.p50, p99Us: t.latency.p99 };
}

/** NaN when empty (simple-statistics throws). */
function median(xs: readonly number[]): number {
  return xs.length === 0 ? Number.NaN : medianOf([...xs]);
}

function side(runs: Measurement[]): Side {
  const nullable = (f: (m: Measurement) => number | null): number | null => {
    const xs = runs.map(f).filter((x): x is number => x !== null);
    return xs.length > 0 ? median(xs) : null;
  };
  return { median: { perSec: median(runs.map((r) => r.perSec)), p50Us: nullable((r) => r.p50Us), p99Us: nullable((r) => r.p99Us) }, runs };
}

function ratio(figure: Ratio['figure'], bare: Measurement[], harness: Measurement[]): Ratio | null {
  const pairs = pairsOf(
    bare.map((m) => m[figure]),
    harness.map((m) => m[figure]),
  ).map(([b, h]) => h / b);
  if (pairs.length === 0) return null;
  return { figure, ...spread(pairs), pairs };
}

function judge(
  c: CaseSpec,
  bare: Measurement[],
  harness: Measurement[],
  floor: Measurement[],
  native: Measurement | null,
  errors: string[],
): OverheadCase {
  const thr = c.pattern === 'push-pull';
  const r = ratio(thr ? 'perSec' : 'p50Us', bare, harness);
  const goal = thr
    ? { text: `throughput ≥ ${THROUGHPUT_GOAL * 100}% of bare`, met: r !== null && r.median >= THROUGHPUT_GOAL }
    : { text: `round-trip p50 ≤ ${LATENCY_GOAL * 100}% of bare`, met: r !== null && r.median <= LATENCY_GOAL };
  return {
    ...c,
    bare: side(bare),
    harness: side(harness),
    floor: side(floor),
    floorRatio: ratio(thr ? 'perSec' : 'p50Us', bare, floor),
    harnessToFloor: ratio(thr ? 'perSec' : 'p50Us', floor, harness),
    native,
    ratio: r,
    ratioP99: thr ? null : ratio('p99Us', bare, harness),
    goal,
    errors,
  };
}

function caseName(c: CaseSpec): string {
  return `${c.pattern} ${sizeText(c.sizeBytes)} ${c.transport}`;
}

function sizeText(bytes: number): string {
  return bytes >= 1024 && bytes % 1024 === 0 ? `${bytes / 1024} KiB` : `${bytes} B`;
}

function rateText(perSec: number): string {
  if (!Number.isFinite(perSec)) return '–';
  if (perSec >= 1e6) return `${(perSec / 1e6).toFixed(2)}M`;
  if (perSec >= 1e3) return `${(perSec / 1e3).toFixed(1)}k`;
  return perSec.toFixed(0);
}

function usText(us: number | null): string {
  if (us === null || !Number.isFinite(us)) return '–';
  return us >= 100 ? us.toFixed(0) : us.toFixed(1);
}

function measurementText(c: CaseSpec, m: Measurement): string {
  return c.pattern === 'push-pull' ? `${rateText(m.perSec)} msgs/s` : `p50 ${usText(m.p50Us)} / p99 ${usText(m.p99Us)} µs`;
}

function ratioText(r: Ratio | null): string {
  return r === null ? '–' : `${r.median.toFixed(2)} (${r.min.toFixed(2)}–${r.max.toFixed(2)})`;
}

/** The report as a Markdown table, with the machine and settings under it. */
export function overheadTable(report: OverheadReport): string {
  const rows = report.cases.map((c) => {
    const thr = c.pattern === 'push-pull';
    const ratio = thr ? ratioText(c.ratio) : `p50 ${ratioText(c.ratio)}<br>p99 ${ratioText(c.ratioP99)}`;
    let native = '–';
    if (c.native) {
      const times = thr ? c.native.perSec / c.bare.median.perSec : (c.native.p50Us ?? Number.NaN) / (c.bare.median.p50Us ?? Number.NaN);
      native = `${measurementText(c, c.native)} (${Number.isFinite(times) ? times.toFixed(thr ? 1 : 2) : '–'}× bare${thr ? '' : ' p50'})`;
    }
    const goal = `${c.goal.met ? 'yes' : '**no**'} (${thr ? '≥ 0.95' : '≤ 1.05'})`;
    const errors = c.errors.length > 0 ? ` ⚠ ${c.errors.length} failed run(s)` : '';
    const p50 = thr ? '' : 'p50 ';
    const floor = `${measurementText(c, c.floor.median)}: ${p50}${ratioText(c.floorRatio)}× bare`;
    return `| ${caseName(c)}${errors} | ${measurementText(c, c.bare.median)} | ${measurementText(c, c.harness.median)} | ${ratio} | ${goal} | ${floor} | ${p50}${ratioText(c.harnessToFloor)} | ${native} |`;
  });
  const e = report.environment;
  const s = report.settings;
  const nativeNote = report.native.skipped
    ? ` Native C: skipped (${report.native.skipped}).`
    : e.nativeLibzmq
      ? ` Native C: system libzmq ${e.nativeLibzmq}, one run per case.`
      : '';
  return [
    '| case | bare zeromq.js (median) | zmq-bench (median) | zmq-bench / bare: median (min–max of pairs) | goal met | measuring floor (median) | zmq-bench / floor | native C (one run) |',
    '|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
    `*${e.cpu} × ${e.cores} cores, ${e.os}, Node ${e.node}, zeromq.js ${e.zeromqJs} / libzmq ${e.libzmq}; load average at start ${e.loadAverage.join(' ')}. ` +
      `${s.repeats} alternating triplet(s) (bare, floor, zmq-bench) per case, ${s.durationMs} ms measured after ${s.warmupMs} ms warm-up; whole run ${(report.elapsedMs / 1000).toFixed(0)} s.${nativeNote}*`,
    '',
    "Measuring floor: the bare loop plus only the per-message work that measuring needs (stamp the header, check `writable`, decode, track the sequence, record the histograms), with none of zmq-bench's structure (bench/bare/measuring.ts): how close any harness measuring the same figures can come to the bare loop in JavaScript. Run between bare and zmq-bench in every triplet.",
    ...report.cases.flatMap((c) => c.errors.map((err) => `- ${caseName(c)}: ${err}`)),
    ...(report.native.errors ?? []).map((err) => `- native ${err}`),
  ].join('\n');
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
  console.log(args.includes('--json') ? JSON.stringify(report, null, 2) : overheadTable(report));
}
