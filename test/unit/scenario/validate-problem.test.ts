import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { allowedOptions } from '../../../src/scenario/socket-options.js';
import { formatPath, inReportOrder, type Problem } from '../../../src/scenario/validate/problem.js';
import { problemsOf } from '../../support/validation.js';
import { pipeWith } from '../../support/topic.js';

describe('problems: where they are listed', () => {
  it("lists the scenario's own checks, then group by group, then the rules across groups", () => {
    const problems: Problem[] = [
      { pointer: '/events/0', text: 'e', step: 'events' },
      { pointer: '/topology/groups/1/delay', text: 'd1', step: 'delay', group: 1 },
      { pointer: '/topology/groups/0/delay', text: 'd0', step: 'delay', group: 0 },
      { pointer: '/topology/groups/1/name', text: 'n1', step: 'group-name', group: 1 },
      { pointer: '/duration', text: 'a', step: 'durations' },
      { pointer: '/topology/groups', text: 't', step: 'group-totals' },
      { pointer: '/duration', text: 'b', step: 'durations' },
    ];
    assert.deepEqual(
      inReportOrder(problems).map((p) => p.text),
      ['a', 'b', 'd0', 'n1', 'd1', 't', 'e'],
    );
  });

  it("keeps the file's order across topics, whichever topic found a problem", () => {
    const raw = pipeWith((s) => {
      s['duration'] = '0s';
      s['events'] = [{ at: '1s', kill: 'nobody' }];
      Object.assign(s.topology.groups[0]!, { rate: { ramp: { from: 1, to: 2, over: '0s' } }, delay: '1ms' });
      Object.assign(s.topology.groups[1]!, { name: 'vent', pauses: [{ at: '1s', for: '0s' }] });
    });
    assert.deepEqual(problemsOf(raw), [
      'duration: must be longer than 0s, got "0s"',
      'topology.groups[0].delay: is only for sub, pull, rep, router, xsub, dish and pair groups, not push',
      'topology.groups[0].rate.ramp.over: must be longer than 0s, got "0s"',
      'topology.groups[1].name: must be unique (also topology.groups[0].name), got "vent"',
      'topology.groups[1].pauses[0].for: must be longer than 0s, got "0s"',
      'events[0].kill: group "nobody" is not in topology.groups',
    ]);
  });

  it("lists a forward's options after its group's bind or connect, before its own", () => {
    const raw = pipeWith((s) => {
      Object.assign(s.topology.groups[1]!, {
        connect: undefined,
        forward: { type: 'push', connect: 'elsewhere', options: { nodrop: true } },
      });
    });
    assert.deepEqual(problemsOf(raw), [
      'topology.groups[1]: must have exactly one of bind or connect, got neither',
      `topology.groups[1].forward.options.nodrop: is not available on push sockets (they take ${allowedOptions('push').join(', ')})`,
      'topology.groups[1].forward.connect: endpoint "elsewhere" is not declared in topology.endpoints',
    ]);
  });

  it('writes pointers as paths, telling list indexes from keys', () => {
    const raw = { topology: { groups: [{ options: {} }] }, thresholds: { 'latency{group:a}': [] } };
    assert.equal(formatPath(raw, '/topology/groups/0/options/sndhwm'), 'topology.groups[0].options.sndhwm');
    assert.equal(formatPath(raw, '/thresholds/latency{group:a}/0'), 'thresholds["latency{group:a}"][0]');
    assert.equal(formatPath(raw, ''), '(top level)');
  });
});
