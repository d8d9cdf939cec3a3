import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LastSeq, Reply, RoleStatus } from '../../../src/protocol/control.js';
import { planTopology } from '../../../src/scenario/plan.js';
import { collectEndpoints, movedEndpoints, plannedEndpoints } from '../../../src/runtime/phases/addresses.js';
import { barrierWithin } from '../../../src/runtime/phases/barrier.js';
import { DRAIN_IDLE_MS, drainUntilCaughtUp } from '../../../src/runtime/phases/drain.js';
import { withLastSampled } from '../../../src/runtime/phases/stop.js';
import { ventWorkersSink } from '../../support/vent-workers-sink.js';

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const never = new Promise<never>(() => {});

async function timed<T>(p: Promise<T>): Promise<{ value: T; ms: number }> {
  const t0 = performance.now();
  const value = await p;
  return { value, ms: performance.now() - t0 };
}

describe('barrier phase: waiting for the start barrier', () => {
  it('is reached when every worker answers in time', async () => {
    assert.equal(await barrierWithin(wait(10), 5_000, new AbortController().signal), true);
  });

  it('is not reached when the time runs out', async () => {
    const { value, ms } = await timed(barrierWithin(never, 30, new AbortController().signal));
    assert.equal(value, false);
    assert.ok(ms >= 25);
  });

  it('ends at once when the run stops early, and when it had stopped before', async () => {
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 10);
    const { value, ms } = await timed(barrierWithin(never, 10_000, stop.signal));
    assert.equal(value, false);
    assert.ok(ms < 1_000);
    assert.equal((await timed(barrierWithin(never, 10_000, stop.signal))).ms < 1_000, true);
  });

  it('fails with the barrier', async () => {
    await assert.rejects(barrierWithin(Promise.reject(new Error('worker 1 ended')), 5_000, new AbortController().signal), /worker 1 ended/);
  });
});

/** vent → two shared pullers → sink: the sink expects what the vent sent. */
const plan = planTopology(ventWorkersSink('p'));
const vent = plan.roles.find((r) => r.group === 'vent')!;
const sentTen: LastSeq[] = [{ sourceId: vent.sourceId, stream: 0, lastSeq: 9 }];
const roleOf = (group: string, instance = 0) => plan.roles.find((r) => r.group === group && r.instance === instance)!.roleId;

/** Receivers whose counts grow by `step` per poll, up to `upTo` each. */
function receivers(step: number, upTo: number): { statuses: () => Promise<RoleStatus[]>; polls: () => number } {
  let polls = 0;
  return {
    statuses: async () => {
      const n = Math.min(upTo, ++polls * step);
      return [
        { roleId: roleOf('workers', 0), received: Math.ceil(n / 2), waiting: [] },
        { roleId: roleOf('workers', 1), received: Math.floor(n / 2), waiting: [] },
        { roleId: roleOf('sink'), received: n, waiting: [] },
      ];
    },
    polls: () => polls,
  };
}

describe('drain phase: the receivers catch up', () => {
  it('ends as soon as every receiving group has what was sent to it', async () => {
    const r = receivers(5, 10);
    await drainUntilCaughtUp(plan, sentTen, r.statuses, 5_000);
    assert.equal(r.polls(), 2);
  });

  it('ends when nothing arrived for a while: the rest is lost', async () => {
    const r = receivers(5, 7);
    const { ms } = await timed(drainUntilCaughtUp(plan, sentTen, r.statuses, 10_000));
    assert.ok(ms >= DRAIN_IDLE_MS && ms < 5_000, `${ms} ms`);
  });

  it('ends after the drain time however much is still on its way', async () => {
    let polls = 0;
    const growing = async (): Promise<RoleStatus[]> => [{ roleId: roleOf('sink'), received: ++polls % 9, waiting: [] }];
    const { ms } = await timed(drainUntilCaughtUp(plan, sentTen, growing, 200));
    assert.ok(ms >= 200 && ms < 2_000, `${ms} ms`);
  });

  it('the interrupt cuts it short, also while it waits between polls', async () => {
    const interrupt = new AbortController();
    const r = receivers(1, 10);
    // a poll, then a wait of 50 ms between polls, which the interrupt ends at once
    setTimeout(() => interrupt.abort(), 5);
    const { ms } = await timed(drainUntilCaughtUp(plan, sentTen, r.statuses, 10_000, interrupt.signal));
    assert.ok(ms < 45, `${ms} ms`);
    const polled = r.polls();
    await drainUntilCaughtUp(plan, sentTen, r.statuses, 10_000, interrupt.signal);
    assert.equal(r.polls(), polled);
  });
});

