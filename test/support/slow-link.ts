import assert from 'node:assert/strict';
import type { RunResult } from '../../src/core/types.js';
import type { Scenario } from '../../src/scenario/schema.js';
import { group } from './run-shipped.js';
import { scenarioOf } from './validation.js';

/**
 * A pipeline slowed to 256 kbit for 1.5 s (500 ms into a 2.5 s run), and what must come of it:
 * the network-fault tests run it on loopback and between two simulated hosts. tc takes a while
 * on a busy machine (hundreds of ms seen with agents), so the slow link lasts long enough to be
 * judged after it is in place.
 */

/** push → pull at 1,000 msgs/s of 1 KiB; `hosts` puts each on a host of its own. */
export function slowPipeline(hosts?: { push: string; pull: string }): Scenario {
  return scenarioOf({
    name: 'net-slow',
    transport: 'tcp',
    duration: '2500ms',
    drain: '3s',
    ...(hosts ? { hosts: [{ label: hosts.push }, { label: hosts.pull }] } : {}),
    topology: {
      endpoints: ['work'],
      groups: [
        { name: 'push', type: 'push', bind: 'work', rate: 1000, size: '1KiB', ...(hosts ? { host: hosts.push } : {}) },
        { name: 'pull', type: 'pull', connect: 'work', ...(hosts ? { host: hosts.pull } : {}) },
      ],
    },
    events: [{ at: '500ms', slow: ['push', 'pull'], bandwidth: '256kbit', for: '1500ms' }],
  });
}

/** The slow link and its heal were made; during it the pipeline ran at about the bandwidth; nothing was lost. */
export function assertSlowedThenDelivered(r: RunResult): void {
  assert.deepEqual(r.problems, []);
  const faults = (r.timeline ?? []).flatMap((e) => (e.kind === 'fault' ? [e] : []));
  assert.deepEqual(
    faults.map((e) => [e.action, e.error]),
    [
      ['slow', undefined],
      ['heal', undefined],
    ],
  );
  const ts = r.timeseries!;
  // from when the shaping was in place (tc's commands take a while on a busy machine) until the heal, the
  // first 200 ms left out: what was on its way already, and tbf's first bucket (64 KiB on lo)
  const [from, to] = [faults[0]!.tMs + (faults[0]!.tookMs ?? 0) + 200, faults[1]!.tMs];
  // 256 kbit/s is 32 KB/s, about 31 messages of 1 KiB a second, against 1,000 offered
  const during = ts.t.map((t, i) => [t, i] as const).filter(([t, i]) => (ts.t[i - 1] ?? t - ts.intervalMs) >= from && t <= to);
  const got = during.reduce((n, [, i]) => n + ts.groups.pull!.received[i]!, 0);
  assert.ok(during.length >= 3, `points ${ts.t.join(',')}`);
  // the points' own times: on a busy machine a sample can take longer than its interval
  const spanMs = during.at(-1)![0] - (ts.t[during[0]![1] - 1] ?? during[0]![0] - ts.intervalMs);
  assert.ok(got < (0.25 * 1000 * spanMs) / 1000, `${got} received in ${Math.round(spanMs)} ms of the slow link (points ${ts.t.join(',')})`);
  assert.equal(group(r, 'pull').received, group(r, 'push').sent, 'push waits, nothing is lost; all arrives after the heal');
}
