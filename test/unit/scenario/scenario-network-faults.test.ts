import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scenarioAsRun } from '../../../src/scenario/as-run.js';
import { applyOverrides } from '../../../src/scenario/overrides.js';
import { problemsOf, scenarioOf, thrownProblems } from '../../support/validation.js';

/** Network faults on the timeline (issue 21): what validation accepts and refuses, and how they read back. */

const base = (events: unknown[], extra: Record<string, unknown> = {}) => ({
  name: 'net',
  duration: '3s',
  ...extra,
  topology: {
    endpoints: ['feed', 'other'],
    groups: [
      { name: 'pub', type: 'pub', bind: 'feed', rate: 100 },
      { name: 'sub', type: 'sub', connect: 'feed' },
      { name: 'push', type: 'push', bind: 'other', rate: 100 },
      { name: 'pull', type: 'pull', connect: 'other' },
    ],
  },
  events,
});

describe('network faults', () => {
  it('normalizes partition, heal, cut and slow with their bandwidth and for', () => {
    const s = scenarioOf(
      base([
        { at: '1s', partition: ['pub', 'sub'], for: '500ms' },
        { at: '1s', kill: 'pull' },
        { at: '2s', slow: ['push', 'pull'], bandwidth: '1mbit' },
        { at: '2500ms', heal: ['pull', 'push'] },
        { at: '3s', cut: ['sub', 'pub'] },
      ]),
    );
    assert.deepEqual(s.networkFaults, [
      { atMs: 1000, action: 'partition', groups: ['pub', 'sub'], bandwidthBps: null, forMs: 500 },
      { atMs: 2000, action: 'slow', groups: ['push', 'pull'], bandwidthBps: 1_000_000, forMs: null },
      { atMs: 2500, action: 'heal', groups: ['pull', 'push'], bandwidthBps: null, forMs: null },
      { atMs: 3000, action: 'cut', groups: ['sub', 'pub'], bandwidthBps: null, forMs: null },
    ]);
    assert.equal(s.events.length, 1, 'the kill stays with the socket faults');
    const asRun = scenarioAsRun(s) as { events: unknown[] };
    // at the same time, the socket faults come first
    assert.deepEqual(asRun.events, [
      { at: '1s', kill: 'pull' },
      { at: '1s', partition: ['pub', 'sub'], for: '500ms' },
      { at: '2s', slow: ['push', 'pull'], bandwidth: '1000000bit' },
      { at: '2500ms', heal: ['pull', 'push'] },
      { at: '3s', cut: ['sub', 'pub'] },
    ]);
    assert.deepEqual(
      scenarioOf({ ...base([]), events: asRun.events }).networkFaults,
      s.networkFaults,
      'the as-run file reads back the same',
    );
  });

  it('refuses faults that cannot act, each with its path', () => {
    assert.deepEqual(
      problemsOf(
        base([
          { at: '1s', partition: ['pub', 'nobody'] },
          { at: '1s', partition: ['pub', 'pull'] },
          { at: '1s', slow: ['pub', 'sub'] },
          { at: '1s', cut: ['pub', 'sub'], for: '1s', bandwidth: '1mbit' },
          { at: '2s', partition: ['pub', 'pub'] },
        ]),
      ),
      [
        'events[0].partition[1]: group "nobody" is not in topology.groups',
        'events[1].partition: groups "pub" and "pull" meet at no endpoint (one binds it, the other connects to it)',
        'events[2]: slow needs bandwidth, e.g. bandwidth: 1mbit',
        'events[3].bandwidth: is only for slow, not cut',
        'events[3].for: is only for partition and slow, not cut',
        'events[4].partition: must name two different groups, got ["pub","pub"]',
      ],
    );
  });

  it('refuses them off tcp, and where a third group shares the endpoint', async () => {
    assert.deepEqual(problemsOf(base([{ at: '1s', cut: ['pub', 'sub'] }], { transport: 'ipc' })), [
      'events[0].cut: acts on tcp connections: cannot be used with transport ipc (use tcp)',
    ]);
    const third = base([{ at: '1s', partition: ['pub', 'sub'] }]);
    third.topology.groups.push({ name: 'sub2', type: 'sub', connect: 'feed' });
    assert.deepEqual(problemsOf(third), [
      'events[0].partition: cannot single out the connections of "pub" and "sub": group "sub2" also connects to endpoint feed',
    ]);
    const s = scenarioOf(base([{ at: '1s', cut: ['pub', 'sub'] }]));
    assert.deepEqual(await thrownProblems(() => applyOverrides(s, { transport: 'ipc' })), [
      '--transport ipc cannot be used with scenario "net": its network faults act on tcp connections',
    ]);
    assert.deepEqual(problemsOf(base([{ at: '1s', kill: 'pub', for: '1s' }])), ['events[0].for: is only for partition and slow, not kill']);
  });

  it('names one socket only on the side that binds', () => {
    const s = scenarioOf(base([{ at: '1s', partition: ['sub', 'pub[0]'] }]));
    assert.deepEqual(s.networkFaults[0]!.groups, ['sub', 'pub[0]']);
    assert.deepEqual(problemsOf(base([{ at: '1s', partition: ['pub', 'sub[0]'] }])), [
      'events[0].partition[1]: can name one socket only of the group that binds the endpoints they share, got "sub[0]"',
    ]);
    assert.deepEqual(problemsOf(base([{ at: '1s', partition: ['pub[3]', 'sub'] }])), [
      'events[0].partition[0]: socket index must be less than the count of group "pub" (1), got "pub[3]"',
    ]);
  });

  it('a partition with for heals by itself: a later heal of the same pair is refused', () => {
    assert.deepEqual(
      problemsOf(
        base([
          { at: '1s', partition: ['pub', 'sub'], for: '500ms' },
          { at: '2s', heal: ['pub', 'sub'] },
        ]),
      ),
      ['events[1].heal: must follow a partition or slow of the same two groups that is still on, got ["pub","sub"]'],
    );
  });
});
