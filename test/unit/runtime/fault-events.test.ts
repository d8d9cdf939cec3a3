import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Reply } from '../../../src/protocol/control.js';
import { parseScenarioText } from '../../../src/scenario/load.js';
import { planTopology, type RolePlan, type SlotPlan, type TopologyPlan } from '../../../src/scenario/plan.js';
import type { FaultEvent } from '../../../src/scenario/schema.js';
import { INCARNATION_STRIDE, faultActions, type FaultHost } from '../../../src/runtime/fault-actions.js';
import { FaultScheduler, type FaultActions } from '../../../src/runtime/faults.js';
import type { CommandBody, WorkerHandle } from '../../../src/runtime/worker-handle.js';

/** vent → two workers, each in a process of its own → sink (a thread); faults on a timeline. */
function pipeline(events: string): { plan: TopologyPlan; events: FaultEvent[] } {
  const scenario = parseScenarioText(
    `
name: faults
transport: tcp
duration: 1s
topology:
  endpoints: [tasks, results]
  groups:
    - { name: vent, type: push, bind: tasks, rate: 100, placement: process }
    - { name: workers, type: pull, count: 2, placement: process, connect: tasks, forward: { type: push, connect: results } }
    - { name: sink, type: pull, bind: results }
events:
${events}
`,
    'faults.yaml',
  );
  return { plan: planTopology(scenario), events: scenario.events };
}

