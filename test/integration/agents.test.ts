import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import type { RunResult } from '../../src/core/types.js';
import { runScenario } from '../../src/runtime/run.js';
import type { AgentTarget } from '../../src/runtime/remote/agent-link.js';
import { validateScenario } from '../../src/scenario/validate.js';
import type { Scenario } from '../../src/scenario/schema.js';
import { decodeHistogram } from '../../src/stats/histogram.js';
import { reserveLoopbackPorts } from '../../src/transport/free-port.js';
import { noChildrenWithin, startAgent, type AgentProcess } from '../support/agent-process.js';
import { group } from '../support/run-shipped.js';

/**
 * Agents on this host, over loopback: real `zmq-bench agent` processes, real sockets, one
 * scenario across them (issue 20). Network namespaces (agents-netns.test.ts) add other
 * addresses, CURVE and partitions; what needs no root is here.
 */

function scenario(text: Record<string, unknown>): Scenario {
  const v = validateScenario(text);
  if ('problems' in v) throw new Error(v.problems.join('\n'));
  return v.scenario;
}

const pipeline = (duration: string) =>
  scenario({
    name: 'spread',
    transport: 'tcp',
    duration,
    drain: '1s',
    hosts: [{ label: 'a' }, { label: 'b' }],
    topology: {
      endpoints: ['work'],
      groups: [
        { name: 'producer', type: 'push', bind: 'work', rate: 3000, host: 'a' },
        { name: 'consumers', type: 'pull', count: 4, connect: 'work', host: ['a', 'b'] },
      ],
    },
  });

/** Why a time namespace (a really skewed CLOCK_MONOTONIC) cannot be made here, or null. */
function timeNamespaceSkipReason(): string | null {
  if (process.getuid?.() !== 0) return 'a time namespace needs root';
  try {
    execFileSync('unshare', ['--time', '--monotonic', '1', '--fork', 'true'], { stdio: 'ignore' });
    return null;
  } catch {
    return 'unshare --time does not work here (util-linux 2.36 and Linux 5.6 are needed)';
  }
}

