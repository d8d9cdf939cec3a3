import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, it } from 'node:test';
import type { RunResult, TimelineEntry } from '../../src/core/types.js';
import { engineUnavailable } from '../../src/engine/availability.js';
import { curveKeyPair } from '../../src/engine/current.js';
import { verdictOf } from '../../src/results/facts.js';
import { runScenario } from '../../src/runtime/run.js';
import { loadScenario } from '../../src/scenario/load.js';
import { applyOverrides } from '../../src/scenario/overrides.js';
import type { EngineName, Scenario } from '../../src/scenario/schema.js';
import { pythonZmqProblem, withPeer } from '../support/python-peer.js';
import { group, scenariosDir } from '../support/run-shipped.js';
import { scenarioOf } from '../support/validation.js';

/**
 * Features beyond plain message flow, with the native engine (libzmq's C API through koffi):
 * CURVE between engines, the pause fault, lazy-pirate retries, an external peer, and loss
 * classes under HWM pressure. Each gives the figures the zeromq.js engine gives.
 */

const unavailable = engineUnavailable('native');
const skip = unavailable === null ? false : `the native engine cannot load here: ${unavailable}`;
const noPython = pythonZmqProblem();

const MESSAGES = 300;
const ENGINES: readonly EngineName[] = ['zeromq.js', 'native'];

const faults = (r: RunResult) => (r.timeline ?? []).filter((e): e is Extract<TimelineEntry, { kind: 'fault' }> => e.kind === 'fault');

function assertComplete(r: RunResult): void {
  assert.deepEqual(r.problems, []);
  assert.equal(r.complete, true);
  assert.equal(verdictOf(r).exitCode, 0);
}

/** Sets the engine of the named groups. */
function withEngines(s: Scenario, engines: Record<string, EngineName>): Scenario {
  return { ...s, groups: s.groups.map((g) => ({ ...g, engine: engines[g.name] ?? g.engine })) };
}

describe('CURVE between a native group and a zeromq.js group over tcp', { skip }, () => {
  const pushPull = (producers: EngineName, workers: EngineName, curve: unknown = true) =>
    scenarioOf({
      name: 'curve-mixed-push-pull',
      transport: 'tcp',
      curve,
      duration: '500ms',
      drain: '1s',
      topology: {
        endpoints: ['work'],
        groups: [
          { name: 'producers', type: 'push', bind: 'work', rate: 2000, messages: MESSAGES, engine: producers },
          { name: 'workers', type: 'pull', count: 2, connect: 'work', engine: workers },
        ],
      },
    });

  for (const [producers, workers] of [
    ['native', 'zeromq.js'],
    ['zeromq.js', 'native'],
  ] as const) {
    it(`push (${producers}, CURVE server) → pull (${workers}, CURVE client): every message, no loss`, async () => {
      const r = await runScenario(pushPull(producers, workers));
      assertComplete(r);
      assert.equal(group(r, 'producers').engine, producers);
      assert.equal(group(r, 'workers').engine, workers);
      assert.equal(group(r, 'producers').sent, MESSAGES);
      const w = group(r, 'workers');
      assert.equal(w.expected, MESSAGES);
      assert.equal(w.received, MESSAGES);
      assert.equal(w.lost, 0);
      assert.equal(w.duplicates, 0);
      assert.equal((r.scenario as { curve?: unknown }).curve, true);
    });
  }

  it('the keys reach native groups in child processes too: every message, no loss', async () => {
    const s = pushPull('native', 'native');
    const r = await runScenario({ ...s, groups: s.groups.map((g) => ({ ...g, placement: 'process' as const })) });
    assertComplete(r);
    assert.equal(group(r, 'workers').engine, 'native');
    assert.equal(group(r, 'producers').sent, MESSAGES);
    assert.equal(group(r, 'workers').received, MESSAGES);
    assert.equal(group(r, 'workers').lost, 0);
  });

  it('a wrong server key for native clients fails the run at the start barrier, saying so, as with zeromq.js', async () => {
    const wrong = curveKeyPair().publicKey; // a valid key, of another pair
    const r = await runScenario(pushPull('zeromq.js', 'native', { serverPublicKey: wrong }));
    assert.equal(r.complete, false);
    assert.equal(r.problems.length, 1, r.problems.join('\n'));
    const who = '(workers\\[[01]\\] handshake:error:other|producers\\[0\\] handshake:error:protocol)';
    assert.match(r.problems[0]!, new RegExp(`^CURVE handshake failed: ${who} on tcp://\\S+ \\(is the server key right\\?\\)$`));
    assert.equal(verdictOf(r).exitCode, 97);
    assert.equal(group(r, 'workers').received, 0);
  });

  it('req (native) → rep (zeromq.js): every request answered, and the handshakes are in the timeline', async () => {
    const r = await runScenario(
      scenarioOf({
        name: 'curve-mixed-req-rep',
        transport: 'tcp',
        curve: true,
        duration: '500ms',
        drain: '1s',
        topology: {
          endpoints: ['svc'],
          groups: [
            { name: 'clients', type: 'req', count: 2, connect: 'svc', messages: MESSAGES, engine: 'native' },
            { name: 'servers', type: 'rep', bind: 'svc' },
          ],
        },
      }),
    );
    assertComplete(r);
    const clients = group(r, 'clients');
    assert.equal(clients.sent, 2 * MESSAGES);
    assert.equal(clients.received, 2 * MESSAGES);
    assert.equal(clients.lost + clients.misrouted, 0);
    assert.equal(group(r, 'servers').received, 2 * MESSAGES);
    const handshakes = (r.timeline ?? []).filter((e) => e.kind === 'socket' && e.event === 'handshake');
    assert.ok(
      handshakes.some((e) => e.kind === 'socket' && e.group === 'clients'),
      'the native clients report their CURVE handshakes',
    );
  });
});

