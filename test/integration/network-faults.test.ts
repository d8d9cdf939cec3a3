import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RunResult, TimelineEntry } from '../../src/core/types.js';
import { judgeRun } from '../../src/ci/outcome.js';
import { runScenario } from '../../src/runtime/run.js';
import { netFaultsSkipReason } from '../../src/transport/net-faults.js';
import { scenarioOf } from '../support/validation.js';
import { group } from '../support/run-shipped.js';
import { assertSlowedThenDelivered, slowPipeline } from '../support/slow-link.js';

/**
 * Network faults on real connections over loopback (issue 21): nft drops a pair's packets (a
 * partition: no RST, no FIN), ss -K resets them (a cut), tc shapes them (slow). Root and nft
 * only; skipped with the reason elsewhere.
 */

const skip = netFaultsSkipReason();

type FaultEntry = Extract<TimelineEntry, { kind: 'fault' }>;
const faults = (r: RunResult): FaultEntry[] => (r.timeline ?? []).filter((e): e is FaultEntry => e.kind === 'fault');

const THRESHOLDS = { detect_ms: ['max < 1s'], recovery_ms: ['max < 2s'] };

const feed = (events: unknown[], options: Record<string, unknown> = {}) =>
  scenarioOf({
    name: 'net-feed',
    thresholds: THRESHOLDS,
    transport: 'tcp',
    duration: '2500ms',
    drain: '1s',
    topology: {
      endpoints: ['feed'],
      groups: [
        { name: 'pub', type: 'pub', bind: 'feed', rate: 500, options },
        { name: 'sub', type: 'sub', connect: 'feed', options: { ...options, reconnectIvl: 100 } },
      ],
    },
    events,
  });

describe('network faults on loopback', { skip: skip ?? false }, () => {
  it('a partition with heartbeats is noticed within the timeout, and traffic comes back after the heal', async () => {
    const r = await runScenario(
      feed([{ at: '500ms', partition: ['pub', 'sub'], for: '1s' }], { heartbeatIvl: 100, heartbeatTimeout: 300 }),
    );
    assert.deepEqual(r.problems, []);
    const [partition, heal] = faults(r);
    assert.equal(partition?.action, 'partition');
    assert.equal(partition?.error, undefined);
    assert.equal(heal?.action, 'heal');
    assert.ok(partition!.detectedMs !== null && partition!.detectedMs! <= 300 + 100 + 300, `detected after ${partition!.detectedMs} ms`);
    assert.ok(partition!.recoveredMs !== null, 'messages arrive again after the heal');
    assert.ok(group(r, 'sub').lost > 0, 'what was sent into the dead connection is lost');
    assert.ok(
      partition!.lostMeanwhile! > 0 && partition!.lostMeanwhile! <= group(r, 'sub').lost,
      `lost meanwhile ${partition!.lostMeanwhile}`,
    );
    const judged = judgeRun(r, feed([]).thresholds).thresholds!;
    assert.deepEqual(
      judged.map((t) => [t.metric, t.passed]),
      [
        ['detect_ms', true],
        ['recovery_ms', true],
      ],
    );
    assert.equal(judged[0]!.actual, partition!.detectedMs! * 1000, 'in µs, as every time of a threshold');
  });

  it('a partition without heartbeats goes unnoticed; after the heal tcp delivers what waited', async () => {
    const r = await runScenario(feed([{ at: '500ms', partition: ['pub', 'sub'], for: '1s' }]));
    assert.deepEqual(r.problems, []);
    const [partition] = faults(r);
    assert.equal(partition?.detectedMs, null, 'no socket saw a disconnect');
    assert.ok(partition!.recoveredMs !== null);
    // 500 msgs/s for 1 s: what waited in the queues and the kernel, none of it lost
    assert.ok(partition!.queuedMax! > 200, `queued ${partition!.queuedMax}`);
    assert.equal(partition!.lostMeanwhile, 0);
    const [detect] = judgeRun(r, feed([]).thresholds).thresholds!;
    assert.equal(detect!.passed, false, 'a fault never noticed fails detect_ms');
    assert.match(detect!.message, /the partition of pub ↔ sub at [\d.]+ ms was never noticed/);
  });

  it('a cut is seen at once, and the subscriber reconnects', async () => {
    const r = await runScenario(feed([{ at: '800ms', cut: ['pub', 'sub'] }]));
    assert.deepEqual(r.problems, []);
    const [cut] = faults(r);
    assert.equal(cut?.error, undefined);
    assert.ok(cut!.detectedMs !== null && cut!.detectedMs! < 200, `detected after ${cut!.detectedMs} ms`);
    assert.ok(cut!.recoveredMs !== null, 'the subscriber reconnected and receives again');
  });

  it('a slow link holds a pipeline to about its bandwidth, and heals', async () => {
    assertSlowedThenDelivered(await runScenario(slowPipeline()));
  });
});
