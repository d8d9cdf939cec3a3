/**
 * Pacing accuracy: does a paced sender send at the rate it was given? For each target rate,
 * one PUSH at that constant rate to one PULL over inproc; the achieved rate is what the sender
 * sent in the measured phase divided by the measured time (the sender group's throughput), and
 * the goal is to be within ±1% of the target. The rate the machine reaches with `rate: max` is
 * measured first, as context: targets above ~90% of it are skipped (the goal applies below the
 * maximum). Then one run of each rate shape, against the average rate its schedule implies.
 * `--engine native` paces the native engine (issue 19: 100k, 500k and 1M msgs/s).
 *
 * Usage: npm run bench:pacing [-- --duration 10s --rates 1000,10000,50000 --engine zeromq.js]
 */
import os from 'node:os';
import { pathToFileURL } from 'node:url';
import type { Clock } from '../src/core/clock.js';
import type { GroupResult, RunResult } from '../src/core/types.js';
import { parseDurationMs } from '../src/core/units.js';
import { shapePacer } from '../src/pacing/pacer.js';
import { runScenario } from '../src/runtime/run.js';
import { ENGINES, type EngineName, type RateShape, type Scenario } from '../src/scenario/schema.js';
import { scenarioFromRaw } from '../src/scenario/load.js';

export interface PacingRow {
  targetPerSec: number;
  /** null when the target was skipped */
  achievedPerSec: number | null;
  /** (achieved - target) / target, in % */
  errorPct: number | null;
  /** the sender's send lag p99 in µs */
  sendLagP99Us: number | null;
  withinGoal: boolean | null;
  /** CPU time of the whole process (coordinator and both sockets' threads) / wall time: cores busy */
  cores: number | null;
  /** the 1-minute load average of the machine at the end of the run (others' work included) */
  load: number | null;
  /** why the target was skipped, or the run's problems */
  note: string;
}

export interface ShapeRow {
  shape: string;
  /** the average rate over the measured time that the shape's schedule implies */
  expectedPerSec: number;
  achievedPerSec: number;
  errorPct: number;
  sendLagP99Us: number;
  cores: number;
  load: number;
  note: string;
}

export interface PacingReport {
  /** the engine that sent and received */
  engine: EngineName;
  durationMs: number;
  /** what one PUSH reaches with rate: max over inproc */
  maxPerSec: number;
  /** targets above this share of maxPerSec are skipped */
  skipAbove: number;
  rows: PacingRow[];
  shapes: ShapeRow[];
  machine: string;
}

/** The goal: achieved within ±1% of the target. */
export const GOAL_PCT = 1;
const SKIP_ABOVE = 0.9;
const WARMUP = '1s';

function scenario(name: string, rate: unknown, durationMs: number, engine: EngineName): Scenario {
  return scenarioFromRaw(
    {
      name,
      engine,
      transport: 'inproc',
      duration: `${durationMs}ms`,
      warmup: WARMUP,
      topology: {
        endpoints: ['pace'],
        groups: [
          { name: 'sender', type: 'push', bind: 'pace', rate },
          { name: 'receiver', type: 'pull', connect: 'pace' },
        ],
      },
    },
    `bench scenario ${name}`,
  );
}

interface Measured {
  perSec: number;
  lagP99Us: number;
  measuredMs: number;
  cores: number;
  load: number;
  problems: string[];
}

async function measure(name: string, rate: unknown, durationMs: number, engine: EngineName): Promise<Measured> {
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  const r: RunResult = await runScenario(scenario(name, rate, durationMs, engine));
  const used = process.cpuUsage(cpu);
  const cores = (used.user + used.system) / 1000 / (performance.now() - t0);
  const sender: GroupResult | undefined = r.groups.find((g) => g.name === 'sender');
  if (!sender) throw new Error(`${name}: no sender group in the result`);
  return {
    perSec: sender.throughput.msgsPerSec,
    lagP99Us: sender.sendLag?.summary.p99 ?? NaN,
    measuredMs: r.timing.measuredMs,
    cores,
    load: os.loadavg()[0]!,
    problems: r.problems,
  };
}

