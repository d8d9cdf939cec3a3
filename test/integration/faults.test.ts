import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RunResult } from '../../src/core/types.js';
import { loadScenario } from '../../src/scenario/load.js';
import { runScenario } from '../../src/runtime/run.js';
import { group, scenariosDir } from '../support/run-shipped.js';
import { assertRepCrashInProcesses, faultsOf } from '../support/rep-crash-in-processes.js';

/** The recovery behaviours of the seeds (B4, B5, B12, B13, B17), from the shipped scenarios, in threads. */

const run = async (file: string): Promise<RunResult> => runScenario(await loadScenario(`${scenariosDir}${file}`));
const faults = faultsOf;

/** Messages a group received in the time-series points that end after `fromMs`. */
function receivedAfter(r: RunResult, name: string, fromMs: number): number {
  const ts = r.timeseries!;
  return ts.groups[name]!.received.reduce((n, x, i) => (ts.t[i]! > fromMs ? n + x : n), 0);
}

describe('faults on a timeline', () => {
  it('rep-crash: plain REQ clients whose request died with the server stall, restart or not (B4)', async () => {
    const r = await run('rep-crash.yaml');
    assert.deepEqual(r.problems, []);
    const requests = group(r, 'clients').requests!;
    assert.ok(requests.stalled > 0, 'a client waits for ever');
    assert.ok(requests.stalledMs > 1000, 'since the kill, through the restart, to the end');
    assert.equal(requests.retries + requests.recovered + requests.abandoned, 0);
    const [kill, restart] = faults(r);
    assert.equal(kill!.action, 'kill');
    assert.equal(kill!.target, 'servers[0]');
    assert.ok(kill!.tMs >= 990 && !kill!.error, JSON.stringify(kill));
    assert.equal(restart!.action, 'restart');
    assert.ok(
      (r.timeline ?? []).some((e) => e.kind === 'socket' && e.group === 'clients' && e.event === 'disconnect' && e.tMs >= kill!.tMs),
      'the clients saw the connection drop',
    );
  });

  it('lazy-pirate: clients time out, reopen, resend and recover; none stalls (B5)', async () => {
    const r = await run('lazy-pirate.yaml');
    assert.deepEqual(r.problems, []);
    const clients = group(r, 'clients');
    const requests = clients.requests!;
    assert.equal(requests.stalled, 0);
    assert.ok(requests.retries > 0, 'requests were resent');
    assert.ok(requests.recovered > 0, 'resent requests were answered');
    assert.equal(clients.lost, requests.abandoned, 'only abandoned requests are lost');
    assert.equal(clients.misrouted, 0);
  });

  it('publisher-restart: subscribers resume by themselves; what was sent meanwhile is gone (B12)', async () => {
    const r = await run('publisher-restart.yaml');
    assert.deepEqual(r.problems, []);
    const subs = group(r, 'subscribers');
    assert.ok(subs.loss.midstream > 0, 'a gap around the restart');
    assert.ok(receivedAfter(r, 'subscribers', 2000) > 0, 'messages arrive again after the restart');
    assert.equal(subs.received + subs.lost, subs.expected);
  });

  it('subscriber-rejoin: a returning subscriber misses what was published while it was away (B13)', async () => {
    const r = await run('subscriber-rejoin.yaml');
    assert.deepEqual(r.problems, []);
    const subs = group(r, 'subscribers');
    // 1 s away at 2,000 messages/s: about 2,000 missed, all by the one that left.
    assert.ok(subs.loss.midstream >= 1000, `gap ${subs.loss.midstream}`);
    assert.equal(subs.loss.head + subs.loss.tail, 0);
    assert.ok(receivedAfter(r, 'subscribers', 2300) > 0);
  });

  it('worker-crash: tasks die with their worker, and PUSH with no worker blocks (B17)', async () => {
    // All workers stay down 800 ms instead of 500: on a loaded machine the three kills, done one
    // after the other, once left too short a time with no worker at all for a send to wait.
    const s = await loadScenario(`${scenariosDir}worker-crash.yaml`);
    const r = await runScenario({
      ...s,
      events: s.events.map((e) => (e.action === 'restart' && e.instance === null ? { ...e, atMs: 2800 } : e)),
    });
    assert.deepEqual(r.problems, []);
    const sink = group(r, 'sink');
    const vent = group(r, 'ventilator');
    assert.ok(sink.lost > 0, "tasks queued at a killed worker are lost, against the seeds' claim");
    assert.equal(sink.received + sink.lost, vent.sent);
    assert.ok(vent.blocked.ms > 0, 'with every worker gone, sends wait');
    assert.equal(faults(r).length, 4);
  });

  it('rep-crash with the servers in processes: SIGKILL and restart, the same stall, no child left', async () => {
    await assertRepCrashInProcesses('zeromq.js');
  });
});
