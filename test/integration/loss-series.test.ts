import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RunResult } from '../../src/core/types.js';
import { parseScenarioText } from '../../src/scenario/load.js';
import { runScenario } from '../../src/runtime/run.js';
import { group } from '../support/run-shipped.js';

/**
 * The time series' loss column over a real run: never below zero, and adding up to the loss
 * the run reports, even where a receiver sees gaps that are filled a moment later.
 */

/** One PUSH, three PULL workers in three threads forwarding to one sink: the sink's stream comes over three paths. */
const pipeline = `
name: loss-series-pipeline
transport: inproc
duration: 1s
drain: 3s
topology:
  endpoints: [tasks, results]
  groups:
    - name: ventilator
      type: push
      bind: tasks
      rate: 20000
    - name: workers
      type: pull
      count: 3
      threads: 3
      connect: tasks
      forward: { type: push, connect: results }
    - name: sink
      type: pull
      bind: results
`;

/** A publisher far faster than a subscriber that takes 1 ms per message, with tiny queues: real loss. */
const slowSubscriber = `
name: loss-series-slow-subscriber
transport: inproc
duration: 1s
drain: 3s
topology:
  endpoints: [feed]
  groups:
    - name: publisher
      type: pub
      bind: feed
      messages: 2000
      options: { sndhwm: 10 }
    - name: slow
      type: sub
      connect: feed
      delay: 1ms
      options: { rcvhwm: 10 }
`;

function lossColumn(r: RunResult, name: string): number[] {
  const column = r.timeseries?.groups[name]?.lost;
  assert.ok(column && column.length > 0, `a loss column for ${name}`);
  return column;
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

describe('the loss time series', () => {
  it('of a sink behind three workers in three threads never goes below zero and adds up to no loss', async () => {
    const r = await runScenario(parseScenarioText(pipeline, 'pipeline.yaml'));
    assert.deepEqual(r.problems, []);
    const sink = group(r, 'sink');
    assert.equal(sink.lost, 0);
    assert.ok(sink.reordered > 0, 'the three paths interleaved: gaps opened and were filled');
    for (const name of ['ventilator', 'workers', 'sink']) {
      const column = lossColumn(r, name);
      assert.deepEqual(
        column.filter((v) => v < 0),
        [],
        `${name}: no negative point in ${column.join(' ')}`,
      );
      assert.equal(sum(column), group(r, name).lost, `${name}: the column adds up to the loss`);
    }
  });

  it('of a subscriber losing messages adds up to its loss, never below zero', async () => {
    const r = await runScenario(parseScenarioText(slowSubscriber, 'slow.yaml'));
    assert.deepEqual(r.problems, []);
    const slow = group(r, 'slow');
    assert.ok(slow.lost > 0, `some messages must be dropped (received ${slow.received})`);
    const column = lossColumn(r, 'slow');
    assert.ok(
      column.every((v) => v >= 0),
      column.join(' '),
    );
    assert.equal(sum(column), slow.lost);
  });
});