/**
 * The average rate over `durationMs` that a shape's schedule implies: messages due before the
 * end / seconds. For bursts, size / every: whether the window's edges catch one burst more or
 * less (±size messages) says nothing about pacing.
 */
export function expectedAverage(shape: RateShape, durationMs: number): number {
  if (shape.kind === 'bursts') return (shape.size * 1000) / shape.everyMs;
  // a max step has no schedule to count
  if (shape.kind === 'steps' && shape.steps.some((s) => s.ratePerSec === null)) return NaN;
  const endNs = BigInt(Math.round(durationMs * 1e6));
  const fixed: Clock = { nowNs: () => 0n };
  const pacer = shapePacer(shape, 0n, fixed);
  let n = 0;
  while (pacer.next() < endNs) n++;
  return n / (durationMs / 1000);
}

const pct = (achieved: number, expected: number) => ((achieved - expected) / expected) * 100;

export async function runPacing(o: {
  durationMs: number;
  rates: number[];
  log?: (s: string) => void;
  shapes?: boolean;
  /** default zeromq.js */
  engine?: EngineName;
}): Promise<PacingReport> {
  const log = o.log ?? (() => {});
  const engine = o.engine ?? 'zeromq.js';
  const maxMs = Math.min(o.durationMs, 5000);
  log(`rate: max for ${maxMs / 1000} s ...`);
  const max = await measure('pacing-max', 'max', maxMs, engine);
  log(`  ${Math.round(max.perSec)} msgs/s`);

  const rows: PacingRow[] = [];
  for (const target of o.rates) {
    if (target > SKIP_ABOVE * max.perSec) {
      rows.push({
        targetPerSec: target,
        achievedPerSec: null,
        errorPct: null,
        sendLagP99Us: null,
        withinGoal: null,
        cores: null,
        load: null,
        note: `skipped: above ${SKIP_ABOVE * 100}% of the maximum (${Math.round(max.perSec)} msgs/s)`,
      });
      log(`${target} msgs/s: skipped (max ${Math.round(max.perSec)})`);
      continue;
    }
    log(`${target} msgs/s for ${o.durationMs / 1000} s ...`);
    const m = await measure(`pacing-${target}`, target, o.durationMs, engine);
    const errorPct = pct(m.perSec, target);
    rows.push({
      targetPerSec: target,
      achievedPerSec: m.perSec,
      errorPct,
      sendLagP99Us: m.lagP99Us,
      withinGoal: Math.abs(errorPct) <= GOAL_PCT,
      cores: m.cores,
      load: m.load,
      note: m.problems.join('; '),
    });
    log(`  ${m.perSec.toFixed(1)} msgs/s (${errorPct.toFixed(3)}%), send lag p99 ${m.lagP99Us} µs`);
  }

  const shapes: ShapeRow[] = [];
  if (o.shapes ?? true) {
    const list: Array<{ label: string; rate: unknown }> = [
      { label: 'ramp 1k → 20k over 5s', rate: { ramp: { from: 1000, to: 20000, over: '5s' } } },
      { label: 'bursts of 100 every 50ms', rate: { bursts: { size: 100, every: '50ms' } } },
      {
        label: 'steps 1k / 5k / 10k, 2s each',
        rate: {
          steps: [
            { rate: 1000, for: '2s' },
            { rate: 5000, for: '2s' },
            { rate: 10000, for: '2s' },
          ],
        },
      },
    ];
    for (const { label, rate } of list) {
      log(`${label} for ${o.durationMs / 1000} s ...`);
      const shape = scenario('pacing-shape', rate, o.durationMs, engine).groups[0]!.rateShape!;
      const m = await measure(`pacing-${shape.kind}`, rate, o.durationMs, engine);
      // the schedule over the time the run actually measured
      const expected = expectedAverage(shape, m.measuredMs);
      const errorPct = pct(m.perSec, expected);
      shapes.push({
        shape: label,
        expectedPerSec: expected,
        achievedPerSec: m.perSec,
        errorPct,
        sendLagP99Us: m.lagP99Us,
        cores: m.cores,
        load: m.load,
        note: m.problems.join('; '),
      });
      log(`  ${m.perSec.toFixed(1)} msgs/s against ${expected.toFixed(1)} (${errorPct.toFixed(3)}%), send lag p99 ${m.lagP99Us} µs`);
    }
  }

  const cpus = os.cpus();
  return {
    engine,
    durationMs: o.durationMs,
    maxPerSec: max.perSec,
    skipAbove: SKIP_ABOVE,
    rows,
    shapes,
    machine: `${cpus[0]?.model ?? 'unknown CPU'} × ${cpus.length}, ${os.platform()} ${os.arch()}, Node ${process.version}`,
  };
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const signed = (n: number) => `${n >= 0 ? '+' : ''}${n.toFixed(3)}%`;
const lag = (us: number) => (Number.isFinite(us) ? `${fmt(us)} µs` : '—');

export function pacingTable(r: PacingReport): string {
  const lines = [
    `Constant rates, one PUSH → one PULL over inproc on the ${r.engine} engine, ${r.durationMs / 1000} s measured after a ${WARMUP} warm-up; goal: within ±${GOAL_PCT}%.`,
    `\`rate: max\` reaches ${fmt(r.maxPerSec)} msgs/s here; targets above ${r.skipAbove * 100}% of it are skipped.`,
    '',
    '| target msgs/s | achieved msgs/s | error | send lag p99 | within ±1% | CPU (cores) | load avg |',
    '|---:|---:|---:|---:|:---:|---:|---:|',
    ...r.rows.map((row) =>
      row.achievedPerSec === null
        ? `| ${fmt(row.targetPerSec)} | — | — | — | ${row.note} | — | — |`
        : `| ${fmt(row.targetPerSec)} | ${fmt(row.achievedPerSec, 1)} | ${signed(row.errorPct!)} | ${lag(row.sendLagP99Us!)} | ${row.withinGoal ? 'yes' : 'no'}${row.note ? ` (${row.note})` : ''} | ${row.cores!.toFixed(2)} | ${row.load!.toFixed(1)} |`,
    ),
  ];
  if (r.shapes.length > 0) {
    lines.push(
      '',
      'Rate shapes, against the average rate their schedule implies over the measured time:',
      '',
      '| shape | expected avg msgs/s | achieved msgs/s | error | send lag p99 | CPU (cores) | load avg |',
      '|---|---:|---:|---:|---:|---:|---:|',
      ...r.shapes.map(
        (s) =>
          `| ${s.shape} | ${fmt(s.expectedPerSec, 1)} | ${fmt(s.achievedPerSec, 1)} | ${signed(s.errorPct)} | ${lag(s.sendLagP99Us)}${s.note ? ` (${s.note})` : ''} | ${s.cores.toFixed(2)} | ${s.load.toFixed(1)} |`,
      ),
    );
  }
  lines.push(
    '',
    `*${r.machine}. CPU: CPU time of the whole process (coordinator, sender and receiver threads) per second of wall time; load avg: the machine's 1-minute load average after the run, other work included.*`,
  );
  return lines.join('\n');
}

function argument(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const durationText = argument('duration') ?? '10s';
  const durationMs = parseDurationMs(durationText);
  const rates = (argument('rates') ?? '1000,10000,50000').split(',').map(Number);
  const engine = argument('engine') ?? 'zeromq.js';
  if (durationMs === undefined || durationMs <= 0 || rates.some((r) => !(r > 0)) || !(ENGINES as readonly string[]).includes(engine)) {
    console.error(
      `usage: node dist/bench/pacing.js [--duration 10s] [--rates 1000,10000,50000] [--no-shapes] [--engine ${ENGINES.join('|')}]`,
    );
    process.exit(2);
  }
  const report = await runPacing({
    durationMs,
    rates,
    engine: engine as EngineName,
    log: (s) => console.error(s),
    shapes: !process.argv.includes('--no-shapes'),
  });
  console.log(pacingTable(report));
}
