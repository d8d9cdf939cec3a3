import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RunResult } from '../../../src/core/types.js';
import { endpointTransportsText, transportOf } from '../../../src/results/facts.js';
import { scenarioAsRun } from '../../../src/scenario/as-run.js';
import { parseScenarioText } from '../../../src/scenario/load.js';
import { expandMatrix } from '../../../src/scenario/matrix.js';
import { applyOverrides } from '../../../src/scenario/overrides.js';
import { planTopology } from '../../../src/scenario/plan.js';
import { endpointTransport, endpointTransportsOf, runTransport } from '../../../src/scenario/transports.js';
import { problemsOf, scenarioOf, thrownProblems } from '../../support/validation.js';

/**
 * A transport per endpoint (issue 22): inproc between threads and tcp between processes in one
 * scenario. What validation accepts and refuses per endpoint, how overrides replace the
 * endpoints' own transports, and what the plan and the result readers make of them.
 */

type Raw = Record<string, unknown>;

/** ventilator → workers over `tasks`, workers → sink over `results`; the sink in a process of its own. */
const mixed = (o: { tasks?: unknown; results?: unknown; top?: Raw; groups?: Record<string, Raw>; events?: unknown[] } = {}): Raw => ({
  name: 'mixed',
  transport: 'tcp',
  ...o.top,
  topology: {
    endpoints: [o.tasks ?? { name: 'tasks', transport: 'inproc' }, o.results ?? 'results'],
    groups: [
      { name: 'ventilator', type: 'push', bind: 'tasks', rate: 1000, ...o.groups?.['ventilator'] },
      {
        name: 'workers',
        type: 'pull',
        count: 2,
        connect: 'tasks',
        forward: { type: 'push', connect: 'results' },
        ...o.groups?.['workers'],
      },
      { name: 'sink', type: 'pull', bind: 'results', placement: 'process', ...o.groups?.['sink'] },
    ],
  },
  ...(o.events ? { events: o.events } : {}),
});

