import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FaultEvent } from '../../../src/scenario/schema.js';
import { directionsOf } from '../../../src/scenario/validate.js';
import { problemsOf, scenarioOf } from '../../support/validation.js';
import {
  base,
  CLIENT,
  eventProblems,
  eventsOf,
  expectProblems,
  group,
  set,
  VENT,
  withChange,
  WORKERS,
  type RawGroup,
} from '../../support/fault-scenario.js';

/**
 * Issue 4 in the file format: placement, the lazy pirate's retry and faults on a timeline,
 * each rule with its exact message (the overrides and the as-run round trip: scenario-faults-as-run).
 */

describe('placement', () => {
  it('is thread by default, or process', () => {
    const s = scenarioOf(withChange(set(WORKERS, { placement: 'process' })));
    assert.deepEqual(
      s.groups.map((g) => g.placement),
      ['thread', 'process', 'thread', 'thread', 'thread'],
    );
    assert.equal(s.groups[WORKERS]!.threads, 1);
    assert.equal(scenarioOf(withChange(set(WORKERS, { placement: 'thread', threads: 2 }))).groups[WORKERS]!.threads, 2);
  });

  it('names its two values', () => {
    expectProblems(set(WORKERS, { placement: 'fork' }), ['topology.groups[1].placement: must be "thread" or "process", got "fork"']);
  });

  it('does not take threads with placement: process', () => {
    const message = (n: number) =>
      `topology.groups[1].threads: cannot be used with placement: process (every socket runs in a process of its own), got ${n}`;
    expectProblems(set(WORKERS, { placement: 'process', threads: 2 }), [message(2)]);
    expectProblems(set(WORKERS, { placement: 'process', threads: 1 }), [message(1)]);
    // more threads than sockets is said once, the placement way
    expectProblems(set(WORKERS, { placement: 'process', threads: 8 }), [message(8)]);
  });

  it('does not cross processes with inproc', () => {
    expectProblems(
      (s) => {
        s['transport'] = 'inproc';
        Object.assign(group(s, WORKERS), { placement: 'process' });
      },
      ['topology.groups[1].placement: cannot be process with transport inproc (inproc does not cross processes), got "process"'],
    );
    for (const transport of ['ipc', 'tcp']) {
      assert.equal(
        scenarioOf(withChange((s) => Object.assign(s, { transport }) && Object.assign(group(s, WORKERS), { placement: 'process' }))).groups[
          WORKERS
        ]!.placement,
        'process',
      );
    }
  });
});

describe('retry (lazy pirate)', () => {
  const client = (retry: unknown, more: RawGroup = {}) => set(CLIENT, { retry, ...more });

  it('is null without retry, and timeoutMs/retries with it', () => {
    const s = scenarioOf(base());
    assert.deepEqual(
      s.groups.map((g) => g.retry),
      [null, null, null, null, null],
    );
    assert.deepEqual(scenarioOf(withChange(client({ timeout: '2500ms', retries: 3 }))).groups[CLIENT]!.retry, {
      timeoutMs: 2500,
      retries: 3,
    });
    assert.deepEqual(scenarioOf(withChange(client({ timeout: '1s', retries: 0 }))).groups[CLIENT]!.retry, { timeoutMs: 1000, retries: 0 });
  });

  it('is for req groups only', () => {
    expectProblems(set(VENT, { retry: { timeout: '1s', retries: 1 } }), ['topology.groups[0].retry: is only for req groups, not push']);
    expectProblems(
      (s) => {
        group(s, CLIENT)['type'] = 'dealer';
        group(s, 4)['type'] = 'router';
        group(s, CLIENT)['retry'] = { timeout: '1s', retries: 1 };
      },
      ['topology.groups[3].retry: is only for req groups, not dealer'],
    );
  });

  it('wants a timeout longer than 0s in whole ms, and a whole number of retries from 0', () => {
    expectProblems(client({ timeout: '0s', retries: 1 }), ['topology.groups[3].retry.timeout: must be longer than 0s, got "0s"']);
    expectProblems(client({ timeout: '1.5ms', retries: 1 }), [
      'topology.groups[3].retry.timeout: must be a whole number of milliseconds (it sets the receive timeout), got "1.5ms"',
    ]);
    expectProblems(client({ timeout: 100, retries: 1 }), [
      'topology.groups[3].retry.timeout: must be a duration such as 500ms, 2s or 1m, got 100',
    ]);
    expectProblems(client({ timeout: '1s', retries: -1 }), ['topology.groups[3].retry.retries: must be >= 0, got -1']);
    expectProblems(client({ timeout: '1s', retries: 1.5 }), ['topology.groups[3].retry.retries: must be a whole number, got 1.5']);
    expectProblems(client({ timeout: '1s', retries: 1001 }), ['topology.groups[3].retry.retries: must be <= 1000, got 1001']);
    expectProblems(client({ timeout: '1s' }), ['topology.groups[3].retry.retries: required field is missing']);
    expectProblems(client({ retries: 3 }), ['topology.groups[3].retry.timeout: required field is missing']);
    expectProblems(client({ timout: '1s', retries: 3 }), [
      'topology.groups[3].retry.timeout: required field is missing',
      'topology.groups[3].retry.timout: unknown field (did you mean "timeout"?)',
    ]);
    expectProblems(client(true), ['topology.groups[3].retry: must be a mapping, got true']);
  });

  it('sets the receive timeout, so options.rcvtimeo is out', () => {
    expectProblems(client({ timeout: '1s', retries: 1 }, { options: { rcvtimeo: 50 } }), [
      'topology.groups[3].options.rcvtimeo: cannot be used with retry, which sets the receive timeout from retry.timeout, got 50',
    ]);
    // without retry a req keeps its own receive timeout
    assert.deepEqual(scenarioOf(withChange(set(CLIENT, { options: { rcvtimeo: 50 } }))).groups[CLIENT]!.options, { rcvtimeo: 50 });
  });
});

