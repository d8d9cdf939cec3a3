import assert from 'node:assert/strict';
import type { RunResult, TimelineEntry } from '../../src/core/types.js';
import { liveChildren } from '../../src/runtime/process-worker-handle.js';
import { runScenario } from '../../src/runtime/run.js';
import { loadScenario } from '../../src/scenario/load.js';
import { applyOverrides } from '../../src/scenario/overrides.js';
import type { EngineName } from '../../src/scenario/schema.js';
import { group, scenariosDir } from './run-shipped.js';

export const faultsOf = (r: RunResult) =>
  (r.timeline ?? []).filter((e): e is Extract<TimelineEntry, { kind: 'fault' }> => e.kind === 'fault');

/**
 * rep-crash.yaml with its servers in child processes, on one engine: SIGKILL and restart, the
 * stalled REQ clients (B4), the clients accepted again by the restarted process (monitor events
 * from the new process), and no child process left behind.
 */
export async function assertRepCrashInProcesses(engine: EngineName): Promise<void> {
  const scenario = applyOverrides(await loadScenario(`${scenariosDir}rep-crash.yaml`), { engine });
  const r = await runScenario({
    ...scenario,
    groups: scenario.groups.map((g) => (g.name === 'servers' ? { ...g, placement: 'process', threads: 1 } : g)),
  });
  assert.deepEqual(r.problems, []);
  assert.ok(group(r, 'clients').requests!.stalled > 0);
  assert.deepEqual(
    faultsOf(r).map((f) => [f.action, f.error]),
    [
      ['kill', undefined],
      ['restart', undefined],
    ],
  );
  // The clients reconnect to the new process (and a stalled REQ stays stalled all the same).
  const restartMs = faultsOf(r)[1]!.tMs;
  assert.ok(
    (r.timeline ?? []).some(
      (e) => e.kind === 'socket' && e.group === 'servers' && e.instance === 0 && e.event === 'accept' && e.tMs > restartMs,
    ),
    'the restarted server process accepts the clients again',
  );
  assert.deepEqual(liveChildren(), []);
}
