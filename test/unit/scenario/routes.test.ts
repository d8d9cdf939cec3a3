import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseScenarioText } from '../../../src/scenario/load.js';
import { matches, receiversOn, Routes, socketsByEndpoint, sourceStreams, type Placed } from '../../../src/scenario/routes.js';

/** Groups of a scenario text with role ids numbered in group order, as planTopology places them. */
function placed(text: string): Placed[] {
  let next = 0;
  return parseScenarioText(text, 'routes.yaml').groups.map((group) => ({
    group,
    roleIds: Array.from({ length: group.count }, () => next++),
  }));
}

const fanIn = placed(`
name: fan
topology:
  endpoints: [tasks, results]
  groups:
    - { name: vent, type: push, count: 2, bind: tasks }
    - { name: workers, type: pull, count: 3, connect: tasks, forward: { type: push, connect: results } }
    - { name: sink, type: pull, bind: results }
`);

const feed = placed(`
name: feed
topology:
  endpoints: [feed]
  groups:
    - { name: news, type: pub, bind: feed, topics: ["a1", "b1", "a2"] }
    - { name: reader, type: sub, connect: feed, subscribe: ["a"] }
`);

describe('Routes', () => {
  it('lists the sockets on each endpoint, main and forward, binding or connecting', () => {
    const sockets = socketsByEndpoint(fanIn);
    assert.deepEqual(
      sockets.get('tasks')!.map((s) => [s.group.name, s.kind, s.binds]),
      [
        ['vent', 'main', true],
        ['workers', 'main', false],
      ],
    );
    assert.deepEqual(
      sockets.get('results')!.map((s) => [s.group.name, s.kind, s.binds]),
      [
        ['workers', 'forward', false],
        ['sink', 'main', true],
      ],
    );
  });

  it('counts the pull instances that share an endpoint', () => {
    const routes = new Routes(socketsByEndpoint(fanIn));
    assert.equal(receiversOn(routes.socketsOn('tasks')), 3);
    assert.equal(receiversOn(routes.socketsOn('results')), 1);
    assert.equal(receiversOn(routes.socketsOn('nowhere')), 0);
  });

  it('gives a receiver the streams of the senders on its endpoints, and a sink what the stages pass on', () => {
    const routes = new Routes(socketsByEndpoint(fanIn));
    const both = [
      { sourceId: 0, stream: 0 },
      { sourceId: 1, stream: 0 },
    ];
    assert.deepEqual(routes.received(fanIn[1]!.group, new Set()), both);
    assert.deepEqual(routes.received(fanIn[2]!.group, new Set()), both);
  });

  it('keeps for a sub only the topic streams its prefixes match, and knows the topics of each publisher', () => {
    const routes = new Routes(socketsByEndpoint(feed));
    assert.deepEqual(routes.topicsOf(['feed']), new Map([[0, ['a1', 'b1', 'a2']]]));
    assert.deepEqual(routes.received(feed[1]!.group, new Set()), [
      { sourceId: 0, stream: 0 },
      { sourceId: 0, stream: 2 },
    ]);
  });
});

describe('sourceStreams', () => {
  it('gives a pub one stream per topic, any other sender one', () => {
    assert.deepEqual(sourceStreams(feed[0]!.group, 7), [
      { sourceId: 7, stream: 0 },
      { sourceId: 7, stream: 1 },
      { sourceId: 7, stream: 2 },
    ]);
    assert.deepEqual(sourceStreams(fanIn[0]!.group, 1), [{ sourceId: 1, stream: 0 }]);
  });
});

describe('matches', () => {
  it('is a prefix match where "" matches everything', () => {
    assert.equal(matches([''], 'abc'), true);
    assert.equal(matches(['ab'], 'abc'), true);
    assert.equal(matches(['b'], 'abc'), false);
    assert.equal(matches([], 'abc'), false);
  });
});