describe('events: normalized', () => {
  it('are none by default', () => {
    assert.deepEqual(scenarioOf(base()).events, []);
    assert.deepEqual(eventsOf(), []);
  });

  it('name a group (instance null) or one socket, with the action and the time', () => {
    const ev = (
      atMs: number,
      action: FaultEvent['action'],
      group: string,
      instance: number | null,
      what: FaultEvent['what'] = 'both',
    ): FaultEvent => ({ atMs, action, group, instance, what });
    assert.deepEqual(
      eventsOf(
        { at: '1s', kill: 'server' },
        { at: '1500ms', kill: 'workers[1]' },
        { at: '2s', restart: 'server' },
        { at: '2s', restart: 'workers[1]' },
        { at: '3s', pause: 'sink', what: 'receiving' },
        { at: '4s', resume: 'sink' },
        { at: '10s', stop: 'vent[0]' },
      ),
      [
        ev(1000, 'kill', 'server', null),
        ev(1500, 'kill', 'workers', 1),
        ev(2000, 'restart', 'server', null),
        ev(2000, 'restart', 'workers', 1),
        ev(3000, 'pause', 'sink', null, 'receiving'),
        ev(4000, 'resume', 'sink', null, 'receiving'),
        ev(10_000, 'stop', 'vent', 0),
      ],
    );
  });

  it('pause and resume every direction the group has without what', () => {
    const whatOf = (target: string) => eventsOf({ at: '1s', pause: target })[0]!.what;
    assert.equal(whatOf('vent'), 'sending');
    assert.equal(whatOf('sink'), 'receiving');
    assert.equal(whatOf('workers'), 'both'); // a stage receives and passes on
    assert.equal(whatOf('client'), 'both'); // requests and replies
    assert.equal(whatOf('server'), 'receiving');
    assert.deepEqual(
      eventsOf({ at: '1s', pause: 'workers[2]', what: 'sending' }, { at: '2s', resume: 'workers[2]', what: 'sending' }).map((e) => e.what),
      ['sending', 'sending'],
    );
    assert.deepEqual(eventsOf({ at: '1s', pause: 'client', what: 'receiving' })[0]!.what, 'receiving');
  });

  it('directionsOf follows the socket types', () => {
    assert.deepEqual(directionsOf('pub', false, null), ['sending']);
    assert.deepEqual(directionsOf('sub', false, null), ['receiving']);
    assert.deepEqual(directionsOf('sub', true, null), ['sending', 'receiving']);
    assert.deepEqual(directionsOf('dealer', false, null), ['sending', 'receiving']);
    assert.deepEqual(directionsOf('router', false, null), ['receiving']);
    assert.deepEqual(directionsOf('pair', false, 'sender'), ['sending']);
    assert.deepEqual(directionsOf('pair', false, 'receiver'), ['receiving']);
    assert.deepEqual(directionsOf('radio', false, null), ['sending']);
    assert.deepEqual(directionsOf('dish', false, null), ['receiving']);
  });

  it('may share a time, and keep the order listed; at may be the duration itself', () => {
    assert.deepEqual(
      eventsOf({ at: '2s', kill: 'workers' }, { at: '2s', restart: 'workers[3]' }, { at: '10s', stop: 'client' }).map((e) => [
        e.atMs,
        e.action,
      ]),
      [
        [2000, 'kill'],
        [2000, 'restart'],
        [10_000, 'stop'],
      ],
    );
    // without a duration the default 5s bounds them
    assert.deepEqual(problemsOf(withChange((s) => (delete s['duration'], (s['events'] = [{ at: '6s', stop: 'vent' }])))), [
      'events[0].at: must be at most the duration (5s), got "6s"',
    ]);
  });
});

