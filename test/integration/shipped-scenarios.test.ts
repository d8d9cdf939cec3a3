import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertFanoutExact, assertPipelineExact } from '../support/exact-counts.js';
import { group, runShipped, TRANSPORTS } from '../support/run-shipped.js';

/**
 * Every shipped scenario over every transport, with real sockets. Where no loss is possible
 * (PUSH blocks, REQ is closed-loop, the pub rate is far below what a subscriber takes),
 * the counts must be exact.
 */

for (const transport of TRANSPORTS) {
  describe(`shipped scenarios over ${transport}`, () => {
    it('pipeline: every task reaches the sink exactly once', async () => {
      assertPipelineExact(await runShipped('pipeline.yaml', transport, 400));
    });

    it('pubsub-fanout: each subscriber gets exactly the updates its prefixes match', async () => {
      assertFanoutExact(await runShipped('pubsub-fanout.yaml', transport, 400));
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