/** What the scheduler asked for, in order, on a clock the test moves by waiting. */
function recordingActions(start = performance.now(), fail: string | null = null): FaultActions & { calls: string[] } {
  const calls: string[] = [];
  const name = (roles: RolePlan[]) => roles.map((r) => `${r.group}[${r.instance}]`).join(',');
  return {
    calls,
    now: () => performance.now() - start,
    killProcess: (slot: SlotPlan) => void calls.push(`kill slot ${slot.slot}`),
    restartProcess: async (slot: SlotPlan, roles: RolePlan[]) => void calls.push(`restart slot ${slot.slot} ${name(roles)}`),
    command: async (slot: SlotPlan, role: RolePlan, event: FaultEvent) => {
      if (fail !== null) throw new Error(fail);
      calls.push(`${event.action} ${event.what} slot ${slot.slot} ${name([role])}`);
    },
  };
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('FaultScheduler: the events timeline', () => {
  it('kills and restarts a process, commands a thread, in the order of the timeline, and records each', async () => {
    const { plan, events } = pipeline(`
  - { at: 10ms, pause: sink, what: receiving }
  - { at: 20ms, kill: "workers[1]" }
  - { at: 20ms, resume: sink }
  - { at: 30ms, restart: "workers[1]" }
  - { at: 40ms, stop: vent }`);
    const actions = recordingActions();
    const scheduler = new FaultScheduler(events, plan, actions);
    scheduler.start();
    await wait(120);
    const entries = await scheduler.stop();
    const slotOf = (group: string, instance: number) => plan.roles.find((r) => r.group === group && r.instance === instance)!.slot;
    assert.deepEqual(actions.calls, [
      `pause receiving slot ${slotOf('sink', 0)} sink[0]`,
      `kill slot ${slotOf('workers', 1)}`,
      `resume receiving slot ${slotOf('sink', 0)} sink[0]`,
      `restart slot ${slotOf('workers', 1)} workers[1]`,
      `stop both slot ${slotOf('vent', 0)} vent[0]`,
    ]);
    assert.deepEqual(
      entries.map((e) => (e.kind === 'fault' ? [e.action, e.target, e.plannedMs, e.what ?? null] : null)),
      [
        ['pause', 'sink', 10, 'receiving'],
        ['kill', 'workers[1]', 20, null],
        ['resume', 'sink', 20, 'receiving'],
        ['restart', 'workers[1]', 30, null],
        ['stop', 'vent', 40, null],
      ],
    );
    // (node's timers count whole milliseconds: one may fire a little early on performance.now's clock)
    for (const e of entries)
      assert.ok(e.kind === 'fault' && e.tMs >= e.plannedMs - 2, `${JSON.stringify(e)} happened before it was planned`);
  });

  it('a kill of a whole process group kills every process of it', async () => {
    const { plan, events } = pipeline(`
  - { at: 0s, kill: workers }`);
    const actions = recordingActions();
    const scheduler = new FaultScheduler(events, plan, actions);
    scheduler.start();
    await wait(30);
    await scheduler.stop();
    const slots = plan.slots.filter((s) => s.group === 'workers').map((s) => `kill slot ${s.slot}`);
    assert.equal(slots.length, 2);
    assert.deepEqual(actions.calls, slots);
  });

  it('stop calls off what has not happened yet', async () => {
    const { plan, events } = pipeline(`
  - { at: 0s, pause: sink }
  - { at: 500ms, resume: sink }`);
    const actions = recordingActions();
    const scheduler = new FaultScheduler(events, plan, actions);
    scheduler.start();
    await wait(40);
    const entries = await scheduler.stop();
    await wait(600);
    assert.equal(actions.calls.length, 1);
    assert.deepEqual(
      entries.map((e) => (e.kind === 'fault' ? e.action : null)),
      ['pause'],
    );
  });

  it('an action that fails is recorded with its error, and the timeline goes on', async () => {
    const { plan, events } = pipeline(`
  - { at: 0s, pause: sink }
  - { at: 10ms, resume: sink }`);
    const scheduler = new FaultScheduler(events, plan, recordingActions(performance.now(), 'worker 3 did not answer "fault" within 15s'));
    scheduler.start();
    await wait(60);
    const entries = await scheduler.stop();
    assert.deepEqual(
      entries.map((e) => (e.kind === 'fault' ? [e.action, e.error] : null)),
      [
        ['pause', 'worker 3 did not answer "fault" within 15s'],
        ['resume', 'worker 3 did not answer "fault" within 15s'],
      ],
    );
  });

  it('an event planned before now (the start was late) happens at once', async () => {
    const { plan, events } = pipeline(`
  - { at: 10ms, stop: vent }`);
    const actions = recordingActions(performance.now() - 1000);
    const scheduler = new FaultScheduler(events, plan, actions);
    scheduler.start();
    await wait(5);
    assert.equal(actions.calls.length, 1);
    await scheduler.stop();
  });
});

/** A worker that answers every command and keeps what it was sent. */
class FakeWorker implements WorkerHandle {
  readonly done = new Promise<void>(() => {});
  readonly commands: CommandBody[] = [];
  killed = false;
  constructor(readonly slot: number) {}
  call(command: CommandBody): Promise<Reply> {
    this.commands.push(command);
    return Promise.resolve({ id: this.commands.length, kind: 'ok' } as Reply);
  }
  onNotice(): void {}
  kill(): void {
    this.killed = true;
  }
}

const BOUND: Record<string, Record<string, string>> = {
  vent: { tasks: 'tcp://127.0.0.1:5000' },
  sink: { results: 'tcp://127.0.0.1:5001' },
};

function fakeHost(plan: TopologyPlan): FaultHost & { workers: FakeWorker[]; respawned: number[] } {
  const workers = plan.slots.map((s) => new FakeWorker(s.slot));
  const respawned: number[] = [];
  return {
    plan,
    workers,
    respawned,
    controlTimeoutMs: 1000,
    handle: (slot) => workers[slot]!,
    respawn: (slot) => {
      respawned.push(slot);
      workers[slot] = new FakeWorker(slot);
      return workers[slot];
    },
    endpoints: () => ({ tasks: ['tcp://127.0.0.1:5000'], results: ['tcp://127.0.0.1:5001'] }),
    bindOf: (roleId) => BOUND[plan.roles[roleId]!.group] ?? {},
    sinceMeasureStart: () => 42,
  };
}

describe('faultActions: what an event does to the workers', () => {
  const fresh = () =>
    pipeline(`
  - { at: 0s, kill: vent }`).plan;
  const slotOf = (plan: TopologyPlan, group: string, instance = 0) =>
    plan.slots[plan.roles.find((r) => r.group === group && r.instance === instance)!.slot]!;

  it('reads the time on the measurement clock', () => {
    assert.equal(faultActions(fakeHost(fresh())).now(), 42);
  });

  it('kills the process of the slot', () => {
    const plan = fresh();
    const host = fakeHost(plan);
    faultActions(host).killProcess(slotOf(plan, 'workers', 1));
    assert.deepEqual(
      host.workers.map((w) => w.killed),
      plan.slots.map((s) => s === slotOf(plan, 'workers', 1)),
    );
  });

  it('restarts a killed process: a new one in its place, bound where the old one was, connected, sending under new source ids', async () => {
    const plan = fresh();
    const host = fakeHost(plan);
    const actions = faultActions(host);
    const slot = slotOf(plan, 'vent');
    const vent = plan.roles.find((r) => r.group === 'vent')!;
    const first = vent.sourceId;
    await actions.restartProcess(slot, [vent]);
    assert.deepEqual(host.respawned, [slot.slot]);
    assert.deepEqual(host.workers[slot.slot]!.commands, [
      { kind: 'bind', addresses: { [vent.roleId]: { tasks: 'tcp://127.0.0.1:5000' } } },
      { kind: 'connect', addresses: host.endpoints() },
      { kind: 'start' },
    ]);
    await actions.restartProcess(slot, [vent]);
    // each incarnation is a new source, which the receivers expect besides the old ones
    assert.equal(vent.sourceId, first + 2 * INCARNATION_STRIDE);
    const workers = plan.roles.filter((r) => r.group === 'workers');
    for (const id of [first, first + INCARNATION_STRIDE, first + 2 * INCARNATION_STRIDE])
      assert.ok(
        workers.every((w) => w.streams.some((k) => k.sourceId === id)),
        `source ${id}`,
      );
  });

  it('a restarted receiver keeps its source id', async () => {
    const plan = fresh();
    const actions = faultActions(fakeHost(plan));
    const sink = plan.roles.find((r) => r.group === 'sink')!;
    const before = structuredClone(plan.roles);
    await actions.restartProcess(slotOf(plan, 'sink'), [sink]);
    assert.deepEqual(plan.roles, before);
  });

  it('sends a thread its fault command, and a restart with the addresses to bind and connect', async () => {
    const plan = fresh();
    const host = fakeHost(plan);
    const actions = faultActions(host);
    const sinkSlot = slotOf(plan, 'sink');
    const sink = plan.roles.find((r) => r.group === 'sink')!;
    await actions.command(sinkSlot, sink, { atMs: 0, action: 'pause', group: 'sink', instance: null, what: 'receiving' });
    await actions.command(sinkSlot, sink, { atMs: 0, action: 'restart', group: 'sink', instance: null, what: 'both' });
    assert.deepEqual(host.workers[sinkSlot.slot]!.commands, [
      { kind: 'fault', roleId: sink.roleId, action: 'pause', what: 'receiving' },
      { kind: 'restart', roleId: sink.roleId, bind: { results: 'tcp://127.0.0.1:5001' }, connect: host.endpoints() },
    ]);
  });
});
