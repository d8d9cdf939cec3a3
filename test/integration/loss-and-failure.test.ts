import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseScenarioText } from '../../src/scenario/load.js';
import { runScenario } from '../../src/runtime/run.js';
import { group, TRANSPORTS } from '../support/run-shipped.js';

/** A publisher far faster than a subscriber that takes 1 ms per message, with tiny queues. */
const slowSubscriber = (transport: string) => `
name: slow-subscriber-loss
transport: ${transport}
duration: 2s
drain: 3s
topology:
  endpoints: [feed]
  groups:
    - name: publisher
      type: pub
      bind: feed
      messages: 3000
      options: { sndhwm: 10, sndbuf: 4096 }
    - name: slow
      type: sub
      connect: feed
      delay: 1ms
      options: { rcvhwm: 10, rcvbuf: 4096 }
`;

describe('the loss counter sees a loss caused on purpose', () => {
  for (const transport of TRANSPORTS) {
    it(`slow subscriber with tiny HWMs over ${transport}`, async () => {
      const r = await runScenario(parseScenarioText(slowSubscriber(transport), 'slow.yaml'));
      assert.deepEqual(r.problems, []);
      const sent = group(r, 'publisher').sent;
      const slow = group(r, 'slow');
      assert.equal(sent, 3000);
      assert.equal(slow.expected, 3000);
      assert.ok(slow.lost > 0, `some messages must be dropped (received ${slow.received})`);
      assert.equal(slow.received + slow.lost, 3000, 'every message is either received or counted lost');
      assert.equal(slow.loss.head + slow.loss.midstream + slow.loss.tail, slow.lost);
      assert.equal(r.totals.lost, slow.lost);
    });
  }
});

describe('a failing role fails the run', () => {
  it('a push whose send times out at once (sndtimeo 0) under a slow pull reports the error', async () => {
    const r = await runScenario(
      parseScenarioText(
        `
name: failing-push
transport: inproc
duration: 3s
drain: 1s
topology:
  endpoints: [jobs]
  groups:
    - name: impatient
      type: push
      bind: jobs
      options: { sndhwm: 1, sndtimeo: 0 }
    - name: sluggish
      type: pull
      connect: jobs
      delay: 50ms
      options: { rcvhwm: 1 }
`,
        'failing.yaml',
      ),
    );
    assert.equal(r.complete, false);
    assert.equal(r.problems.length, 1, r.problems.join('\n'));
    assert.match(r.problems[0]!, /^impatient\[0\] send: /);
    assert.ok(r.timing.measuredMs < 2500, 'the run stopped early instead of running its whole duration');
    assert.deepEqual(group(r, 'impatient').errors, r.problems);
  });
});

describe('barrier: false', () => {
  it('sends at once; whatever the slow joiner missed is head loss, and the books still balance', async () => {
    const r = await runScenario(
      parseScenarioText(
        `
name: no-barrier
transport: tcp
barrier: false
duration: 2s
drain: 2s
topology:
  endpoints: [feed]
  groups:
    - { name: publisher, type: pub, bind: feed, messages: 20000, options: { sndhwm: 100000 } }
    - { name: late, type: sub, connect: feed, options: { rcvhwm: 100000 } }
`,
        'no-barrier.yaml',
      ),
    );
    assert.deepEqual(r.problems, []);
    const late = group(r, 'late');
    assert.equal(late.expected, 20000);
    assert.equal(late.received + late.lost, 20000);
    assert.equal(late.loss.midstream + late.loss.tail, 0, 'with room in every queue only the start is missed');
    assert.equal(late.lost, late.loss.head);
  });
});
