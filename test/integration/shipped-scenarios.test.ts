import { describe, it } from 'node:test';
import { assertFanoutExact, assertPipelineExact, assertRequestsAnswered } from '../support/exact-counts.js';
import { runShipped, TRANSPORTS } from '../support/run-shipped.js';

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
      assertRequestsAnswered(await runShipped('req-rep.yaml', transport, 400), 'servers', true);
    });

    it('dealer-router: asynchronous requests all answered, to the right dealer', async () => {
      assertRequestsAnswered(await runShipped('dealer-router.yaml', transport, 400), 'server', false);
    });
  });
}
