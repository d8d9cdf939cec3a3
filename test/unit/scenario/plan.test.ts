import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseScenarioText } from '../../../src/scenario/load.js';
import { planTopology } from '../../../src/scenario/plan.js';

const pipeline = (transport: string) =>
  parseScenarioText(
    `
name: p
transport: ${transport}
topology:
  endpoints: [tasks, results]
  groups:
    - { name: vent, type: push, bind: tasks }
    - { name: workers, type: pull, count: 3, threads: 2, connect: tasks, forward: { type: push, connect: results } }
    - { name: sink, type: pull, bind: results }
`,
    'p.yaml',
  );

describe('planTopology', () => {
  it('numbers roles, spreads a group over its threads and records binders', () => {
    const plan = planTopology(pipeline('tcp'));
    assert.deepEqual(
      plan.roles.map((r) => [r.roleId, r.group, r.instance, r.slot]),
      [
        [0, 'vent', 0, 0],
        [1, 'workers', 0, 1],
        [2, 'workers', 1, 2],
        [3, 'workers', 2, 1],
        [4, 'sink', 0, 3],
      ],
    );
    assert.deepEqual(
      plan.slots.map((s) => [s.group, s.roleIds]),
      [
        ['vent', [0]],
        ['workers', [1, 3]],
        ['workers', [2]],
        ['sink', [4]],
      ],
    );
    assert.deepEqual(plan.binders, { tasks: [0], results: [4] });
    assert.deepEqual(plan.terminal, { vent: false, workers: false, sink: true });
  });

  it('load-balanced pullers share the stream; the sink gets the forwarded stream whole', () => {
    const plan = planTopology(pipeline('tcp'));
    const worker = plan.roles[1]!;
    const sink = plan.roles[4]!;
    assert.equal(worker.tracking, 'shared');
    assert.deepEqual(worker.streams, [{ sourceId: 0, stream: 0 }]);
    assert.equal(sink.tracking, 'exclusive');
    assert.deepEqual(sink.streams, [{ sourceId: 0, stream: 0 }]);
  });

  it('counts the handshakes of the start barrier on tcp and ipc, none on inproc', () => {
    const tcp = planTopology(pipeline('tcp'));
    assert.equal(tcp.roles[0]!.socket.handshakes, 3, 'vent accepts 3 workers');
    assert.equal(tcp.roles[1]!.socket.handshakes, 1, 'a worker connects to 1 vent');
    assert.equal(tcp.roles[1]!.forward!.handshakes, 1, 'a worker forward connects to 1 sink');
    assert.equal(tcp.roles[4]!.socket.handshakes, 3, 'the sink accepts 3 workers');
    const inproc = planTopology(pipeline('inproc'));
    assert.ok(inproc.roles.every((r) => r.socket.handshakes === 0));
  });

  it('a subscriber expects only the topic streams its prefixes match, and probes from its publishers', () => {
    const plan = planTopology(
      parseScenarioText(
        `
name: s
topology:
  endpoints: [feed]
  groups:
    - { name: pub, type: pub, bind: feed, topics: ["10001", "10002", "20001"] }
    - { name: nyc, type: sub, connect: feed, subscribe: ["1000"] }
    - { name: none, type: sub, connect: feed, subscribe: ["3"] }
`,
        's.yaml',
      ),
    );
    assert.deepEqual(plan.roles[1]!.streams, [
      { sourceId: 0, stream: 0 },
      { sourceId: 0, stream: 1 },
    ]);
    assert.deepEqual(plan.roles[1]!.probesFrom, [0]);
    assert.deepEqual(plan.roles[2]!.streams, []);
    assert.deepEqual(plan.roles[2]!.probesFrom, [], 'no probe can reach a filter that matches nothing');
    assert.equal(plan.roles[0]!.sendsProbes, true);
  });

  it('requesters track their own replies', () => {
    const plan = planTopology(
      parseScenarioText(
        `
name: r
topology:
  endpoints: [svc]
  groups:
    - { name: rep, type: rep, count: 2, bind: svc }
    - { name: req, type: req, count: 2, connect: svc }
`,
        'r.yaml',
      ),
    );
    assert.deepEqual(plan.binders, { svc: [0, 1] });
    assert.deepEqual(plan.roles[2]!.streams, [{ sourceId: 2, stream: 0 }]);
    assert.equal(plan.roles[2]!.tracking, 'exclusive');
    assert.equal(plan.roles[0]!.tracking, 'none');
    assert.equal(plan.roles[2]!.socket.handshakes, 2, 'a client connects to both servers');
  });
});

describe('planTopology through stages', () => {
  it('a sub stage passes on only the topic streams it subscribed to', () => {
    const plan = planTopology(
      parseScenarioText(
        `
name: stage
topology:
  endpoints: [feed, out]
  groups:
    - { name: pub, type: pub, bind: feed, topics: ["a1", "b1", "a2"] }
    - { name: stage, type: sub, connect: feed, subscribe: ["a"], forward: { type: push, bind: out } }
    - { name: sink, type: pull, connect: out }
`,
        'stage.yaml',
      ),
    );
    const expected = [
      { sourceId: 0, stream: 0 },
      { sourceId: 0, stream: 2 },
    ];
    assert.deepEqual(plan.roles[1]!.streams, expected);
    assert.deepEqual(plan.roles[2]!.streams, expected);
    assert.equal(plan.roles[2]!.tracking, 'exclusive');
  });
});
