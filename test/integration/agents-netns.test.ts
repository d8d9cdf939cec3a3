import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readCoordinatorKeys, writeKeys } from '../../src/agent/keys.js';
import { curveKeyPair } from '../../src/engine/current.js';
import { runScenario } from '../../src/runtime/run.js';
import type { AgentTarget, CoordinatorKeys } from '../../src/runtime/remote/agent-link.js';
import { loadScenario } from '../../src/scenario/load.js';
import { applyOverrides } from '../../src/scenario/overrides.js';
import { noChildrenWithin, startAgent, type AgentProcess } from '../support/agent-process.js';
import { makeHosts, netnsSkipReason, type Hosts } from '../support/netns.js';
import { group, scenariosDir } from '../support/run-shipped.js';
import { assertSlowedThenDelivered, slowPipeline } from '../support/slow-link.js';
import { scenarioOf } from '../support/validation.js';

/**
 * Agents on other hosts, simulated with network namespaces joined by a bridge (198.18.0.0/15):
 * each agent listens on its own address with CURVE keys, and the coordinator (this process, in
 * the root namespace) drives them over the bridge. Root only: skipped with the reason elsewhere.
 */

const skip = netnsSkipReason();

describe('agents on simulated hosts (network namespaces)', { skip: skip ?? false }, () => {
  let net: Hosts;
  let keysDir: string;
  let keys: CoordinatorKeys;
  let agents: AgentProcess[] = [];
  const targets = (): AgentTarget[] => [
    { label: 'publisher', url: agents[0]!.url },
    { label: 'subscribers', url: agents[1]!.url },
  ];

  before(async () => {
    net = makeHosts(2, { prefix: 'zag' });
    keysDir = mkdtempSync(join(tmpdir(), 'zb-agent-keys-'));
    await writeKeys(keysDir);
    keys = await readCoordinatorKeys(keysDir);
    agents = await Promise.all(
      net.hosts.map((h) => startAgent({ listen: `tcp://${h.address}:7000`, keys: keysDir, prefix: ['ip', 'netns', 'exec', h.name] })),
    );
  });
  after(async () => {
    await Promise.all(agents.map((a) => a.stop()));
    net?.remove();
    if (keysDir) rmSync(keysDir, { recursive: true, force: true });
  });

  it('the slow subscriber on another host: its messages are dropped at the publisher, the fast ones lose none (B10)', async () => {
    // 4,000 a second (not the file's 10,000): still four times what the slow one takes, and gentle on a shared machine
    const s = applyOverrides(await loadScenario(`${scenariosDir}distributed/slow-subscriber.yaml`), { durationMs: 1500, ratePerSec: 4000 });
    s.drainMs = 3000;
    const r = await runScenario(s, { agents: { targets: targets(), keys, timeoutMs: 5000 } });
    assert.deepEqual(r.problems, []);
    // the publisher bound its agent's own address, and the subscribers' host dialled it over the bridge
    assert.match(r.endpoints['feed']![0]!, new RegExp(`^tcp://${net.hosts[0]!.address.replaceAll('.', '\\.')}:\\d+$`));
    assert.deepEqual(
      r.hosts?.map((h) => [h.label, h.address]),
      [
        ['publisher', net.hosts[0]!.address],
        ['subscribers', net.hosts[1]!.address],
      ],
    );
    const sent = group(r, 'publisher').sent;
    assert.ok(sent > 3000, `sent ${sent}`);
    assert.equal(group(r, 'fast').received, 2 * sent, 'the fast subscribers got everything');
    assert.ok(group(r, 'slow').loss.midstream > 0, 'the slow subscriber lost messages midstream');
    assert.ok(group(r, 'fast').clockUncertaintyMs! > 0, 'one-way across hosts carries the clocks uncertainty');
  });

  it('refuses a coordinator with another key: the run fails at once, and the agent names who it refused', async () => {
    const wrong = curveKeyPair();
    const s = applyOverrides(await loadScenario(`${scenariosDir}distributed/slow-subscriber.yaml`), { durationMs: 500 });
    await assert.rejects(runScenario(s, { agents: { targets: targets(), keys: { ...keys, ...wrong }, timeoutMs: 5000 } }), (e: Error) =>
      /agent publisher \(tcp:\/\/[\d.]+:7000\): the CURVE handshake failed/.test(e.message),
    );
    await agents[0]!.waitFor(
      new RegExp(`refused a connection from ${net.bridgeAddress.replaceAll('.', '\\.')}: its CURVE key is not the coordinator's`),
    );
  });

  it('a network partition between two hosts, made by their agents: noticed with heartbeats, and traffic comes back after the heal', async () => {
    const s = scenarioOf({
      name: 'hosts-partition',
      transport: 'tcp',
      duration: '2500ms',
      drain: '1s',
      hosts: [{ label: 'publisher' }, { label: 'subscribers' }],
      topology: {
        endpoints: ['feed'],
        groups: [
          { name: 'pub', type: 'pub', bind: 'feed', rate: 500, host: 'publisher' },
          {
            name: 'sub',
            type: 'sub',
            connect: 'feed',
            host: 'subscribers',
            options: { heartbeatIvl: 100, heartbeatTimeout: 300, reconnectIvl: 100 },
          },
        ],
      },
      events: [{ at: '500ms', partition: ['pub', 'sub'], for: '1s' }],
    });
    const r = await runScenario(s, { agents: { targets: targets(), keys, timeoutMs: 5000 } });
    assert.deepEqual(r.problems, []);
    const [partition, heal] = (r.timeline ?? []).filter((e) => e.kind === 'fault');
    assert.ok(partition?.kind === 'fault' && heal?.kind === 'fault');
    assert.equal(partition.error, undefined);
    assert.equal(heal.error, undefined);
    assert.ok(partition.detectedMs != null && partition.detectedMs <= 300 + 100 + 300, `detected after ${partition.detectedMs} ms`);
    assert.ok(partition.recoveredMs != null, 'messages arrive again after the heal');
    assert.ok(group(r, 'sub').lost > 0, 'what was published meanwhile is lost');
  });

  it('a slow link between two hosts, shaped by their agents: the pipeline runs at about the bandwidth, then delivers everything', async () => {
    const s = slowPipeline({ push: 'publisher', pull: 'subscribers' });
    assertSlowedThenDelivered(await runScenario(s, { agents: { targets: targets(), keys, timeoutMs: 5000 } }));
  });

  it('a host cut off mid-run: the run stops (exit 97) naming its agent, keeps what was measured, and the agent ends its processes', async () => {
    const s = applyOverrides(await loadScenario(`${scenariosDir}distributed/slow-subscriber.yaml`), { durationMs: 4000, ratePerSec: 2000 });
    s.drainMs = 1000;
    const cutOff = net.hosts[1]!;
    let t0 = 0;
    // cut once the measurement has run half a second (a machine under load may take a while to set up)
    const onProgress = (p: { elapsedMs: number }) => {
      if (t0 === 0 && p.elapsedMs >= 500) {
        t0 = Date.now();
        net.cut(cutOff);
      }
    };
    try {
      const r = await runScenario(s, { agents: { targets: targets(), keys, timeoutMs: 5000 }, onProgress });
      assert.ok(t0 > 0, 'the host was cut during the measurement');
      assert.equal(r.complete, false);
      assert.ok(
        r.problems.some((p) => p.startsWith(`agent subscribers (tcp://${cutOff.address}:7000) was lost: nothing heard from it for`)),
        r.problems.join('\n'),
      );
      assert.ok(group(r, 'publisher').sent > 0);
      // detected 2 s after the cut (+ a heartbeat), then stopped at once; the rest waits at most the control timeouts
      assert.ok(Date.now() - t0 < 1000 + 2500 + 16_000, `took ${Date.now() - t0} ms`);
    } finally {
      if (t0 === 0) net.cut(cutOff); // the agent must be cut off for what follows
    }
    // the cut-off agent hears nothing from its coordinator: after 5 s it ends the run's processes itself
    const agent = agents[1]!;
    await agent.waitFor(/the coordinator was lost \(nothing heard for [\d.]+s\): ending \d+ process\(es\)/, 9000);
    assert.deepEqual(await noChildrenWithin(agent.child.pid!, 3000), [], 'no process of the run is left on the cut-off host');
    net.restore(cutOff);
  });
});
