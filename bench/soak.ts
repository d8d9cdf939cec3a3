/**
 * `npm run bench:soak [-- --minutes 60]`: the pipeline at 20,000 tasks/s over tcp for 10 minutes (or
 * as long as asked), then whether memory stayed flat: for every worker and for the coordinator
 * (which holds the time series), the lowest heap in the first tenth of the measured time against
 * the lowest in the last tenth (lowest: after a garbage collection, the floor a leak would
 * raise). The process's RSS is shown beside them, split into what the V8 heaps hold and the
 * rest (native memory), with its floor for every minute.
 * Goal: less than 10% growth; result.json stays bounded because the time series is sized to
 * fit 2,000 points.
 * Writes bench/results/soak.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadScenario } from '../src/scenario/load.js';
import { applyOverrides } from '../src/scenario/overrides.js';
import { runScenario } from '../src/runtime/run.js';
import { formatBytes } from '../src/core/format.js';

const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const minutes = Number(arg('--minutes') ?? 10);
const GOAL_PCT = 10;

interface Floor {
  who: string;
  firstBytes: number;
  lastBytes: number;
  growthPct: number;
}

/** The floor (minimum) of the first and last tenth of a series, and the growth between them. */
function floors(who: string, values: readonly number[]): Floor | null {
  const tenth = Math.floor(values.length / 10);
  if (tenth < 3) return null;
  const firstBytes = Math.min(...values.slice(0, tenth));
  const lastBytes = Math.min(...values.slice(-tenth));
  return { who, firstBytes, lastBytes, growthPct: ((lastBytes - firstBytes) / firstBytes) * 100 };
}

const base = await loadScenario(fileURLToPath(new URL('../../scenarios/pipeline.yaml', import.meta.url)));
const scenario = applyOverrides(base, { transport: 'tcp', durationMs: minutes * 60_000, warmupMs: 10_000 });

// The coordinator's own heap (in use and held), and the process's RSS, sampled every second.
const coordinatorUsed: number[] = [];
const coordinatorHeld: number[] = [];
const rss: number[] = [];
const timer = setInterval(() => {
  const m = process.memoryUsage();
  coordinatorUsed.push(m.heapUsed);
  coordinatorHeld.push(m.heapTotal);
  rss.push(m.rss);
}, 1000);
console.error(`soak: pipeline at 20,000 tasks/s over tcp for ${minutes} min after 10 s of warm-up`);
const result = await runScenario(scenario, { log: (l) => console.error(l) });
clearInterval(timer);

const s = result.timeseries!;
const measured = s.t.map((t, i) => (t > 0 && t <= result.timing.measuredMs ? i : -1)).filter((i) => i >= 0);
const workers = Object.entries(s.workers);
/** The heap all workers hold at `ms` into the measured time: their latest time-series point by then. */
function workersHeldAt(ms: number): number {
  let at = measured[0]!;
  for (const i of measured) if (s.t[i]! <= ms) at = i;
  return workers.reduce((sum, [, w]) => sum + w.heapTotalBytes[at]!, 0);
}
// The first 10 s of the coordinator's samples are the warm-up, as the workers' are left out.
const WARMUP_SAMPLES = 10;
const rssMeasured = rss.slice(WARMUP_SAMPLES);
// A leak in JavaScript raises a heap in use; those are judged. The RSS is shown, split into what
// the V8 heaps hold and the rest (native memory: message buffers, libzmq). Measured: the rest
// grows in steps with V8's young-generation size, as garbage Buffers keep their native memory
// until a scavenge (10-minute soak, RSS +13% by default, +3% with --max-semi-space-size=1).
const heldByV8 = rssMeasured.map((_, k) => coordinatorHeld[k + WARMUP_SAMPLES]! + workersHeldAt(k * 1000));
const checks = [
  ...workers.map(([id, w]) =>
    floors(
      `worker ${id} heap in use`,
      measured.map((i) => w.heapUsedBytes[i]!),
    ),
  ),
  floors('coordinator heap in use (holds the time series)', coordinatorUsed.slice(WARMUP_SAMPLES)),
].filter((f): f is Floor => f !== null);
const shown = [
  floors('process RSS (all threads)', rssMeasured),
  floors('V8 heaps held, all threads', heldByV8),
  floors(
    'RSS outside the V8 heaps (native memory)',
    rssMeasured.map((r, k) => r - heldByV8[k]!),
  ),
].filter((f): f is Floor => f !== null);
// The RSS floor of every minute, to show the shape of any growth (steps, then level, or a slope).
const rssFloorPerMinuteMiB = Array.from({ length: Math.ceil(rss.length / 60) }, (_, m) =>
  Math.round(Math.min(...rss.slice(m * 60, (m + 1) * 60)) / 2 ** 20),
);
const json = JSON.stringify(result);
const report = {
  minutes,
  environment: result.environment,
  valid: result.problems.length === 0,
  problems: result.problems,
  messages: result.totals.received,
  lost: result.totals.lost,
  timeseriesPoints: s.points,
  resultJsonBytes: json.length,
  goalPct: GOAL_PCT,
  judged: checks,
  shown,
  rssFloorPerMinuteMiB,
  nodeFlags: [...process.execArgv, ...(process.env.NODE_OPTIONS ? [process.env.NODE_OPTIONS] : [])],
  flat: checks.every((c) => c.growthPct < GOAL_PCT),
};
mkdirSync(fileURLToPath(new URL('../../bench/results/', import.meta.url)), { recursive: true });
writeFileSync(fileURLToPath(new URL('../../bench/results/soak.json', import.meta.url)), `${JSON.stringify(report, null, 2)}\n`);

console.log(`| memory of | first tenth (floor) | last tenth (floor) | growth | judged |\n| --- | ---: | ---: | ---: | --- |`);
for (const [c, judged] of [...checks.map((c) => [c, true] as const), ...shown.map((c) => [c, false] as const)]) {
  console.log(
    `| ${c.who} | ${formatBytes(c.firstBytes)} | ${formatBytes(c.lastBytes)} | ${c.growthPct.toFixed(1)}% | ${judged ? `yes (goal < ${GOAL_PCT}%)` : 'shown'} |`,
  );
}
console.log(
  `\n${minutes} min, ${result.totals.received.toLocaleString('en-US')} messages, ${result.totals.lost} lost, ${s.points} time-series points, ` +
    `result.json ${formatBytes(json.length)}; memory ${report.flat ? 'flat' : 'NOT flat'} (goal: < ${GOAL_PCT}% growth of every heap in use)` +
    (report.valid ? '' : `; run not valid: ${result.problems.join('; ')}`),
);
process.exitCode = report.flat && report.valid ? 0 : 1;
