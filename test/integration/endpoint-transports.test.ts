import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RunResult } from '../../src/core/types.js';
import { suiteOutcome, variantOutcome } from '../../src/ci/outcome.js';
import { formatSummary } from '../../src/report/console-summary.js';
import { markdownSummary } from '../../src/report/markdown-summary.js';
import { topologyInput } from '../../src/report/html/scenario-view.js';
import { liveChildren } from '../../src/runtime/process-worker-handle.js';
import { runScenario } from '../../src/runtime/run.js';
import { loadScenario } from '../../src/scenario/load.js';
import { applyOverrides, type Overrides } from '../../src/scenario/overrides.js';
import { assertPipelineExact } from '../support/exact-counts.js';
import { scenariosDir } from '../support/run-shipped.js';

/**
 * A transport per endpoint (issue 22), with real sockets: the shipped pipeline-mixed scenario
 * (ventilator and workers in threads over inproc, the sink in a process over tcp) delivers every
 * task exactly once, and run --transport replaces both transports (validation: the unit tests,
 * test/unit/scenario/endpoint-transports.test.ts). Two short runs, 2-4 s in all on 2 cores.
 */

async function runMixed(o: Overrides = {}): Promise<RunResult> {
  const scenario = applyOverrides(await loadScenario(`${scenariosDir}pipeline-mixed.yaml`), { durationMs: 200, ...o });
  scenario.drainMs = 1000;
  const r = await runScenario(scenario);
  assert.deepEqual(liveChildren(), [], 'the sink process has exited');
  return r;
}

describe('a transport per endpoint', () => {
  it('pipeline-mixed: inproc between threads, tcp to a process, every task reaches the sink exactly once', async () => {
    const r = await runMixed();
    assertPipelineExact(r);
    assert.equal(r.transport, 'mixed');
    assert.deepEqual(r.endpointTransports, { tasks: 'inproc', results: 'tcp' });
    assert.match(r.endpoints['tasks']![0]!, /^inproc:\/\//);
    assert.match(r.endpoints['results']![0]!, /^tcp:\/\/127\.0\.0\.1:\d+$/);
    // the kernel's figures are those of the tcp endpoint only
    assert.deepEqual(Object.keys(r.wire ?? {}), ['results']);
    assert.equal(r.wire!['results']!.connections, 3, 'one connection per worker');
    // socket events come from the tcp side only (inproc has none)
    const events = (r.timeline ?? []).filter((e) => e.kind === 'socket');
    assert.ok(events.length > 0 && events.every((e) => e.address.startsWith('tcp://')), JSON.stringify(events.slice(0, 3)));
    assert.match(formatSummary(r), /^pipeline-mixed · mixed · /);
    assert.match(formatSummary(r), /^transports: tasks inproc, results tcp$/m);
    const variant = variantOutcome('pipeline-mixed', [r], []);
    assert.deepEqual([variant.transport, variant.transports], ['mixed', 'tasks inproc, results tcp']);
    assert.match(markdownSummary(suiteOutcome('s', [variant], null)), /### Transports\n\n- pipeline-mixed: tasks inproc, results tcp\n/);
    assert.deepEqual(
      topologyInput(r).endpoints.map((e) => [e.name, e.transport]),
      [
        ['tasks', 'inproc'],
        ['results', 'tcp'],
      ],
    );
  });

  it('run --transport ipc replaces both endpoint transports, and the file as run says so', async () => {
    // every group in threads, so that the run is short: the sink in a process is the test above's
    const r = await runMixed({ transport: 'ipc', placement: 'thread' });
    assertPipelineExact(r);
    assert.equal(r.transport, 'ipc');
    assert.deepEqual(r.endpointTransports, { tasks: 'ipc', results: 'ipc' });
    for (const addresses of Object.values(r.endpoints)) assert.match(addresses[0]!, /^ipc:\/\//);
    const asRun = r.scenario as { transport: string; topology: { endpoints: unknown[] } };
    assert.equal(asRun.transport, 'ipc');
    assert.deepEqual(asRun.topology.endpoints, ['tasks', 'results']);
    assert.doesNotMatch(formatSummary(r), /^transports:/m);
    assert.equal(variantOutcome('x', [r], []).transports, undefined);
  });
});
