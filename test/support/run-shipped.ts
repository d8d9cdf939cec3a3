import { fileURLToPath } from 'node:url';
import type { GroupResult, RunResult } from '../../src/core/types.js';
import { loadScenario } from '../../src/scenario/load.js';
import { applyOverrides } from '../../src/scenario/overrides.js';
import { isSender, type TransportName } from '../../src/scenario/schema.js';
import { runScenario } from '../../src/runtime/run.js';

/** dist/test/support → the repository's scenarios/ folder. */
export const scenariosDir = fileURLToPath(new URL('../../../scenarios/', import.meta.url));

export async function runShipped(file: string, transport: TransportName, durationMs: number): Promise<RunResult> {
  const scenario = applyOverrides(await loadScenario(`${scenariosDir}${file}`), { transport, durationMs });
  return runScenario(scenario);
}

/** A shipped scenario over inproc with every sender's messages set to `sizeBytes`. */
export async function runSized(file: string, sizeBytes: number, durationMs = 300): Promise<RunResult> {
  const scenario = applyOverrides(await loadScenario(`${scenariosDir}${file}`), { transport: 'inproc', durationMs });
  for (const g of scenario.groups) if (isSender(g.type, g.side)) g.sizeBytes = sizeBytes;
  return runScenario(scenario);
}

export function group(result: RunResult, name: string): GroupResult {
  const g = result.groups.find((x) => x.name === name);
  if (!g) throw new Error(`no group ${name} in ${result.groups.map((x) => x.name).join(', ')}`);
  return g;
}

export const TRANSPORTS: TransportName[] = ['inproc', 'ipc', 'tcp'];