describe('agents on loopback', () => {
  let a: AgentProcess;
  let b: AgentProcess;
  const targets = (): AgentTarget[] => [
    { label: 'a', url: a.url },
    { label: 'b', url: b.url },
  ];
  before(async () => {
    const [pa, pb] = await reserveLoopbackPorts(2);
    [a, b] = await Promise.all([startAgent({ listen: `tcp://127.0.0.1:${pa}` }), startAgent({ listen: `tcp://127.0.0.1:${pb}` })]);
  });
  after(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
  });

  it('spreads a group over two agents: every message counted once, the work split, histograms merged', async () => {
    const r: RunResult = await runScenario(pipeline('800ms'), { agents: { targets: targets(), keys: null, timeoutMs: 5000 } });
    assert.deepEqual(r.problems, []);
    assert.equal(r.complete, true);
    const producer = group(r, 'producer');
    const consumers = group(r, 'consumers');
    assert.ok(producer.sent > 1000, `sent ${producer.sent}`);
    assert.equal(consumers.received, producer.sent);
    assert.equal(consumers.lost, 0);
    assert.equal(consumers.duplicates, 0);
    // PUSH deals round-robin: all four sockets, two on each agent, got a share
    const counts = Object.values(consumers.perSocket?.counts ?? {});
    assert.equal(counts.length, 4);
    for (const n of counts) assert.ok(n > producer.sent / 8, `counts ${counts}`);
    assert.deepEqual(consumers.host, ['a', 'b']);
    assert.equal(producer.host, 'a');
    // the group's histogram is the merge of its sockets' (never an average): one count per message measured
    const merged = decodeHistogram(consumers.histogram);
    assert.ok(merged.totalCount > 0);
    assert.equal(merged.totalCount, consumers.latency.count);
    assert.equal(Math.round(merged.getValueAtPercentile(99) / 10) / 100, Math.round(consumers.latency.p99 * 100) / 100);
    // hosts: each agent's facts and its clock offset, which on one host is near zero
    assert.deepEqual(
      r.hosts?.map((h) => [h.label, h.agent]),
      [
        ['a', a.url],
        ['b', b.url],
      ],
    );
    for (const h of r.hosts!) {
      assert.ok(h.clock !== null && h.clock.samples === 16);
      assert.ok(Math.abs(h.clock.offsetMs) <= h.clock.uncertaintyMs + 1, `offset ${h.clock.offsetMs} ± ${h.clock.uncertaintyMs}`);
    }
    // one-way latency from a to b crosses hosts: it carries the clocks' uncertainty
    assert.ok((consumers.clockUncertaintyMs ?? -1) >= 0);
    assert.deepEqual(await noChildrenWithin(a.child.pid!, 3000), [], "agent a's worker processes are gone after the run");
  });

  it('a publisher here and subscribers on two agents: each subscriber gets every message', async () => {
    const s = scenario({
      name: 'fanout',
      transport: 'tcp',
      duration: '600ms',
      drain: '1s',
      hosts: [{ label: 'a' }, { label: 'b' }],
      topology: {
        endpoints: ['feed'],
        groups: [
          { name: 'publisher', type: 'pub', bind: 'feed', rate: 2000 },
          { name: 'subscribers', type: 'sub', count: 2, connect: 'feed', host: ['a', 'b'] },
        ],
      },
    });
    const r = await runScenario(s, { agents: { targets: targets(), keys: null, timeoutMs: 5000 } });
    assert.deepEqual(r.problems, []);
    const sent = group(r, 'publisher').sent;
    assert.ok(sent > 500);
    assert.equal(group(r, 'subscribers').received, 2 * sent);
    assert.equal(group(r, 'subscribers').lost, 0);
    assert.equal(r.hosts?.length, 2);
  });

  it('an agent whose clock is 5 s ahead (a time namespace): the offset is estimated, and one-way latency stays right', {
    skip: timeNamespaceSkipReason() ?? false,
  }, async () => {
    const [port] = await reserveLoopbackPorts(1);
    const skewed = await startAgent({ listen: `tcp://127.0.0.1:${port}`, prefix: ['unshare', '--time', '--monotonic', '5', '--fork'] });
    try {
      const r = await runScenario(pipeline('600ms'), {
        agents: {
          targets: [
            { label: 'a', url: a.url },
            { label: 'b', url: skewed.url },
          ],
          keys: null,
          timeoutMs: 5000,
        },
      });
      assert.deepEqual(r.problems, []);
      const clock = r.hosts?.find((h) => h.label === 'b')?.clock;
      assert.ok(clock, 'host b has a clock estimate');
      // the true offset is 5 s (plus a and b's own, which are ~0 on one host): within the estimate's ± uncertainty
      assert.ok(Math.abs(clock.offsetMs - 5000) <= clock.uncertaintyMs + 0.5, `offset ${clock.offsetMs} ± ${clock.uncertaintyMs} ms`);
      // a's producer stamps on a's clock, b's consumers read theirs 5 s ahead: without the correction p50 would be ~5 s
      const consumers = group(r, 'consumers');
      assert.equal(consumers.received, group(r, 'producer').sent);
      assert.ok(consumers.latency.p50 < 100_000, `p50 ${consumers.latency.p50} us`);
      assert.ok(consumers.clockUncertaintyMs! >= clock.uncertaintyMs - 0.001);
    } finally {
      await skewed.stop();
    }
  });

  it('kills and restarts a process on an agent (fault events across hosts): every task accounted for', async () => {
    const s = scenario({
      name: 'crash-there',
      transport: 'tcp',
      duration: '1200ms',
      drain: '1s',
      hosts: [{ label: 'a' }, { label: 'b' }],
      topology: {
        endpoints: ['tasks', 'results'],
        groups: [
          { name: 'ventilator', type: 'push', bind: 'tasks', rate: 2000 },
          {
            name: 'workers',
            type: 'pull',
            count: 2,
            placement: 'process',
            host: 'b',
            connect: 'tasks',
            forward: { type: 'push', connect: 'results' },
          },
          { name: 'sink', type: 'pull', bind: 'results', host: 'a' },
        ],
      },
      events: [
        { at: '400ms', kill: 'workers[1]' },
        { at: '700ms', restart: 'workers[1]' },
      ],
    });
    const r = await runScenario(s, { agents: { targets: targets(), keys: null, timeoutMs: 5000 } });
    assert.deepEqual(r.problems, []);
    const faults = (r.timeline ?? []).filter((e) => e.kind === 'fault');
    assert.deepEqual(
      faults.map((f) => [f.action, f.target, f.host, f.error]),
      [
        ['kill', 'workers[1]', 'b', undefined],
        ['restart', 'workers[1]', 'b', undefined],
      ],
    );
    const sink = group(r, 'sink');
    assert.equal(sink.received + sink.lost, group(r, 'ventilator').sent, 'every task is received or counted lost');
    assert.ok(sink.received > 0);
    assert.deepEqual(await noChildrenWithin(b.child.pid!, 3000), [], "agent b's processes, the restarted one too, are gone");
  });

  it('an agent killed mid-run: the run stops within bounds, names it, and keeps what was measured', async () => {
    const [port] = await reserveLoopbackPorts(1);
    const doomed = await startAgent({ listen: `tcp://127.0.0.1:${port}` });
    try {
      const t0 = Date.now();
      setTimeout(() => doomed.kill(), 1200);
      const r = await runScenario(pipeline('4s'), {
        agents: {
          targets: [
            { label: 'a', url: a.url },
            { label: 'b', url: doomed.url },
          ],
          keys: null,
          timeoutMs: 5000,
        },
      });
      const tookMs = Date.now() - t0;
      assert.equal(r.complete, false);
      assert.ok(
        r.problems.some((p) => new RegExp(`agent b \\(${doomed.url}\\) was lost`).test(p)),
        r.problems.join('\n'),
      );
      // lost after 2 s of silence (heartbeats every 250 ms), then stopped: well before the 4 s run would have ended, plus drain
      assert.ok(tookMs < 1200 + 2500 + 3000, `took ${tookMs} ms`);
      assert.ok(group(r, 'producer').sent > 0, 'what was measured is kept');
      assert.deepEqual(await noChildrenWithin(a.child.pid!, 3000), [], "agent a's processes ended with the run");
    } finally {
      await doomed.stop();
    }
  });
});
