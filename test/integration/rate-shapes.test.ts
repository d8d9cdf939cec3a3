import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runScenario } from '../../src/runtime/run.js';
import { parseScenarioText } from '../../src/scenario/load.js';
import { group } from '../support/run-shipped.js';

/**
 * Rate shapes with real sockets: a paced sender follows its shape from the start of
 * measurement (a warm-up holds the first rate). Generous bounds only: the machine is noisy,
 * and an open-loop sender that falls behind catches up, so counts hold better than timing.
 */

const run = (rate: string) =>
  runScenario(
    parseScenarioText(
      `
name: shaped
transport: inproc
warmup: 300ms
duration: 1s
sampleInterval: 100ms
topology:
  endpoints: [tasks]
  groups:
    - { name: pusher, type: push, bind: tasks, rate: ${rate} }
    - { name: puller, type: pull, connect: tasks }
`,
      'shaped.yaml',
    ),
  );

describe('rate shapes', () => {
  it('steps: 1000/s for 500ms then 4000/s — about 2500 messages in the measured second', async () => {
    const r = await run('{ steps: [{ rate: 1000, for: 500ms }, { rate: 4000 }] }');
    assert.deepEqual(r.problems, []);
    const seconds = r.timing.measuredMs / 1000;
    const sent = group(r, 'pusher').throughput.msgsPerSec * seconds;
    // the window is a little longer than 1 s (stopping takes a moment): the 4000/s step goes on
    const expected = 500 + 4000 * (seconds - 0.5);
    assert.ok(sent > expected * 0.85 && sent < expected * 1.15, `sent ${sent} in the measured phase, expected ~${expected}`);
    // the time series: the first half sends a quarter of what the second does
    const ts = r.timeseries!;
    const sum = (from: number, to: number) =>
      ts.groups.pusher!.sent.filter((_, i) => ts.t[i]! > from && ts.t[i]! <= to).reduce((a, b) => a + b, 0);
    const first = sum(0, 500);
    const second = sum(500, 1000);
    assert.ok(second > 2.5 * first, `first half ${first}, second half ${second}`);
  });

  it('bursts: 50 every 100ms — about 500 messages in the measured second', async () => {
    const r = await run('{ bursts: { size: 50, every: 100ms } }');
    assert.deepEqual(r.problems, []);
    const seconds = r.timing.measuredMs / 1000;
    const sent = group(r, 'pusher').throughput.msgsPerSec * seconds;
    // a burst at the start of every 100 ms of the window, give or take one at either edge
    const expected = 50 * Math.ceil(seconds * 10);
    assert.ok(sent >= expected - 100 && sent <= expected + 100, `sent ${sent} in the measured phase, expected ~${expected}`);
  });
});