describe('events: rules', () => {
  it('want a list of mappings with at', () => {
    expectProblems((s) => (s['events'] = { at: '1s', kill: 'server' }), ['events: must be a list, got {"at":"1s","kill":"server"}']);
    assert.deepEqual(eventProblems(5), ['events[0]: must be a mapping, got 5']);
    assert.deepEqual(eventProblems({ kill: 'server' }), ['events[0].at: required field is missing']);
    assert.deepEqual(eventProblems({ at: 1, kill: 'server' }), ['events[0].at: must be a duration such as 500ms, 2s or 1m, got 1']);
    assert.deepEqual(eventProblems({ at: '1s', kill: 'server', colour: 'red' }), ['events[0].colour: unknown field']);
  });

  it('want exactly one action', () => {
    assert.deepEqual(eventProblems({ at: '1s' }), [
      'events[0]: must have exactly one of kill, restart, pause, resume, stop, partition, cut, slow or heal, got none',
    ]);
    assert.deepEqual(eventProblems({ at: '1s', kill: 'server', stop: 'client' }), [
      'events[0]: must have exactly one of kill, restart, pause, resume, stop, partition, cut, slow or heal, got kill and stop',
    ]);
    assert.deepEqual(eventProblems({ at: '1s', kill: 'server', pause: 'sink', stop: 'client' }), [
      'events[0]: must have exactly one of kill, restart, pause, resume, stop, partition, cut, slow or heal, got kill, pause and stop',
    ]);
    // a misspelt action is one problem, with a suggestion
    assert.deepEqual(eventProblems({ at: '1s', kil: 'server' }), ['events[0].kil: unknown field (did you mean "kill"?)']);
  });

  it('are within the duration and in order of at', () => {
    assert.deepEqual(eventProblems({ at: '11s', stop: 'vent' }), ['events[0].at: must be at most the duration (10s), got "11s"']);
    assert.deepEqual(eventProblems({ at: '2s', stop: 'vent' }, { at: '1s', stop: 'client' }), [
      'events[1].at: must not be before events[0].at (2s): events are listed in order of at, got "1s"',
    ]);
  });

  it('name a group that exists, and a socket below its count', () => {
    assert.deepEqual(eventProblems({ at: '1s', kill: 'wokers[1]' }), [
      'events[0].kill: group "wokers" is not in topology.groups (did you mean "workers"?)',
    ]);
    assert.deepEqual(eventProblems({ at: '1s', kill: 'nobody' }), ['events[0].kill: group "nobody" is not in topology.groups']);
    assert.deepEqual(eventProblems({ at: '1s', kill: 'workers[4]' }), [
      'events[0].kill: socket index must be less than the count of group "workers" (4), got "workers[4]"',
    ]);
    assert.deepEqual(eventProblems({ at: '1s', kill: 'server[1]' }), [
      'events[0].kill: socket index must be less than the count of group "server" (1), got "server[1]"',
    ]);
    const shape = (target: unknown) =>
      `events[0].kill: must be a group name, or a group name and a socket index such as workers[1], got ${JSON.stringify(target)}`;
    for (const target of ['workers[x]', 'workers[-1]', 'workers[01]', 'workers 1', 'workers[1', '1st'])
      assert.deepEqual(eventProblems({ at: '1s', kill: target }), [shape(target)]);
    assert.deepEqual(eventProblems({ at: '1s', kill: 3 }), ['events[0].kill: must be a string, got 3']);
  });

  it('do not guess at groups when group names have problems of their own', () => {
    expectProblems(
      (s) => {
        group(s, 2)['name'] = '2nd';
        s['events'] = [{ at: '1s', kill: 'sink' }];
      },
      ['topology.groups[2].name: must start with a letter and contain only letters, digits, _ and -, got "2nd"'],
    );
  });

  it('take what with pause and resume only, and only a direction the group has', () => {
    assert.deepEqual(eventProblems({ at: '1s', kill: 'server', what: 'receiving' }), [
      'events[0].what: is only for pause and resume, not kill',
    ]);
    assert.deepEqual(eventProblems({ at: '1s', stop: 'vent', what: 'sending' }), [
      'events[0].what: is only for pause and resume, not stop',
    ]);
    assert.deepEqual(eventProblems({ at: '1s', pause: 'vent', what: 'receiving' }), [
      'events[0].what: must be sending, the only direction group "vent" (push) has, got "receiving"',
    ]);
    assert.deepEqual(eventProblems({ at: '1s', pause: 'sink', what: 'sending' }), [
      'events[0].what: must be receiving, the only direction group "sink" (pull) has, got "sending"',
    ]);
    assert.deepEqual(eventProblems({ at: '1s', pause: 'server[0]', what: 'sending' }), [
      'events[0].what: must be receiving, the only direction group "server" (rep) has, got "sending"',
    ]);
    assert.deepEqual(eventProblems({ at: '1s', pause: 'sink', what: 'both' }), [
      'events[0].what: must be "sending" or "receiving", got "both"',
    ]);
  });

  it('stop senders only', () => {
    assert.deepEqual(eventProblems({ at: '1s', stop: 'sink' }), [
      'events[0].stop: is only for pub, push, req, dealer, xpub and radio groups and the sender of a pair (it ends a sender early), not pull',
    ]);
    assert.deepEqual(eventProblems({ at: '1s', stop: 'workers[0]' }), [
      'events[0].stop: is only for pub, push, req, dealer, xpub and radio groups and the sender of a pair (it ends a sender early), not pull',
    ]);
    assert.deepEqual(eventProblems({ at: '1s', stop: 'server' }), [
      'events[0].stop: is only for pub, push, req, dealer, xpub and radio groups and the sender of a pair (it ends a sender early), not rep',
    ]);
    assert.equal(eventsOf({ at: '1s', stop: 'client' }).length, 1);
  });

  it('restart only what an earlier kill covers', () => {
    const restart = (target: string, socket: string) =>
      `must follow a kill of the same target (a kill of the group covers each of its sockets): ${socket} is not killed at this point, got ${JSON.stringify(target)}`;
    // a kill of the group covers each socket; kills of each socket cover the group
    assert.equal(
      eventsOf({ at: '1s', kill: 'workers' }, { at: '2s', restart: 'workers[1]' }, { at: '3s', restart: 'workers[0]' }).length,
      3,
    );
    const eachKilled = [0, 1, 2, 3].map((i) => ({ at: `${i + 1}s`, kill: `workers[${i}]` }));
    assert.equal(eventsOf(...eachKilled, { at: '5s', restart: 'workers' }).length, 5);
    assert.deepEqual(eventProblems({ at: '1s', kill: 'workers' }, { at: '2s', restart: 'workers[1]' }, { at: '3s', restart: 'workers' }), [
      `events[2].restart: ${restart('workers', 'workers[1]')}`,
    ]);
    assert.deepEqual(eventProblems({ at: '1s', restart: 'server' }), [`events[0].restart: ${restart('server', 'server[0]')}`]);
    assert.deepEqual(eventProblems({ at: '1s', kill: 'workers[1]' }, { at: '2s', restart: 'workers' }), [
      `events[1].restart: ${restart('workers', 'workers[0]')}`,
    ]);
    assert.deepEqual(eventProblems({ at: '1s', kill: 'workers[1]' }, { at: '2s', restart: 'workers[2]' }), [
      `events[1].restart: ${restart('workers[2]', 'workers[2]')}`,
    ]);
    // a restarted socket needs another kill before another restart
    assert.deepEqual(eventProblems({ at: '1s', kill: 'server' }, { at: '2s', restart: 'server' }, { at: '3s', restart: 'server' }), [
      `events[2].restart: ${restart('server', 'server[0]')}`,
    ]);
    assert.equal(
      eventsOf({ at: '1s', kill: 'server' }, { at: '2s', restart: 'server' }, { at: '3s', kill: 'server' }, { at: '4s', restart: 'server' })
        .length,
      4,
    );
    // the kill comes first in the list, even at the same time
    assert.deepEqual(eventProblems({ at: '1s', restart: 'server' }, { at: '1s', kill: 'server' }), [
      `events[0].restart: ${restart('server', 'server[0]')}`,
    ]);
    // a kill that is itself wrong does not make the restart wrong too
    assert.deepEqual(eventProblems({ at: '1s', kill: 'sever' }, { at: '2s', restart: 'server' }), [
      'events[0].kill: group "sever" is not in topology.groups (did you mean "server"?)',
    ]);
  });

  it('resume only what an earlier pause covers', () => {
    const resume = (target: string, socket: string, what = '') =>
      `must follow a pause of the same target (a pause of the group covers each of its sockets): ${socket} is not paused${what} at this point, got ${JSON.stringify(target)}`;
    assert.equal(
      eventsOf({ at: '1s', pause: 'workers' }, { at: '2s', resume: 'workers[1]' }, { at: '3s', resume: 'workers[2]' }).length,
      3,
    );
    assert.deepEqual(eventProblems({ at: '1s', pause: 'workers' }, { at: '2s', resume: 'workers[1]' }, { at: '3s', resume: 'workers' }), [
      `events[2].resume: ${resume('workers', 'workers[1]')}`,
    ]);
    assert.deepEqual(eventProblems({ at: '1s', resume: 'sink' }), [`events[0].resume: ${resume('sink', 'sink[0]')}`]);
    assert.deepEqual(eventProblems({ at: '1s', pause: 'workers[1]' }, { at: '2s', resume: 'workers' }), [
      `events[1].resume: ${resume('workers', 'workers[0]')}`,
    ]);
    assert.deepEqual(eventProblems({ at: '1s', pause: 'sink' }, { at: '2s', resume: 'sink' }, { at: '3s', resume: 'sink' }), [
      `events[2].resume: ${resume('sink', 'sink[0]')}`,
    ]);
    // directions: resuming the one that was not paused is wrong; without what, any paused one will do
    assert.deepEqual(eventProblems({ at: '1s', pause: 'client', what: 'sending' }, { at: '2s', resume: 'client', what: 'receiving' }), [
      `events[1].resume: ${resume('client', 'client[0]', ' (receiving)')}`,
    ]);
    assert.equal(eventsOf({ at: '1s', pause: 'client', what: 'sending' }, { at: '2s', resume: 'client' }).length, 2);
    // pauses and kills are followed apart: a killed and restarted socket can still be resumed
    assert.equal(
      eventsOf({ at: '1s', pause: 'sink' }, { at: '2s', kill: 'sink' }, { at: '3s', restart: 'sink' }, { at: '4s', resume: 'sink' }).length,
      4,
    );
  });

  it('list every problem at once', () => {
    assert.deepEqual(
      eventProblems(
        { at: '2s', kill: 'workers[1]' },
        { at: '1s', restart: 'workers' },
        { at: '3s', pause: 'vent', what: 'receiving' },
        { at: '12s', stop: 'sink' },
      ),
      [
        'events[1].at: must not be before events[0].at (2s): events are listed in order of at, got "1s"',
        'events[1].restart: must follow a kill of the same target (a kill of the group covers each of its sockets): workers[0] is not killed at this point, got "workers"',
        'events[2].what: must be sending, the only direction group "vent" (push) has, got "receiving"',
        'events[3].at: must be at most the duration (10s), got "12s"',
        'events[3].stop: is only for pub, push, req, dealer, xpub and radio groups and the sender of a pair (it ends a sender early), not pull',
      ],
    );
  });
});
