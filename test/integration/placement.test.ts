import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RunResult } from '../../src/core/types.js';
import { PROTOCOL_VERSION } from '../../src/protocol/control.js';
import { liveChildren, ProcessWorkerHandle } from '../../src/runtime/process-worker-handle.js';
import { runScenario } from '../../src/runtime/run.js';
import { loadScenario } from '../../src/scenario/load.js';
import { applyOverrides } from '../../src/scenario/overrides.js';
import { planTopology } from '../../src/scenario/plan.js';
import type { Scenario, TransportName } from '../../src/scenario/schema.js';
import { assertFanoutExact, assertPipelineExact } from '../support/exact-counts.js';
import { scenariosDir } from '../support/run-shipped.js';

/**
 * placement: process. The same shipped scenarios as shipped-scenarios.test.ts, with every
 * group (or only some) in child processes: the counts must be just as exact, and no child
 * may be left behind.
 */

type Variant = 'process' | 'mixed';

/** mixed: these groups in processes, the rest in threads */
const MIXED: Record<string, string[]> = {
  'pipeline.yaml': ['workers'],
  'pubsub-fanout.yaml': ['weather-server', 'nyc'],
};

async function scenarioOf(file: string, transport: TransportName): Promise<Scenario> {
  return applyOverrides(await loadScenario(`${scenariosDir}${file}`), { transport, durationMs: 400 });
}

async function runPlaced(file: string, transport: TransportName, variant: Variant): Promise<RunResult> {
  const scenario = await scenarioOf(file, transport);
  for (const g of scenario.groups) g.placement = variant === 'process' || MIXED[file]!.includes(g.name) ? 'process' : 'thread';
  const plan = planTopology(scenario);
  assert.ok(
    plan.slots.some((s) => s.placement === 'process'),
    'some slot runs in a process',
  );
  const result = await runScenario(scenario);
  assert.deepEqual(liveChildren(), [], 'every child has exited');
  return result;
}

for (const transport of ['ipc', 'tcp'] as const) {
  for (const variant of ['process', 'mixed'] as const) {
    describe(`placement ${variant} over ${transport}`, () => {
      it('pipeline: every task reaches the sink exactly once', async () => {
        assertPipelineExact(await runPlaced('pipeline.yaml', transport, variant));
      });

      it('pubsub-fanout: each subscriber gets exactly the updates its prefixes match', async () => {
        assertFanoutExact(await runPlaced('pubsub-fanout.yaml', transport, variant));
      });
    });
  }
}

describe('ProcessWorkerHandle', () => {
  it('a child that answers "finish" exits 0 and is no longer live', async () => {
    const h = new ProcessWorkerHandle(0, { protocolVersion: PROTOCOL_VERSION, slot: 0, roles: [], warmup: false });
    assert.equal((await h.call({ kind: 'status' })).kind, 'status');
    const last = await h.call({ kind: 'finish' });
    assert.equal(last.kind, 'results');
    await h.done;
    assert.equal(h.killed, false);
    assert.deepEqual(liveChildren(), []);
    await assert.rejects(h.call({ kind: 'status' }), /has ended/, 'a call after the end fails at once');
  });

  it('kill(): done rejects with the signal, a pending call fails instead of hanging', async () => {
    // The sink of pipeline.yaml alone: its barrier waits for three workers that never come.
    const scenario = await scenarioOf('pipeline.yaml', 'ipc');
    const plan = planTopology(scenario);
    const sink = plan.slots.find((s) => s.group === 'sink')!;
    const h = new ProcessWorkerHandle(sink.slot, {
      protocolVersion: PROTOCOL_VERSION,
      slot: sink.slot,
      roles: plan.roles.filter((r) => r.slot === sink.slot),
      warmup: false,
    });
    const bound = await h.call({ kind: 'bind', addresses: { [sink.roleIds[0]!]: { results: 'ipc://@zmq-bench-placement-kill-test' } } });
    assert.equal(bound.kind, 'bound');
    assert.equal(liveChildren().length, 1);
    const pending = h.call({ kind: 'await-barrier' });
    h.kill();
    assert.equal(h.killed, true);
    await assert.rejects(h.done, /sink\[0\]: its process \d+ was killed by SIGKILL \(a kill event\)$/);
    await assert.rejects(pending, /sink\[0\]: its process \d+ was killed by SIGKILL/);
    assert.deepEqual(liveChildren(), []);
  });

  it('a task that fails at start: done rejects with its message', async () => {
    const h = new ProcessWorkerHandle(0, { protocolVersion: PROTOCOL_VERSION + 100, slot: 0, roles: [], warmup: false });
    await assert.rejects(h.done, new RegExp(`protocol ${PROTOCOL_VERSION + 100} not understood`));
    assert.deepEqual(liveChildren(), []);
  });
});
