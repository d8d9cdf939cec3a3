import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { loadScenario } from '../src/scenario/load.js';
import { applyOverrides } from '../src/scenario/overrides.js';
import type { Scenario, TransportName } from '../src/scenario/schema.js';
import { runScenario } from '../src/runtime/run.js';

/**
 * The slow subscriber of scenarios/hwm-sweep.yaml at HWM 10, 100, 1000 and 10000 (both
 * sides): loss and drain time versus HWM, printed as a table with the machine it ran on.
 * Usage: npm run bench:hwm-sweep [-- tcp|ipc|inproc [duration-ms]]
 */

const HWMS = [10, 100, 1000, 10000];
const transport = (process.argv[2] ?? 'tcp') as TransportName;
const durationMs = Number(process.argv[3] ?? 3000);

const base = applyOverrides(await loadScenario(fileURLToPath(new URL('../../scenarios/hwm-sweep.yaml', import.meta.url))), {
  transport,
  durationMs,
});

function withHwm(s: Scenario, hwm: number): Scenario {
  return {
    ...s,
    groups: s.groups.map((g) => ({ ...g, options: g.type === 'pub' ? { ...g.options, sndhwm: hwm } : { ...g.options, rcvhwm: hwm } })),
  };
}

const rows: string[][] = [['HWM', 'sent', 'received', 'lost', 'midstream', 'tail', 'drained', 'drain time', 'p99 latency']];
for (const hwm of HWMS) {
  const r = await runScenario(withHwm(base, hwm));
  const pub = r.groups.find((g) => g.type === 'pub')!;
  const slow = r.groups.find((g) => g.type === 'sub')!;
  if (r.problems.length > 0) console.error(`HWM ${hwm}: ${r.problems.join('; ')}`);
  rows.push([
    String(hwm),
    String(pub.sent),
    String(slow.received),
    `${slow.lost} (${((100 * slow.lost) / Math.max(1, slow.expected)).toFixed(1)}%)`,
    String(slow.loss.midstream),
    String(slow.loss.tail),
    String(slow.drained.messages),
    `${(slow.drained.ms / 1000).toFixed(2)} s`,
    `${(slow.latency.p99 / 1000).toFixed(1)} ms`,
  ]);
}
const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
console.log(`hwm-sweep over ${transport}, ${durationMs} ms at 5,000 msgs/s of 1 KiB, subscriber 1 ms per message`);
console.log(`machine: ${os.cpus()[0]?.model ?? 'unknown'}, ${os.cpus().length} cores, Node ${process.version}\n`);
for (const row of rows) console.log(row.map((c, i) => c.padStart(widths[i]!)).join('  '));
