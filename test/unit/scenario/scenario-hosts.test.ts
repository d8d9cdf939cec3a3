import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyOverrides } from '../../../src/scenario/overrides.js';
import { planTopology } from '../../../src/scenario/plan.js';
import { PUSH_PULL, problemsOf, scenarioOf, thrownProblems } from '../../support/validation.js';

/** hosts: and a group's host (issue 20): what validation accepts and refuses, and where the plan puts sockets. */

const withHosts = (producers: unknown, workers: unknown, extra: Record<string, unknown> = {}) => ({
  ...PUSH_PULL,
  hosts: [{ label: 'a' }, { label: 'b' }],
  ...extra,
  topology: {
    endpoints: ['work'],
    groups: [
      { name: 'producers', type: 'push', bind: 'work', rate: 1000, ...(producers === undefined ? {} : { host: producers }) },
      { name: 'workers', type: 'pull', connect: 'work', count: 5, threads: 2, ...(workers === undefined ? {} : { host: workers }) },
    ],
  },
});

describe('hosts', () => {
  it('normalizes labels and hosts: one label, a list, none', () => {
    const s = scenarioOf(withHosts('a', ['a', 'b']));
    assert.deepEqual(s.hosts, ['a', 'b']);
    assert.deepEqual(
      s.groups.map((g) => g.hosts),
      [['a'], ['a', 'b']],
    );
    assert.deepEqual(scenarioOf(PUSH_PULL).hosts, []);
  });

  it('refuses unknown and repeated labels, each with its path', () => {
    assert.deepEqual(problemsOf(withHosts('c', ['a', 'a'])), [
      'topology.groups[0].host: must be one of the labels of hosts: a, b, got "c"',
      'topology.groups[1].host[1]: names host a twice',
    ]);
    assert.deepEqual(problemsOf({ ...withHosts('a', undefined), hosts: [{ label: 'a' }, { label: 'a' }] }), [
      'hosts[1].label: must be unique (also hosts[0].label), got "a"',
    ]);
    assert.deepEqual(problemsOf({ ...withHosts('a', undefined), hosts: undefined }), [
      'topology.groups[0].host: names a host, but the scenario has no hosts: list, got "a"',
    ]);
  });

  it('refuses inproc with hosts, and ipc between hosts, but not ipc on one host', () => {
    assert.match(problemsOf(withHosts('a', 'a', { transport: 'inproc' })).join('\n'), /host: cannot be used with transport inproc/);
    assert.deepEqual(problemsOf(withHosts('a', 'b', { transport: 'ipc' })), [
      'topology.groups[1]: cannot reach group "producers" over ipc: ipc does not cross hosts (group "workers" runs on b, group "producers" on a); use tcp',
    ]);
    assert.match(problemsOf(withHosts(undefined, 'a', { transport: 'ipc' })).join('\n'), /coordinator's host/);
    assert.equal(scenarioOf(withHosts('a', 'a', { transport: 'ipc' })).transport, 'ipc');
  });

  it('refuses --transport inproc or ipc where groups run on several hosts', async () => {
    const s = scenarioOf(withHosts('a', ['a', 'b']));
    assert.match((await thrownProblems(() => applyOverrides(s, { transport: 'inproc' })))[0]!, /--transport inproc cannot be used/);
    assert.match((await thrownProblems(() => applyOverrides(s, { transport: 'ipc' })))[0]!, /ipc does not cross hosts/);
    assert.equal(applyOverrides(scenarioOf(withHosts('a', 'a')), { transport: 'ipc' }).transport, 'ipc');
  });

  it('plans a spread group socket by socket over its hosts, with threads per host', () => {
    const plan = planTopology(scenarioOf(withHosts('a', ['a', 'b'])));
    const workers = plan.roles.filter((r) => r.group === 'workers');
    assert.deepEqual(
      workers.map((r) => r.host),
      ['a', 'b', 'a', 'b', 'a'],
    );
    const slots = plan.slots.filter((s) => s.group === 'workers');
    // 3 sockets on a over 2 threads, 2 on b over 2 threads
    assert.deepEqual(
      slots.map((s) => [s.host, s.roleIds.length]),
      [
        ['a', 2],
        ['a', 1],
        ['b', 1],
        ['b', 1],
      ],
    );
    for (const r of workers) assert.equal(plan.slots[r.slot]!.host, r.host, 'a socket runs in a slot of its own host');
    assert.equal(planTopology(scenarioOf(PUSH_PULL)).slots[0]!.host, null);
  });
});
