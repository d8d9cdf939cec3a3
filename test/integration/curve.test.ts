import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RunResult } from '../../src/core/types.js';
import { verdictOf } from '../../src/results/facts.js';
import { runScenario } from '../../src/runtime/run.js';
import type { TransportName } from '../../src/scenario/schema.js';
import { curveKeyPair } from '../../src/engine/current.js';
import { group } from '../support/run-shipped.js';
import { scenarioOf } from '../support/validation.js';

/**
 * curve: real sockets with CURVE on and off, over tcp and ipc (CURVE works over both; inproc
 * has no handshake and ignores it, so validation refuses it). Counts must be exact either way;
 * a wrong server key must fail the run at the start barrier at once, not after its timeout.
 */

const BOUNDED = { duration: '1s', drain: '1s' };
const MESSAGES = 300;

const pushPull = (transport: TransportName, curve: unknown) =>
  scenarioOf({
    name: 'curve-push-pull',
    transport,
    curve,
    ...BOUNDED,
    topology: {
      endpoints: ['work'],
      groups: [
        { name: 'producers', type: 'push', bind: 'work', rate: 2000, messages: MESSAGES },
        { name: 'workers', type: 'pull', count: 2, connect: 'work' },
      ],
    },
  });

const reqRep = (transport: TransportName, curve: unknown) =>
  scenarioOf({
    name: 'curve-req-rep',
    transport,
    curve,
    ...BOUNDED,
    topology: {
      endpoints: ['svc'],
      groups: [
        { name: 'clients', type: 'req', count: 2, connect: 'svc', messages: MESSAGES },
        { name: 'servers', type: 'rep', bind: 'svc' },
      ],
    },
  });

/** A quoted 40-character Z85 string: what a CURVE key looks like in JSON. */
const Z85_KEY_IN_JSON = /"[0-9a-zA-Z.:+=^!/*?&<>()[\]{}@%$#-]{40}"/g;

/** The run's keys are never written: no key-like string, and `curve` as the scenario said it. */
function assertNoKeys(r: RunResult, allowed: string[] = []): void {
  const keyLike = (JSON.stringify(r).match(Z85_KEY_IN_JSON) ?? []).filter((k) => !allowed.includes(JSON.parse(k) as string));
  assert.deepEqual(keyLike, [], 'no CURVE key in the result');
  for (const g of r.groups) assert.doesNotMatch(JSON.stringify(g.options), /curve/i, `${g.name} options list no CURVE setting`);
}

function assertComplete(r: RunResult): void {
  assert.deepEqual(r.problems, []);
  assert.equal(r.complete, true);
  assert.equal(verdictOf(r).exitCode, 0);
}

for (const transport of ['tcp', 'ipc'] as const) {
  describe(`CURVE on and off both deliver every message over ${transport}`, () => {
    for (const curve of [false, true]) {
      it(`push → pull, curve ${curve}`, async () => {
        const r = await runScenario(pushPull(transport, curve));
        assertComplete(r);
        const producers = group(r, 'producers');
        const workers = group(r, 'workers');
        assert.equal(producers.sent, MESSAGES);
        assert.equal(workers.expected, MESSAGES);
        assert.equal(workers.received, MESSAGES);
        assert.equal(workers.lost, 0);
        assert.equal(workers.duplicates, 0);
        assert.equal((r.scenario as { curve?: unknown }).curve, curve ? true : undefined);
        assertNoKeys(r);
      });

      it(`req → rep, curve ${curve}`, async () => {
        const r = await runScenario(reqRep(transport, curve));
        assertComplete(r);
        const clients = group(r, 'clients');
        assert.equal(clients.sent, 2 * MESSAGES);
        assert.equal(clients.received, 2 * MESSAGES);
        assert.equal(clients.lost, 0);
        assert.equal(clients.misrouted, 0);
        assert.equal(group(r, 'servers').received, 2 * MESSAGES);
        assertNoKeys(r);
      });
    }
  });
}

describe('CURVE keys reach child processes too', () => {
  it('push → pull over tcp, every socket in a process of its own', async () => {
    const scenario = pushPull('tcp', true);
    for (const g of scenario.groups) g.placement = 'process';
    const r = await runScenario(scenario);
    assertComplete(r);
    assert.equal(group(r, 'producers').sent, MESSAGES);
    assert.equal(group(r, 'workers').received, MESSAGES);
    assert.equal(group(r, 'workers').lost, 0);
    assertNoKeys(r);
  });
});

describe('CURVE pub → sub over tcp', () => {
  it('subscriptions work and the barrier probes get through: every update arrives', async () => {
    const r = await runScenario(
      scenarioOf({
        name: 'curve-pub-sub',
        transport: 'tcp',
        curve: true,
        ...BOUNDED,
        topology: {
          endpoints: ['feed'],
          groups: [
            { name: 'news', type: 'pub', bind: 'feed', rate: 1000, messages: MESSAGES, topics: ['a', 'b'] },
            { name: 'all', type: 'sub', count: 2, connect: 'feed' },
            { name: 'only-a', type: 'sub', connect: 'feed', subscribe: ['a'] },
          ],
        },
      }),
    );
    assertComplete(r);
    assert.equal(group(r, 'news').sent, MESSAGES);
    const all = group(r, 'all');
    assert.equal(all.expected, 2 * MESSAGES);
    assert.equal(all.received, 2 * MESSAGES);
    assert.equal(all.lost, 0);
    const onlyA = group(r, 'only-a');
    assert.equal(onlyA.expected, MESSAGES / 2);
    assert.equal(onlyA.received, MESSAGES / 2);
    assert.equal(onlyA.lost, 0);
    assertNoKeys(r);
  });
});

describe('a wrong CURVE server key', () => {
  for (const transport of ['tcp', 'ipc'] as const) {
    it(`fails the run at the start barrier at once, saying so (${transport})`, async () => {
      const wrong = curveKeyPair().publicKey; // a valid key, of another pair
      const started = performance.now();
      const r = await runScenario(pushPull(transport, { serverPublicKey: wrong }));
      const tookMs = performance.now() - started;
      assert.ok(tookMs < 8000, `the run took ${Math.round(tookMs)} ms; the barrier's timeout is 10 s`);
      assert.equal(r.complete, false);
      assert.equal(r.problems.length, 1, r.problems.join('\n'));
      // Both sides see it (measured): the client its handshake broken off (EPIPE,
      // handshake:error:other), the server a cryptographic error (handshake:error:protocol).
      // The client's words are preferred; the server's stand in when the client's are late.
      const who = '(workers\\[[01]\\] handshake:error:other|producers\\[0\\] handshake:error:protocol)';
      assert.match(r.problems[0]!, new RegExp(`^CURVE handshake failed: ${who} on ${transport}://\\S+ \\(is the server key right\\?\\)$`));
      assert.equal(verdictOf(r).exitCode, 97);
      assert.equal(group(r, 'workers').received, 0);
      assert.deepEqual((r.scenario as { curve?: unknown }).curve, { serverPublicKey: wrong });
      assertNoKeys(r, [wrong]);
    });
  }
});
