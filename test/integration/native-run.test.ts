import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import type { RunResult } from '../../src/core/types.js';
import { engineUnavailable } from '../../src/engine/availability.js';
import { runScenario } from '../../src/runtime/run.js';
import { loadScenario } from '../../src/scenario/load.js';
import { applyOverrides } from '../../src/scenario/overrides.js';
import type { EngineName, TransportName } from '../../src/scenario/schema.js';
import { assertFanoutExact, assertPipelineExact, assertRequestsAnswered } from '../support/exact-counts.js';
import { assertRepCrashInProcesses, faultsOf } from '../support/rep-crash-in-processes.js';
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

const faults = faultsOf;

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
      assertRequestsAnswered(await runNative('req-rep.yaml', transport), 'servers', true);
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

  it('worker-crash: a killed native worker loses its queued tasks, and PUSH with no worker blocks (B17)', async () => {
    const scenario = applyOverrides(await loadScenario(`${scenariosDir}worker-crash.yaml`), { engine: 'native' });
    const r = await runScenario(scenario);
    assert.deepEqual(r.problems, []);
    const sink = group(r, 'sink');
    const vent = group(r, 'ventilator');
    assert.equal(sink.received + sink.lost, vent.sent);
    assert.ok(vent.blocked.ms > 0, 'with every worker gone, sends wait');
    assert.equal(faults(r).length, 4);
  });

  it('rep-crash with native servers in processes: SIGKILL and restart, monitor events from the new process, no child left', async () => {
    await assertRepCrashInProcesses('native');
  });

  it('runs again in the same process with nothing left open by the runs before', async () => {
    await runNative('pipeline.yaml', 'tcp');
    const before = openFiles();
    for (const transport of TRANSPORTS) assertPipelineExact(await runNative('pipeline.yaml', transport));
    assert.equal(openFiles(), before, 'file descriptors (sockets) left open after three native runs');
  });
});

describe('the native engine where no libzmq loads', () => {
  it('run --engine native exits 104 with one line that says why, writes nothing, and zeromq.js still runs', () => {
    const cli = fileURLToPath(new URL('../../src/cli.js', import.meta.url));
    const out = mkdtempSync(join(tmpdir(), 'zmq-bench-no-libzmq-'));
    try {
      const env = { ...process.env, ZMQ_BENCH_LIBZMQ: join(out, 'no-such-libzmq.so') };
      const run = (engine: EngineName) =>
        spawnSync(
          process.execPath,
          [cli, 'run', `${scenariosDir}pipeline.yaml`, '--engine', engine, '--duration', '200ms', '--out', join(out, engine), '--quiet'],
          {
            env,
            encoding: 'utf8',
            timeout: 60_000,
          },
        );
      const native = run('native');
      assert.equal(native.status, 104, native.stderr);
      assert.match(
        native.stderr.trim(),
        /^zmq-bench: --engine native: the native engine is not available: libzmq's C API could not be loaded from .*no-such-libzmq\.so: [^\n]+$/,
      );
      assert.doesNotMatch(native.stderr, /\n\s+at /, 'no stack trace');
      assert.equal(existsSync(join(out, 'native')), false);
      const zeromqjs = run('zeromq.js');
      assert.equal(zeromqjs.status, 0, zeromqjs.stderr);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
