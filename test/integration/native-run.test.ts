import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { RunResult } from '../../src/core/types.js';
import { engineUnavailable } from '../../src/engine/availability.js';
import { runScenario } from '../../src/runtime/run.js';
import { loadScenario } from '../../src/scenario/load.js';
import { applyOverrides } from '../../src/scenario/overrides.js';
import type { EngineName, TransportName } from '../../src/scenario/schema.js';
import { assertFanoutExact, assertPipelineExact } from '../support/exact-counts.js';
import { group, scenariosDir, TRANSPORTS } from '../support/run-shipped.js';

/**
 * Runs with the native engine (libzmq's C API through koffi): the shipped scenarios give the
 * same exact counts as with zeromq.js over every transport, a native group talks to zeromq.js
 * groups over tcp, and runs one after another in one process leave nothing behind.
 */

const unavailable = engineUnavailable('native');
const skip = unavailable === null ? false : `the native engine cannot load here: ${unavailable}`;

async function runNative(file: string, transport: TransportName, engines: Record<string, EngineName> | 'all' = 'all'): Promise<RunResult> {
  const loaded = await loadScenario(`${scenariosDir}${file}`);
  const scenario = applyOverrides(loaded, { transport, durationMs: 300, ...(engines === 'all' ? { engine: 'native' as const } : {}) });
  if (engines !== 'all') for (const g of scenario.groups) g.engine = engines[g.name] ?? g.engine;
  return runScenario(scenario);
}

function assertReqRepExact(r: RunResult): void {
  assert.deepEqual(r.problems, []);
  const clients = group(r, 'clients');
  assert.ok(clients.sent > 0);
  assert.equal(clients.received, clients.sent);
  assert.equal(clients.misrouted, 0);
  assert.equal(clients.lost, 0);
  assert.equal(group(r, 'servers').received, clients.sent);
  assert.equal(clients.latencyKind, 'round-trip');
  assert.ok(clients.latency.p50 > 0);
}

function openFiles(): number {
  return readdirSync('/proc/self/fd').length;
}

describe('the native engine in a run', { skip }, () => {
  for (const transport of TRANSPORTS) {
    it(`pipeline over ${transport}: every task reaches the sink exactly once`, async () => {
      const r = await runNative('pipeline.yaml', transport);
      assertPipelineExact(r);
      assert.deepEqual(
        r.groups.map((g) => g.engine),
        ['native', 'native', 'native'],
      );
    });

    it(`req-rep over ${transport}: every reply reaches the client that asked`, async () => {
      assertReqRepExact(await runNative('req-rep.yaml', transport));
    });
  }

  it('names the libzmq file it loaded in the environment, and only when a group ran native', async () => {
    const native = await runNative('req-rep.yaml', 'inproc');
    assert.match(native.environment.nativeEngine?.library ?? '', /\S/);
    assert.match(native.environment.nativeEngine?.libzmq ?? '', /^\d+\.\d+\.\d+$/);
    const zeromqjs = await runNative('req-rep.yaml', 'inproc', {});
    assert.equal(zeromqjs.environment.nativeEngine, undefined);
    assert.equal('nativeEngine' in zeromqjs.environment, false);
  });

  it('mixes engines over tcp: a native ventilator and sink around zeromq.js workers', async () => {
    const r = await runNative('pipeline.yaml', 'tcp', { ventilator: 'native', sink: 'native' });
    assertPipelineExact(r);
    assert.deepEqual(
      r.groups.map((g) => [g.name, g.engine]),
      [
        ['ventilator', 'native'],
        ['workers', 'zeromq.js'],
        ['sink', 'native'],
      ],
    );
  });

  it('mixes engines over tcp: a native publisher with zeromq.js subscribers', async () => {
    const r = await runNative('pubsub-fanout.yaml', 'tcp', { 'weather-server': 'native' });
    assertFanoutExact(r);
    assert.equal(group(r, 'weather-server').engine, 'native');
    assert.equal(group(r, 'nyc').engine, 'zeromq.js');
  });

  it('runs again in the same process with nothing left open by the runs before', async () => {
    await runNative('pipeline.yaml', 'tcp');
    const before = openFiles();
    for (const transport of TRANSPORTS) assertPipelineExact(await runNative('pipeline.yaml', transport));
    assert.equal(openFiles(), before, 'file descriptors (sockets) left open after three native runs');
  });
});