describe('a transport per endpoint', () => {
  it("normalizes each endpoint's own transport; the others use the scenario's; the file as run reads back the same", () => {
    const s = scenarioOf(mixed());
    assert.equal(s.transport, 'tcp');
    assert.deepEqual(s.endpointTransports, { tasks: 'inproc' });
    assert.deepEqual(endpointTransportsOf(s), { tasks: 'inproc', results: 'tcp' });
    assert.equal(runTransport(s), 'mixed');
    const asRun = scenarioAsRun(s);
    assert.deepEqual(asRun.topology.endpoints, [{ name: 'tasks', transport: 'inproc' }, 'results']);
    assert.deepEqual(scenarioOf(asRun), s);
    // one transport named everywhere is that transport, not "mixed"
    assert.equal(
      runTransport(scenarioOf(mixed({ results: { name: 'results', transport: 'inproc' }, groups: { sink: { placement: 'thread' } } }))),
      'inproc',
    );
  });

  it('an external endpoint runs over what its address says, and may not name a transport', () => {
    const external = {
      name: 'ext',
      transport: 'inproc',
      topology: {
        endpoints: [{ name: 'svc', external: 'tcp://127.0.0.1:5555' }, 'local'],
        groups: [
          { name: 'clients', type: 'req', connect: 'svc' },
          { name: 'p', type: 'push', bind: 'local' },
          { name: 'q', type: 'pull', connect: 'local' },
        ],
      },
    };
    const s = scenarioOf(external);
    assert.equal(endpointTransport(s, 'svc'), 'tcp');
    assert.equal(endpointTransport(s, 'local'), 'inproc');
    assert.equal(runTransport(s), 'mixed');
    const named = structuredClone(external);
    (named.topology.endpoints[0] as Raw)['transport'] = 'ipc';
    assert.deepEqual(problemsOf(named), [
      'topology.endpoints[0].transport: cannot be used with external (the address names the transport: tcp), got "ipc"',
    ]);
  });

  it('refuses an inproc endpoint across processes, hosts, engines or with CURVE, naming the endpoint', () => {
    assert.deepEqual(problemsOf(mixed({ groups: { workers: { placement: 'process' } } })), [
      'topology.groups[1].placement: cannot be process with endpoint "tasks" on inproc (inproc does not cross processes), got "process"',
    ]);
    assert.deepEqual(problemsOf(mixed({ top: { hosts: [{ label: 'a' }] }, groups: { workers: { host: 'a' } } })), [
      'topology.groups[1].host: cannot be used with endpoint "tasks" on inproc (a group on a host runs in processes of its own; use tcp or ipc)',
    ]);
    assert.deepEqual(problemsOf(mixed({ groups: { ventilator: { engine: 'native' } } })), [
      `topology.groups[1]: engine zeromq.js (the scenario's engine) cannot be used with endpoint "tasks" on inproc beside group "ventilator"'s engine native (inproc connects sockets of one engine's context only; use tcp or ipc, or one engine)`,
    ]);
    assert.deepEqual(problemsOf(mixed({ top: { curve: true } })), [
      'curve: CURVE needs tcp or ipc (inproc has no security handshake), got endpoint "tasks" on inproc',
    ]);
  });

  it("judges the endpoints a group uses, not the scenario's transport", () => {
    // transport: inproc, but the process-placed sink and the native one meet the others over tcp only
    const s = scenarioOf(
      mixed({
        top: { transport: 'inproc' },
        tasks: 'tasks',
        results: { name: 'results', transport: 'tcp' },
        groups: { sink: { engine: 'native' } },
      }),
    );
    assert.deepEqual(endpointTransportsOf(s), { tasks: 'inproc', results: 'tcp' });
    // the scenario's inproc, as before: the message names the transport
    assert.deepEqual(problemsOf(mixed({ top: { transport: 'inproc' }, tasks: 'tasks', results: 'results' })), [
      'topology.groups[2].placement: cannot be process with transport inproc (inproc does not cross processes), got "process"',
    ]);
  });

  it('refuses an ipc endpoint between hosts, and network faults off tcp endpoints', () => {
    const hosts = { hosts: [{ label: 'a' }, { label: 'b' }] };
    assert.deepEqual(
      problemsOf(
        mixed({ top: hosts, results: { name: 'results', transport: 'ipc' }, groups: { sink: { host: 'b', placement: 'thread' } } }),
      ),
      [
        'topology.groups[1].forward: cannot reach group "sink" over ipc at endpoint "results": ipc does not cross hosts (the forward of group "workers" runs on the coordinator\'s host, group "sink" on b); use tcp',
      ],
    );
    // over tcp the same hosts are fine
    scenarioOf(mixed({ top: hosts, groups: { sink: { host: 'b', placement: 'thread' } } }));
    assert.deepEqual(problemsOf(mixed({ events: [{ at: '1s', cut: ['ventilator', 'workers'] }] })), [
      'events[0].cut: acts on tcp connections: endpoint "tasks" between them is inproc (use tcp)',
    ]);
    // a tcp endpoint of a scenario whose transport is ipc can be cut
    const cut = scenarioOf(
      mixed({
        top: { transport: 'ipc' },
        results: { name: 'results', transport: 'tcp' },
        events: [{ at: '1s', cut: ['workers', 'sink'] }],
      }),
    );
    assert.equal(cut.networkFaults.length, 1);
  });

  it('refuses inproc across processes, ipc across hosts and a network fault off tcp in one file: one line each, exit 104', async () => {
    const text = `name: refused
hosts: [{ label: a }, { label: b }]
topology:
  endpoints:
    - { name: tasks, transport: inproc }
    - { name: results, transport: ipc }
  groups:
    - { name: ventilator, type: push, bind: tasks }
    - { name: workers, type: pull, connect: tasks, placement: process, forward: { type: push, connect: results } }
    - { name: sink, type: pull, bind: results, host: b }
events:
  - { at: 1s, cut: [workers, sink] }
`;
    // thrownProblems checks the exit code: 104
    assert.deepEqual(
      await thrownProblems(() => parseScenarioText(text, 'refused.yaml')),
      [
        'topology.groups[1].placement: cannot be process with endpoint "tasks" on inproc (inproc does not cross processes), got "process"',
        'topology.groups[1].forward: cannot reach group "sink" over ipc at endpoint "results": ipc does not cross hosts (the forward of group "workers" runs on the coordinator\'s host, group "sink" on b); use tcp',
        'events[0].cut: acts on tcp connections: endpoint "results" between them is ipc (use tcp)',
      ].map((line) => `refused.yaml: ${line}`),
    );
  });

  it('run --transport replaces every endpoint transport, and refuses what it makes impossible', async () => {
    const s = scenarioOf(mixed());
    const ipc = applyOverrides(s, { transport: 'ipc' });
    assert.deepEqual(endpointTransportsOf(ipc), { tasks: 'ipc', results: 'ipc' });
    assert.equal(runTransport(ipc), 'ipc');
    assert.deepEqual(scenarioAsRun(ipc).topology.endpoints, ['tasks', 'results'], 'the file as run says what ran');
    assert.deepEqual(s.endpointTransports, { tasks: 'inproc' }, 'the input is left untouched');
    assert.deepEqual(await thrownProblems(() => applyOverrides(s, { placement: 'process' })), [
      '--placement process cannot be used with scenario "mixed", whose endpoint "tasks" is inproc (inproc does not cross processes)',
    ]);
    assert.deepEqual(await thrownProblems(() => applyOverrides(s, { transport: 'inproc' })), [
      '--transport inproc cannot be used with scenario "mixed": group "sink" has placement: process (inproc does not cross processes); add --placement thread',
    ]);
    // a matrix transport is the same override, before validation
    const m = expandMatrix(mixed(), { extra: { transport: ['ipc', 'tcp'] } });
    assert.ok('variants' in m);
    for (const v of m.variants)
      assert.deepEqual(endpointTransportsOf(scenarioOf(v.raw)), { tasks: v.coordinates['transport'], results: v.coordinates['transport'] });
  });

  it('the plan counts handshakes and watches sockets only where the endpoint has them (not inproc)', () => {
    const plan = planTopology(scenarioOf(mixed()));
    const of = (group: string) => plan.roles.find((r) => r.group === group)!;
    assert.deepEqual([of('ventilator').socket.handshakes, of('ventilator').socket.monitor], [0, false]);
    assert.deepEqual([of('workers').socket.handshakes, of('workers').socket.monitor], [0, false]);
    assert.deepEqual([of('workers').forward!.handshakes, of('workers').forward!.monitor], [1, true]);
    assert.deepEqual([of('sink').socket.handshakes, of('sink').socket.monitor], [2, true]);
  });

  it("result readers say the run's transport, and each endpoint's when they differ", () => {
    const r = { scenario: { transport: 'tcp' }, endpoints: {} } as unknown as RunResult;
    assert.equal(transportOf(r), 'tcp', 'a result written before endpoints had transports');
    assert.equal(endpointTransportsText(r), undefined);
    const mixedResult = { ...r, transport: 'mixed', endpointTransports: { tasks: 'inproc', results: 'tcp' } };
    assert.equal(transportOf(mixedResult), 'mixed');
    assert.equal(endpointTransportsText(mixedResult), 'tasks inproc, results tcp');
    assert.equal(endpointTransportsText({ endpointTransports: { a: 'ipc', b: 'ipc' } }), undefined);
  });
});
