import assert from 'node:assert/strict';
import type { RunResult } from '../../src/core/types.js';
import { group } from './run-shipped.js';

/** The exact outcomes of the shipped core scenarios, whatever the transport or placement. */

/** pipeline.yaml: every task reaches the sink exactly once. */
export function assertPipelineExact(r: RunResult): void {
  assert.deepEqual(r.problems, []);
  assert.equal(r.complete, true);
  const sent = group(r, 'ventilator').sent;
  assert.ok(sent > 0, 'the ventilator sent something');
  const workers = group(r, 'workers');
  const sink = group(r, 'sink');
  assert.equal(workers.received, sent);
  assert.equal(workers.sent, sent, 'workers pass every task on');
  assert.equal(sink.received, sent);
  assert.equal(sink.expected, sent);
  assert.equal(sink.lost, 0);
  assert.equal(sink.duplicates, 0);
  assert.equal(r.totals.sent, sent);
  assert.equal(r.totals.received, sent);
  assert.equal(sink.latencyKind, 'one-way');
  assert.ok(sink.latency.count > 0 && sink.latency.p50 > 0, 'end-to-end latency was recorded');
}

/** pubsub-fanout.yaml: each subscriber gets exactly the updates its prefixes match. */
export function assertFanoutExact(r: RunResult): void {
  assert.deepEqual(r.problems, []);
  assert.equal(r.complete, true);
  const sent = group(r, 'weather-server').sent;
  assert.ok(sent > 100);
  // Topics are sent in turn: 10001, 10002, 10003, 20001.
  const perTopic = [0, 1, 2, 3].map((i) => Math.floor(sent / 4) + (i < sent % 4 ? 1 : 0));
  const expectations: Array<[string, number]> = [
    ['nyc', perTopic[0]!],
    ['prefix-1000', perTopic[0]! + perTopic[1]! + perTopic[2]!],
    ['everything', 2 * sent],
  ];
  for (const [name, expected] of expectations) {
    const g = group(r, name);
    assert.equal(g.expected, expected, `${name} expected`);
    assert.equal(g.received, expected, `${name} received`);
    assert.equal(g.lost, 0, `${name} lost`);
    assert.equal(g.duplicates + g.reordered, 0, `${name} order`);
  }
}

/**
 * req-rep.yaml and dealer-router.yaml: every reply reaches the client that asked, and every
 * request reached a server. `roundTrip`: the clients measure a round trip (REQ clients do).
 */
export function assertRequestsAnswered(r: RunResult, servers: string, roundTrip: boolean): void {
  assert.deepEqual(r.problems, []);
  const clients = group(r, 'clients');
  assert.ok(clients.sent > 0);
  assert.equal(clients.received, clients.sent);
  assert.equal(clients.misrouted, 0);
  assert.equal(clients.lost, 0);
  assert.equal(group(r, servers).received, clients.sent);
  if (roundTrip) {
    assert.equal(clients.latencyKind, 'round-trip');
    assert.ok(clients.latency.p50 > 0);
  }
}
