import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { eventProblems } from '../../../src/scenario/validate/events.js';
import { pipeWith, topicLines } from '../../support/topic.js';

const events = (...list: unknown[]) =>
  topicLines(
    eventProblems,
    pipeWith((s) => Object.assign(s, { duration: '5s', events: list })),
  );

describe('validation topic: events and faults', () => {
  it('finds nothing wrong with a kill, then a restart, of a group that exists', () => {
    assert.deepEqual(events({ at: '1s', kill: 'work' }, { at: '2s', restart: 'work[0]' }, { at: '3s', stop: 'vent' }), []);
  });

  it('wants events within the duration, with exactly one action', () => {
    assert.deepEqual(events({ at: '6s', kill: 'work' }), ['events[0].at: must be at most the duration (5s), got "6s"']);
    assert.deepEqual(events({ at: '1s', kill: 'work', stop: 'vent' }), [
      'events[0]: must have exactly one of kill, restart, pause, resume, stop, partition, cut, slow or heal, got kill and stop',
    ]);
  });

  it('wants a target that exists, and a direction the group has', () => {
    assert.deepEqual(events({ at: '1s', kill: 'wrk' }), ['events[0].kill: group "wrk" is not in topology.groups (did you mean "work"?)']);
    assert.deepEqual(events({ at: '1s', pause: 'vent', what: 'receiving' }), [
      'events[0].what: must be sending, the only direction group "vent" (push) has, got "receiving"',
    ]);
  });

  it('plays the timeline: a restart follows a kill of what it brings back', () => {
    assert.deepEqual(events({ at: '1s', restart: 'work' }), [
      'events[0].restart: must follow a kill of the same target (a kill of the group covers each of its sockets): work[0] is not killed at this point, got "work"',
    ]);
  });
});
