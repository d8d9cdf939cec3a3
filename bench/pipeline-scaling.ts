import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { loadScenario } from '../src/scenario/load.js';
import type { Placement, Scenario } from '../src/scenario/schema.js';
import { runScenario } from '../src/runtime/run.js';

/**
 * B16: the wall time of scenarios/pipeline-scaling.yaml (1,000 tasks, 4 ms each) with 1, 2 and
 * 4 workers, in threads and in processes, and the speed-up over one worker.
 * Wall time = from the start of sending until the sink had the last task.
 * Usage: npm run bench:scaling
 */

const base = await loadScenario(fileURLToPath(new URL('../../scenarios/pipeline-scaling.yaml', import.meta.url)));

function variant(s: Scenario, workers: number, placement: Placement): Scenario {
  return {
    ...s,
    groups: s.groups.map((g) =>
      g.name === 'workers' ? { ...g, count: workers, threads: placement === 'thread' ? workers : 1, placement } : g,
    ),
  };
}

const rows: string[][] = [['placement', 'workers', 'tasks at sink', 'wall time', 'speed-up']];
for (const placement of ['thread', 'process'] as const) {
  let single = 0;
  for (const workers of [1, 2, 4]) {
    const r = await runScenario(variant(base, workers, placement));
    const sink = r.groups.find((g) => g.name === 'sink')!;
    const wallMs = r.timing.measuredMs + sink.drained.ms;
    if (workers === 1) single = wallMs;
    if (r.problems.length > 0) console.error(`${placement} ${workers}: ${r.problems.join('; ')}`);
    rows.push([placement, String(workers), String(sink.received), `${(wallMs / 1000).toFixed(2)} s`, `${(single / wallMs).toFixed(2)}×`]);
  }
}
const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
console.log('pipeline-scaling: 1,000 tasks, 4 ms of work each, ventilator → workers → sink over tcp');
console.log(`machine: ${os.cpus()[0]?.model ?? 'unknown'}, ${os.cpus().length} cores, Node ${process.version}\n`);
for (const row of rows) console.log(row.map((c, i) => c.padStart(widths[i]!)).join('  '));
