/**
 * Scale (issue 8): aggregate throughput with 1, 2 and 4 sender threads and with 1 and 2 sender
 * processes; fan-out to 100 subscribers; one run with 1,000 sockets. Every run is a real
 * scenario through runScenario. `node dist/bench/scale.js [--quick]` prints a Markdown table;
 * bench/all.ts calls runScale().
 */
import { runScenario } from '../src/runtime/run.js';
import type { RunResult } from '../src/core/types.js';
import { formatLatencyUs, formatRate } from '../src/core/format.js';
import type { Scenario } from '../src/scenario/schema.js';
import { scenarioFromRaw } from '../src/scenario/load.js';

export interface ScaleCase {
  name: string;
  /** what the run had: sockets, threads, processes */
  setup: string;
  sockets: number;
  /** messages per second received in the measured phase (all receivers together) */
  msgsPerSec: number;
  lost: number;
  /** one-way latency p99, µs */
  p99Us: number | null;
  /** msgsPerSec relative to the first case of the same series (null for other kinds) */
  speedup: number | null;
  /** the run's problems (empty when it was valid) */
  problems: string[];
}

export interface ScaleReport {
  durationMs: number;
  cases: ScaleCase[];
}

const scenario = (raw: Record<string, unknown>): Scenario => scenarioFromRaw(raw, `bench scenario ${String(raw['name'])}`);

/**
 * N push sockets at full speed into N pull sockets over tcp, the senders in threads (one each,
 * or `senderThreads` shared) or processes.
 */
function parallelPairs(n: number, placement: 'thread' | 'process', durationMs: number, senderThreads = n): Scenario {
  const senders = {
    name: 'senders',
    type: 'push',
    count: n,
    connect: 'work',
    size: 64,
    rate: 'max',
    placement,
    ...(placement === 'thread' ? { threads: senderThreads } : {}),
  };
  return scenario({
    name: `pairs-${placement}-${n}${senderThreads === n ? '' : `-in-${senderThreads}`}`,
    transport: 'tcp',
    duration: `${durationMs}ms`,
    warmup: '200ms',
    drain: '5s',
    topology: { endpoints: ['work'], groups: [senders, { name: 'receivers', type: 'pull', count: n, threads: n, bind: 'work' }] },
  });
}

function fanOut(subscribers: number, durationMs: number): Scenario {
  return scenario({
    name: `fan-out-${subscribers}`,
    transport: 'tcp',
    duration: `${durationMs}ms`,
    drain: '5s',
    topology: {
      endpoints: ['feed'],
      groups: [
        { name: 'publisher', type: 'pub', bind: 'feed', size: 64, rate: 1000 },
        { name: 'subscribers', type: 'sub', count: subscribers, threads: 4, connect: 'feed' },
      ],
    },
  });
}

function manySockets(clients: number, durationMs: number): Scenario {
  return scenario({
    name: `sockets-${clients + 1}`,
    transport: 'tcp',
    duration: `${durationMs}ms`,
    drain: '5s',
    topology: {
      endpoints: ['sink'],
      groups: [
        // 999 connections at once overflow libzmq's default listen backlog (100): dropped SYNs
        // are retried after 1, 3, 7 s and miss the 10 s start barrier
        { name: 'sink', type: 'pull', bind: 'sink', options: { backlog: 1024 } },
        { name: 'clients', type: 'push', count: clients, threads: 4, connect: 'sink', size: 64, rate: 10 },
      ],
    },
  });
}

function caseOf(name: string, setup: string, r: RunResult, sockets: number, base: number | null): ScaleCase {
  return {
    name,
    setup,
    sockets,
    msgsPerSec: r.totals.throughput.msgsPerSec,
    lost: r.totals.lost,
    p99Us: r.totals.latency.count > 0 ? r.totals.latency.p99 : null,
    speedup: base === null ? null : r.totals.throughput.msgsPerSec / base,
    problems: r.problems,
  };
}

export async function runScale(o: { durationMs: number; log?: (s: string) => void }): Promise<ScaleReport> {
  const cases: ScaleCase[] = [];
  const run = async (s: Scenario) => {
    o.log?.(`scale: ${s.name}`);
    return runScenario(s);
  };
  for (const placement of ['thread', 'process'] as const) {
    let base: number | null = null;
    for (const n of placement === 'thread' ? [1, 2, 4] : [1, 2]) {
      const r = await run(parallelPairs(n, placement, o.durationMs));
      base ??= r.totals.throughput.msgsPerSec;
      const where = placement === 'thread' ? `${n} sender thread${n > 1 ? 's' : ''}` : `${n} sender process${n > 1 ? 'es' : ''}`;
      cases.push(caseOf(`push/pull, ${where}`, `${n} push → ${n} pull over tcp, rate max, 64 B`, r, 2 * n, base));
    }
    if (placement === 'thread') {
      // several sender roles sharing one thread: zeromq.js allows one send in flight per socket,
      // so more sockets lift the ceiling even without more threads
      const shared = await run(parallelPairs(4, 'thread', o.durationMs, 1));
      cases.push(caseOf('push/pull, 4 sender roles in 1 thread', '4 push → 4 pull over tcp, rate max, 64 B', shared, 8, base));
    }
  }
  const fan = await run(fanOut(100, o.durationMs));
  cases.push(caseOf('fan-out to 100 subscribers', '1 pub at 1,000/s → 100 sub in 4 threads, tcp', fan, 101, null));
  const many = await run(manySockets(999, o.durationMs));
  cases.push(caseOf('1,000 sockets', '999 push at 10/s each in 4 threads → 1 pull, tcp', many, 1000, null));
  return { durationMs: o.durationMs, cases };
}

export function scaleTable(r: ScaleReport): string {
  const rows = r.cases.map((c) =>
    [
      c.name,
      c.setup,
      String(c.sockets),
      formatRate(c.msgsPerSec),
      c.speedup === null ? '' : `${c.speedup.toFixed(2)}×`,
      String(c.lost),
      c.p99Us === null ? '-' : formatLatencyUs(c.p99Us),
      c.problems.length === 0 ? 'valid' : `not valid: ${c.problems.join('; ')}`,
    ].join(' | '),
  );
  return [
    '| case | setup | sockets | msgs/s received | vs 1 | lost | p99 | run |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |',
    ...rows.map((x) => `| ${x} |`),
  ].join('\n');
}

if (process.argv[1]?.endsWith('scale.js')) {
  const quick = process.argv.includes('--quick');
  const report = await runScale({ durationMs: quick ? 500 : 2000, log: (s) => console.error(s) });
  console.log(scaleTable(report));
}