describe('the pause fault on a native group', { skip }, () => {
  /** push → pull at 2,000/s; the pullers stop reading from 250 ms to 550 ms (two sample intervals before it, under load too). */
  const paused = (engine: EngineName) =>
    withEngines(
      scenarioOf({
        name: 'pause-native',
        transport: 'tcp',
        duration: '700ms',
        drain: '2s',
        topology: {
          endpoints: ['work'],
          groups: [
            { name: 'producers', type: 'push', bind: 'work', rate: 2000 },
            { name: 'workers', type: 'pull', connect: 'work' },
          ],
        },
        events: [
          { at: '250ms', pause: 'workers', what: 'receiving' },
          { at: '550ms', resume: 'workers' },
        ],
      }),
      { workers: engine },
    );

  for (const engine of ENGINES) {
    it(`a paused ${engine} puller receives nothing while paused, then everything that waited (no loss)`, async () => {
      const r = await runScenario(paused(engine));
      assertComplete(r);
      assert.equal(group(r, 'workers').engine, engine);
      assert.deepEqual(
        faults(r).map((f) => [f.action, f.target, f.error]),
        [
          ['pause', 'workers', undefined],
          ['resume', 'workers', undefined],
        ],
      );
      const [pause, resume] = faults(r);
      const ts = r.timeseries!;
      const received = ts.groups.workers!.received;
      // Intervals (each ending at t) that lie wholly inside the pause: nothing was read in them.
      const inside = ts.t.map((t, i) => [t, i] as const).filter(([t]) => t - ts.intervalMs >= pause!.tMs + 50 && t <= resume!.tMs);
      assert.ok(inside.length >= 1, `an interval inside the pause (${pause!.tMs}..${resume!.tMs} ms): t = ${ts.t.join(', ')}`);
      for (const [t, i] of inside) assert.equal(received[i], 0, `received in the interval ending at ${t} ms`);
      const before = received.reduce((n, x, i) => (ts.t[i]! <= pause!.tMs ? n + x : n), 0);
      const after = received.reduce((n, x, i) => (ts.t[i]! > resume!.tMs ? n + x : n), 0);
      assert.ok(before > 0, 'messages arrived before the pause');
      assert.ok(after > 0, 'messages arrive again after the resume');
      const sent = group(r, 'producers').sent;
      const workers = group(r, 'workers');
      assert.ok(sent > 0);
      assert.equal(workers.received, sent, 'what waited during the pause arrives after it');
      assert.equal(workers.lost, 0);
    });
  }
});

describe('lazy-pirate retries with native REQ clients', { skip }, () => {
  /** lazy-pirate.yaml compressed: kill at 200 ms, restart at 600 ms, a 100 ms request timeout. */
  async function lazyPirate(engine: EngineName): Promise<RunResult> {
    const s = withEngines(await loadScenario(`${scenariosDir}lazy-pirate.yaml`), { clients: engine });
    return runScenario({
      ...s,
      durationMs: 900,
      drainMs: 1000,
      events: s.events.map((e) => ({ ...e, atMs: e.action === 'kill' ? 200 : 600 })),
      groups: s.groups.map((g) => (g.name === 'clients' ? { ...g, retry: { ...g.retry!, timeoutMs: 100 } } : g)),
    });
  }

  for (const engine of ENGINES) {
    it(`${engine} clients time out, reopen, resend and recover; none stalls (B5)`, async () => {
      const r = await lazyPirate(engine);
      assertComplete(r);
      const clients = group(r, 'clients');
      assert.equal(clients.engine, engine);
      const requests = clients.requests!;
      assert.equal(requests.stalled, 0);
      assert.ok(requests.retries > 0, 'requests were resent');
      assert.ok(requests.recovered > 0, 'resent requests were answered');
      assert.ok(requests.recovered <= requests.retries);
      assert.equal(clients.lost, requests.abandoned, 'only abandoned requests are lost');
      assert.equal(clients.misrouted, 0);
    });
  }
});

