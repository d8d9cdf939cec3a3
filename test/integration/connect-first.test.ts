import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RunResult, TimelineEntry } from '../../src/core/types.js';
import { runScenario } from '../../src/runtime/run.js';
import { loadScenario } from '../../src/scenario/load.js';
import { applyOverrides } from '../../src/scenario/overrides.js';
import type { StartOrder, TransportName } from '../../src/scenario/schema.js';
import { group, scenariosDir } from '../support/run-shipped.js';

/**
 * B2, either side may start first: the shipped connect-before-bind scenario, whose REQ
 * clients and SUB subscribers connect before the REP and the PUB bind, over ipc and tcp with
 * real sockets; and the same scenario bind-first, for contrast. Both deliver, with nothing
 * lost and a measured time to the first message. Short runs (200 ms measured, about 1 s each).
 */

const MEASURED_MS = 200;
const CONNECTORS = ['subscribers', 'clients'];
const BINDERS = ['publisher', 'server'];

async function run(transport: TransportName, start: StartOrder, curve = false): Promise<RunResult> {
  const scenario = applyOverrides(await loadScenario(`${scenariosDir}connect-before-bind.yaml`), { transport, durationMs: MEASURED_MS });
  scenario.startOrder = start;
  scenario.drainMs = 1000;
  scenario.curve = { enabled: curve, serverPublicKey: null };
  return runScenario(scenario);
}

const socketEvents = (r: RunResult, groupName: string, event: string): TimelineEntry[] =>
  (r.timeline ?? []).filter((e) => e.kind === 'socket' && e.group === groupName && e.event === event);

function assertDelivers(r: RunResult, start: StartOrder): void {
  assert.deepEqual(r.problems, []);
  assert.equal(r.complete, true);
  assert.equal((r.scenario as { start?: string }).start, start, 'the scenario as run says how it started');
  for (const name of CONNECTORS) {
    const g = group(r, name);
    assert.ok(g.received > 0, `${name} received ${g.received}`);
    assert.equal(g.lost, 0, `${name} lost nothing`);
    assert.ok(g.firstMessageMs !== undefined && g.firstMessageMs > 0, `${name} firstMessageMs ${g.firstMessageMs}`);
    // the start barrier had every connection made: the first message is not held up by a reconnect
    assert.ok(g.firstMessageMs < 1000, `${name} firstMessageMs ${g.firstMessageMs}`);
  }
  assert.equal(group(r, 'clients').misrouted, 0);
  assert.equal(group(r, 'publisher').firstMessageMs, undefined, 'a pub receives nothing');
  assert.ok(group(r, 'server').firstMessageMs !== undefined, 'the rep received the first request');
}

for (const transport of ['ipc', 'tcp'] as const) {
  describe(`start over ${transport}`, () => {
    it('connect-first: clients and subscribers connect before anything binds, and everything is delivered', async () => {
      const r = await run(transport, 'connect-first');
      assertDelivers(r, 'connect-first');
      // Each connecting socket was refused (nothing bound yet) before the binder accepted it.
      const firstAccept = Math.min(...BINDERS.flatMap((b) => socketEvents(r, b, 'accept').map((e) => e.tMs)));
      for (const name of CONNECTORS) {
        const retries = socketEvents(r, name, 'connect:retry');
        assert.ok(retries.length > 0, `${name}: no connect:retry, so it did not connect before the bind`);
        assert.ok(retries[0]!.tMs < firstAccept, `${name} retried at ${retries[0]!.tMs} ms, before the first accept at ${firstAccept} ms`);
      }
      // the addresses dialled were the ones bound: a tcp port fixed before the bind
      if (transport === 'tcp') for (const a of Object.values(r.endpoints).flat()) assert.match(a, /^tcp:\/\/127\.0\.0\.1:[1-9][0-9]*$/);
    });

    it('bind-first (the default): the same scenario delivers too, without a refused connect', async () => {
      const r = await run(transport, 'bind-first');
      assertDelivers(r, 'bind-first');
      for (const name of CONNECTORS) assert.deepEqual(socketEvents(r, name, 'connect:retry'), [], `${name} found its peer bound`);
    });
  });
}

describe('start: connect-first with CURVE', () => {
  it('the clients hold the server key before the server binds; the handshakes complete once it does', async () => {
    const r = await run('tcp', 'connect-first', true);
    assertDelivers(r, 'connect-first');
    assert.deepEqual((r.scenario as { curve?: unknown }).curve, true);
    for (const name of CONNECTORS) assert.ok(socketEvents(r, name, 'handshake').length > 0, `${name} completed a handshake`);
  });
});
