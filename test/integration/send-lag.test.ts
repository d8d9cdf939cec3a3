import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseScenarioText } from '../../src/scenario/load.js';
import { isSender, type SocketType } from '../../src/scenario/schema.js';
import { runScenario } from '../../src/runtime/run.js';
import { verdictOf } from '../../src/results/facts.js';
import { fallsBehindScenario } from '../support/falls-behind.js';
import { group } from '../support/run-shipped.js';

/**
 * Send lag (actual send start minus intended time) with real sockets: a paced sender that keeps
 * up has next to none; one blocked by backpressure falls far behind, and `maxSendLag` then makes
 * the run not valid. Generous bounds only: the machine is noisy.
 */

describe('send lag', () => {
  it('a paced push that keeps up has a small send lag, and the run is valid', async () => {
    const r = await runScenario(
      parseScenarioText(
        `
name: keeps-up
transport: inproc
duration: 500ms
drain: 1s
maxSendLag: 1s
topology:
  endpoints: [tasks]
  groups:
    - { name: pusher, type: push, bind: tasks, rate: 2000 }
    - { name: puller, type: pull, connect: tasks }
`,
        'keeps-up.yaml',
      ),
    );
    assert.deepEqual(r.problems, []);
    assert.equal(r.complete, true);
    assert.equal(verdictOf(r).status, 'pass');
    const senders = r.groups.filter((g) => isSender(g.type as SocketType, null));
    assert.ok(senders.length > 0);
    for (const g of senders) {
      assert.ok(g.sendLag, `${g.name} has sendLag`);
      assert.ok(g.sendLag.summary.count > 0, `${g.name} recorded send lags`);
      // generous: a shared 2-core machine under a full test suite has shown 200 ms; the point is
      // that a sender that keeps up is not marked behind, not how fast this machine is
      assert.ok(g.sendLag.summary.p99 < 1_000_000, `${g.name} send lag p99 ${g.sendLag.summary.p99} µs`);
      assert.ok(g.sendLag.histogram.length > 0);
    }
    assert.equal(group(r, 'puller').sendLag, undefined, 'a receiver has no send lag');
    assert.ok(group(r, 'pusher').sendLag!.summary.count <= group(r, 'pusher').sent, 'measured phase only');
    const ts = r.timeseries!;
    assert.equal(ts.groups.pusher!.sendLagP99.length, ts.points);
    assert.ok(ts.groups.puller!.sendLagP99.every((v) => v === 0));
  });

  it('a push blocked by backpressure falls far behind: with maxSendLag the run is not valid', async () => {
    // 12,000 messages asked for, ~300 read (test/support/falls-behind.ts says why).
    const r = await runScenario(fallsBehindScenario({ maxSendLag: '5ms' }));
    const lag = group(r, 'pusher').sendLag!;
    assert.ok(lag.summary.count > 0);
    assert.ok(lag.summary.p99 > 5_000, `send lag p99 ${lag.summary.p99} µs`);
    const behind = r.problems.filter((p) => p.startsWith('generator fell behind: send lag p99 of pusher was '));
    assert.equal(behind.length, 1, r.problems.join('\n'));
    assert.match(behind[0]!, /, more than maxSendLag 5\.00ms$/);
    assert.equal(verdictOf(r).status, 'invalid');
    assert.equal(verdictOf(r).exitCode, 97);
  });
});