describe('an external peer driven by a native group', { skip: skip || (noPython ?? false) }, () => {
  it("run --engine native against the seeds' python hello world server: exit 0, every reply World, none mismatched", async () => {
    const out = mkdtempSync(join(tmpdir(), 'zmq-bench-native-external-'));
    const cli = fileURLToPath(new URL('../../src/cli.js', import.meta.url));
    try {
      const {
        ours: exit,
        theirs: { answered },
      } = await withPeer('hello_world_server.py', 'tcp://127.0.0.1:*', [], async (endpoint) => {
        const args = [cli, 'run', `${scenariosDir}external/hello-world.yaml`, '--engine', 'native', '--endpoint', `server=${endpoint}`];
        return promisify(execFile)(process.execPath, [...args, '--duration', '500ms', '--out', out, '--quiet'], {
          env: { ...process.env, NO_COLOR: '1' },
          timeout: 60_000,
        }).then(
          () => 0,
          (e: { code?: number; stderr?: string }) => `${e.code}: ${e.stderr}`,
        );
      });
      assert.equal(exit, 0);
      const r = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as RunResult;
      const clients = group(r, 'clients');
      assert.equal(clients.engine, 'native');
      assert.ok(clients.sent > 20, `sent ${clients.sent}`);
      assert.equal(clients.received, clients.sent);
      assert.equal(answered, clients.sent, 'the server answered exactly what was sent');
      assert.equal(clients.content?.checked, clients.received);
      assert.equal(clients.content?.mismatched, 0);
      assert.equal(clients.requests?.stalled, 0);
      assert.match(r.environment.nativeEngine?.library ?? '', /\S/);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});

describe('loss classes under HWM pressure with a native publisher', { skip }, () => {
  it("the slow zeromq.js subscriber loses at the tail, and every group's loss classes add up to what it lost", async () => {
    // hwm-pressure.test.ts's slow subscriber, shorter, with the publisher on the native engine.
    // The slow one stops reading from 300 ms to past the end, so its queues are full when the
    // last messages are sent: tail loss is certain; midstream loss (reading while full before
    // the pause) depends on timing, so it is only counted. A receive HWM of 200 keeps the
    // backlog it reads afterwards (at 1 ms a message) short. On a loaded machine even the fast
    // subscribers can fall behind, so their figures are checked for consistency, not for zero.
    const loaded = applyOverrides(await loadScenario(`${scenariosDir}slow-subscriber-small-buffers.yaml`), {
      transport: 'tcp',
      durationMs: 500,
    });
    const s = withEngines(loaded, { publisher: 'native' });
    const r = await runScenario({
      ...s,
      warmupMs: 200,
      drainMs: 5000,
      groups: s.groups.map((g) => {
        if (g.name === 'slow') return { ...g, pauses: [{ atMs: 300, forMs: 500 }], options: { ...g.options, rcvhwm: 200 } };
        if (g.name === 'fast') return { ...g, options: { ...g.options, rcvhwm: 100_000 } };
        return g;
      }),
    });
    assert.deepEqual(r.problems, []);
    assert.equal(group(r, 'publisher').engine, 'native');
    const sent = group(r, 'publisher').sent;
    assert.ok(sent > 0);
    const slow = group(r, 'slow');
    assert.ok(slow.lost > 0, 'the slow subscriber lost messages');
    assert.equal(slow.loss.head, 0, 'the barrier leaves no head loss');
    assert.ok(slow.loss.tail > 0, `tail loss: ${JSON.stringify(slow.loss)}`);
    assert.ok(slow.drained.messages > 0, 'what was buffered arrives after the publisher stopped');
    for (const g of [slow, group(r, 'fast')]) {
      assert.equal(g.lost, g.loss.head + g.loss.midstream + g.loss.tail, `${g.name}: ${JSON.stringify(g.loss)} against lost ${g.lost}`);
      assert.equal(g.received + g.lost, g.expected, `${g.name}: received + lost`);
      assert.equal(g.duplicates, 0);
    }
    assert.equal(slow.expected, sent);
    assert.equal(group(r, 'fast').expected, 2 * sent);
  });
});