describe('stop phase: the last sequence numbers', () => {
  it('adds what a slot that cannot answer had sent by its last sample, and nothing an answer covers', () => {
    const answered: LastSeq[] = [{ sourceId: 1, stream: 0, lastSeq: 99 }];
    const sampled = new Map<number, LastSeq[]>([
      [0, [{ sourceId: 1, stream: 0, lastSeq: 90 }]],
      [2, [{ sourceId: 3, stream: 0, lastSeq: 41 }]],
      [4, [{ sourceId: 5, stream: 0, lastSeq: 7 }]],
    ]);
    assert.deepEqual(
      withLastSampled(answered, sampled, (slot) => slot !== 4),
      [
        { sourceId: 1, stream: 0, lastSeq: 99 },
        { sourceId: 3, stream: 0, lastSeq: 41 },
      ],
    );
  });
});

describe('set-up phase: addresses', () => {
  const binders = { tasks: [0], results: [4, 5] };
  const external = { service: 'tcp://10.0.0.1:5555' };

  it('connect-first: every address before any bind, external ones as given', () => {
    const bindPlan = {
      0: { tasks: 'tcp://127.0.0.1:6000' },
      4: { results: 'tcp://127.0.0.1:6001' },
      5: { results: 'tcp://127.0.0.1:6002' },
    };
    assert.deepEqual(plannedEndpoints({ binders }, bindPlan, external), {
      service: ['tcp://10.0.0.1:5555'],
      tasks: ['tcp://127.0.0.1:6000'],
      results: ['tcp://127.0.0.1:6001', 'tcp://127.0.0.1:6002'],
    });
  });

  it('the addresses bound, in instance order; a binder that could not bind has none', () => {
    const replies: Reply[] = [
      { kind: 'bound', id: 1, addresses: [{ roleId: 5, endpoint: 'results', address: 'tcp://127.0.0.1:6002' }] },
      { kind: 'bound', id: 2, addresses: [{ roleId: 4, endpoint: 'results', address: 'tcp://127.0.0.1:6001' }] },
      { kind: 'bound', id: 3, addresses: [] },
    ];
    assert.deepEqual(collectEndpoints({ binders }, replies, external), {
      service: ['tcp://10.0.0.1:5555'],
      tasks: [],
      results: ['tcp://127.0.0.1:6001', 'tcp://127.0.0.1:6002'],
    });
  });

  it('connect-first: an endpoint of ours bound elsewhere than dialled is a problem', () => {
    const dialled = { tasks: ['tcp://127.0.0.1:6000'], results: ['tcp://127.0.0.1:6001'], service: ['tcp://10.0.0.1:5555'] };
    const bound = { tasks: ['tcp://127.0.0.1:6000'], results: ['tcp://127.0.0.1:7001'], service: ['tcp://10.0.0.1:5555'] };
    assert.deepEqual(movedEndpoints(dialled, bound, external), [
      'connect-first: results was dialled at tcp://127.0.0.1:6001 but bound at tcp://127.0.0.1:7001',
    ]);
    assert.deepEqual(movedEndpoints(dialled, dialled, external), []);
  });
});
