import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { group, runShipped, TRANSPORTS } from '../support/run-shipped.js';

/**
 * Every shipped scenario over every transport, with real sockets. Where no loss is possible
 * (PUSH blocks, REQ is closed-loop, the pub rate is far below what a subscriber takes),
 * the counts must be exact.
 */

for (const transport of TRANSPORTS) {
  describe(`shipped scenarios over ${transport}`, () => {
    it('pipeline: every task reaches the sink exactly once', async () => {
      const r = await runShipped('pipeline.yaml', transport, 400);
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
    });

    it('pubsub-fanout: each subscriber gets exactly the updates its prefixes match', async () => {
      const r = await runShipped('pubsub-fanout.yaml', transport, 400);
      assert.deepEqual(r.problems, []);
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
    });

    it('req-rep: every reply reaches the client that asked', async () => {
      const r = await runShipped('req-rep.yaml', transport, 400);
      assert.deepEqual(r.problems, []);
      const clients = group(r, 'clients');
      const servers = group(r, 'servers');
      assert.ok(clients.sent > 0);
      assert.equal(clients.received, clients.sent);
      assert.equal(clients.misrouted, 0);
      assert.equal(clients.lost, 0);
      assert.equal(servers.received, clients.sent);
      assert.equal(clients.latencyKind, 'round-trip');
      assert.ok(clients.latency.p50 > 0);
    });

    it('dealer-router: asynchronous requests all answered, to the right dealer', async () => {
      const r = await runShipped('dealer-router.yaml', transport, 400);
      assert.deepEqual(r.problems, []);
      const clients = group(r, 'clients');
      assert.ok(clients.sent > 0);
      assert.equal(clients.received, clients.sent);
      assert.equal(clients.misrouted, 0);
      assert.equal(clients.lost, 0);
      assert.equal(group(r, 'server').received, clients.sent);
    });
  });
}
