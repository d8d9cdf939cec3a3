import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SocketType } from '../../../src/scenario/schema.js';
import { allowedOptions } from '../../../src/scenario/socket-options.js';
import { problemsOf, scenarioOf } from '../../support/validation.js';
import { expectProblems, group, withChange, type RawScenario } from '../../support/pipe-scenario.js';

const takes = (type: SocketType) => allowedOptions(type).join(', ');

/** Validation of the scenario file: the rules across fields (the structure: scenario-validate-structure.test.ts). */

describe('validateScenario: rules across fields', () => {
  it('wants unique group and endpoint names', () => {
    expectProblems(
      (s) => {
        s.topology.endpoints.push({ name: 'tasks' });
        group(s, 1)['name'] = 'vent';
      },
      [
        'topology.endpoints[1].name: must be unique (also topology.endpoints[0]), got "tasks"',
        'topology.groups[1].name: must be unique (also topology.groups[0].name), got "vent"',
      ],
    );
  });

  it('wants exactly one of bind and connect, on groups and forwards', () => {
    expectProblems((s) => (group(s, 1)['bind'] = 'tasks'), ['topology.groups[1]: must have exactly one of bind or connect, got both']);
    expectProblems((s) => delete group(s, 1)['connect'], ['topology.groups[1]: must have exactly one of bind or connect, got neither']);
    expectProblems(
      (s) => {
        s.topology.endpoints.push('out');
        group(s, 1)['forward'] = { type: 'push' };
      },
      ['topology.groups[1].forward: must have exactly one of bind or connect, got neither'],
    );
  });

  it('names an endpoint that is not declared', () => {
    expectProblems(
      (s) => s.topology.groups.push({ name: 'late', type: 'pull', connect: 'tasks2' }),
      ['topology.groups[2].connect: endpoint "tasks2" is not declared in topology.endpoints'],
    );
    expectProblems(
      (s) => (group(s, 1)['connect'] = ['tasks', 'tasks']),
      ['topology.groups[1].connect[1]: must not name an endpoint twice, got "tasks"'],
    );
  });

  it('wants every declared endpoint used', () => {
    expectProblems((s) => s.topology.endpoints.push('spare'), ['topology.endpoints[1]: endpoint "spare" is not used by any group']);
  });

  it('wants every endpoint bound by exactly one group, and connected to', () => {
    expectProblems(
      (s) => {
        group(s, 0)['connect'] = 'tasks';
        delete group(s, 0)['bind'];
      },
      [
        'topology.groups[0].connect: group "vent" connects to endpoint "tasks", which no group binds',
        'topology.groups[1].connect: group "work" connects to endpoint "tasks", which no group binds',
      ],
    );
    expectProblems(
      (s) => s.topology.groups.push({ name: 'vent2', type: 'push', bind: 'tasks' }),
      ['topology.groups[2].bind: endpoint "tasks" is already bound by group "vent"; only one group may bind an endpoint'],
    );
    expectProblems(
      (s) => {
        s.topology.endpoints.push('out');
        group(s, 1)['forward'] = { type: 'push', bind: 'out' };
      },
      ['topology.endpoints[1]: endpoint "out" is bound by the forward of group "work" but no group connects to it'],
    );
  });

  it('accepts every pair of socket types that can talk, either side binding', () => {
    const pairs: [SocketType, SocketType][] = [
      ['pub', 'sub'],
      ['push', 'pull'],
      ['req', 'rep'],
      ['req', 'router'],
      ['dealer', 'router'],
      ['dealer', 'rep'],
    ];
    for (const [a, b] of pairs) {
      for (const [binder, connector] of [
        [a, b],
        [b, a],
      ] as const) {
        scenarioOf({
          name: 'pair',
          topology: {
            endpoints: ['e'],
            groups: [
              { name: 'x', type: binder, bind: 'e' },
              { name: 'y', type: connector, connect: 'e' },
            ],
          },
        });
      }
    }
  });

  it('refuses socket types that cannot talk', () => {
    expectProblems(
      (s) => (group(s, 1)['type'] = 'sub'),
      ['topology.groups[1].connect: sub can only talk to pub or xpub, got push (group "vent" binds endpoint "tasks")'],
    );
    expectProblems(
      (s) => (group(s, 1)['type'] = 'req'),
      ['topology.groups[1].connect: req can only talk to rep or router, got push (group "vent" binds endpoint "tasks")'],
    );
  });

  it('checks options against the socket type (zeromq.js would crash on them)', () => {
    const cases: [SocketType, string, string][] = [
      ['push', 'rcvhwm', `topology.groups[0].options.rcvhwm: is not available on push sockets (they take ${takes('push')})`],
      ['push', 'nodrop', `topology.groups[0].options.nodrop: is not available on push sockets (they take ${takes('push')})`],
      ['req', 'conflate', `topology.groups[0].options.conflate: is not available on req sockets (they take ${takes('req')})`],
      ['dealer', 'mandatory', `topology.groups[0].options.mandatory: is not available on dealer sockets (they take ${takes('dealer')})`],
    ];
    for (const [type, option, message] of cases) {
      const peer: SocketType = type === 'push' ? 'pull' : 'router';
      assert.deepEqual(
        problemsOf({
          name: 'opts',
          topology: {
            endpoints: ['e'],
            groups: [
              { name: 'x', type, connect: 'e', options: { [option]: option === 'rcvhwm' ? 10 : true } },
              { name: 'y', type: peer, bind: 'e' },
            ],
          },
        }),
        [message],
      );
    }
    expectProblems(
      (s) => {
        s.topology.endpoints.push('out');
        group(s, 1)['options'] = { sndhwm: 5 };
        group(s, 1)['forward'] = { type: 'push', connect: 'out', options: { rcvbuf: 4096 } };
        s.topology.groups.push({ name: 'sink', type: 'pull', bind: 'out' });
      },
      [
        `topology.groups[1].options.sndhwm: is not available on pull sockets (they take ${takes('pull')})`,
        `topology.groups[1].forward.options.rcvbuf: is not available on push sockets (they take ${takes('push')})`,
      ],
    );
  });

  it('refuses fields that belong to other socket types', () => {
    expectProblems(
      (s) => {
        Object.assign(group(s, 0), {
          delay: '1ms',
          subscribe: ['a'],
          topics: ['t'],
          window: 5,
          forward: { type: 'push', connect: 'tasks' },
        });
        Object.assign(group(s, 1), { rate: 10, messages: 5, size: 64 });
      },
      [
        'topology.groups[0].delay: is only for sub, pull, rep, router, xsub, dish and pair groups, not push',
        'topology.groups[0].subscribe: is only for sub and xsub groups, not push',
        'topology.groups[0].topics: is only for pub, xpub and radio groups, not push',
        'topology.groups[0].window: is only for dealer groups, not push',
        'topology.groups[0].forward: is only for pull and sub groups, not push',
        'topology.groups[1].size: is only for pub, push, req, dealer, xpub, radio and pair groups, not pull',
        'topology.groups[1].rate: is only for pub, push, req, dealer, xpub, radio and pair groups, not pull',
        'topology.groups[1].messages: is only for pub, push, req, dealer, xpub, radio and pair groups, not pull',
      ],
    );
  });

  it('wants threads <= count', () => {
    expectProblems(
      (s) => Object.assign(group(s, 1), { count: 4, threads: 8 }),
      ['topology.groups[1].threads: must be at most count (4), got 8'],
    );
    expectProblems((s) => (group(s, 1)['threads'] = 2), ['topology.groups[1].threads: must be at most count (1), got 2']);
  });

  it('limits the sockets of a scenario, a forward counting one more per member', () => {
    expectProblems(
      (s) => {
        s.topology.endpoints.push('out');
        Object.assign(group(s, 1), { count: 1000, forward: { type: 'push', connect: 'out' } });
        s.topology.groups.push({ name: 'sink', type: 'pull', bind: 'out' });
      },
      [
        'topology.groups: must have at most 2000 sockets in all (count per group, twice with a forward, two or three for a proxy), got 2002',
      ],
    );
  });

  it('wants a sending group', () => {
    assert.deepEqual(problemsOf({ name: 'quiet', topology: { endpoints: ['e'], groups: [{ name: 'a', type: 'pull', bind: 'e' }] } }), [
      'topology.groups: must include a sending group (pub, push, req, dealer, xpub, radio or pair with side: sender), got none',
      'topology.endpoints[0]: endpoint "e" is bound by group "a" but no group connects to it',
    ]);
  });

  it('refuses a subscription prefix on a publisher that sends no topics', () => {
    const pubsub = (): RawScenario => ({
      name: 'feed',
      topology: {
        endpoints: ['feed'],
        groups: [
          { name: 'news', type: 'pub', bind: 'feed' },
          { name: 'reader', type: 'sub', connect: 'feed', subscribe: ['', 'sport'] },
        ],
      },
    });
    expectProblems(
      () => {},
      [
        'topology.groups[1].subscribe[1]: must be "" because group "news" sends no topics (a prefix would be matched against the binary header), got "sport"',
      ],
      pubsub,
    );
    scenarioOf(withChange((s) => (group(s, 0)['topics'] = ['sport', 'weather']), pubsub));
  });

  it('takes no prefix behind a forward pub: stages do not carry topics into the plan', () => {
    const relay = (stage: 'pull' | 'sub'): RawScenario => ({
      name: 'relay',
      topology: {
        endpoints: ['in', 'out'],
        groups: [
          { name: 'source', type: stage === 'pull' ? 'push' : 'pub', bind: 'in', ...(stage === 'sub' ? { topics: ['a1', 'b1'] } : {}) },
          { name: 'stage', type: stage, connect: 'in', forward: { type: 'pub', bind: 'out' } },
          { name: 'reader', type: 'sub', connect: 'out', subscribe: ['a'] },
        ],
      },
    });
    for (const stage of ['pull', 'sub'] as const) {
      assert.deepEqual(problemsOf(relay(stage)), [
        'topology.groups[2].subscribe[0]: must be "" because the forward of group "stage" sends no topics (a prefix would be matched against the binary header), got "a"',
      ]);
    }
  });

  it('refuses conflate with topics (conflate keeps single-frame messages only)', () => {
    const message =
      'cannot be used with topics: conflate keeps single-frame messages only, and group "news" sends a topic frame first, got true';
    assert.deepEqual(
      problemsOf({
        name: 'feed',
        topology: {
          endpoints: ['feed'],
          groups: [
            { name: 'news', type: 'pub', bind: 'feed', topics: ['a'], options: { conflate: true } },
            { name: 'reader', type: 'sub', connect: 'feed', options: { conflate: true } },
          ],
        },
      }),
      [`topology.groups[0].options.conflate: ${message}`, `topology.groups[1].options.conflate: ${message}`],
    );
  });

  it('wants the receivers of one push in one group (loss is counted per group)', () => {
    expectProblems(
      (s) => s.topology.groups.push({ name: 'other', type: 'pull', connect: 'tasks' }),
      [
        'topology.groups[0].bind: the receivers of group "vent" must all be one pull group (loss is counted per group), got group "work" and group "other"',
      ],
    );
    // also when the push spreads over two endpoints, each bound by another group
    assert.deepEqual(
      problemsOf({
        name: 'split',
        topology: {
          endpoints: ['a', 'b'],
          groups: [
            { name: 'vent', type: 'push', connect: ['a', 'b'] },
            { name: 'left', type: 'pull', bind: 'a' },
            { name: 'right', type: 'pull', bind: 'b' },
          ],
        },
      }),
      [
        'topology.groups[0].connect: the receivers of group "vent" must all be one pull group (loss is counted per group), got group "left" and group "right"',
      ],
    );
  });

  it('refuses forwards that loop', () => {
    assert.deepEqual(
      problemsOf({
        name: 'loop',
        topology: {
          endpoints: ['in', 'a', 'b'],
          groups: [
            { name: 'vent', type: 'push', bind: 'in' },
            { name: 'one', type: 'pull', connect: ['in', 'b'], forward: { type: 'push', bind: 'a' } },
            { name: 'two', type: 'pull', connect: 'a', forward: { type: 'push', bind: 'b' } },
          ],
        },
      }),
      ['topology.groups[1].forward: must not lead back to the same group (messages would circle forever), got "one" → "two" → "one"'],
    );
  });

  it('bounds durations', () => {
    expectProblems((s) => (s['duration'] = '0s'), ['duration: must be longer than 0s, got "0s"']);
    expectProblems((s) => (s['drain'] = '25h'), ['drain: must be at most 24h, got "25h"']);
    expectProblems((s) => (group(s, 1)['delay'] = '48h'), ['topology.groups[1].delay: must be at most 24h, got "48h"']);
  });

  it('reports several problems of one scenario together, structural ones first', () => {
    const problems = problemsOf(
      withChange((s) => {
        s['duration'] = 'soon';
        group(s, 0)['rate'] = -5;
        group(s, 1)['delay'] = '1s';
        group(s, 1)['rate'] = 10;
        s.topology.groups.push({ name: 'late', type: 'pull', connect: 'tasks2' });
        s.topology.groups.push({ name: 'late', type: 'sub', connect: 'tasks' });
      }),
    );
    assert.deepEqual(problems, [
      'duration: must be a duration such as 500ms, 2s or 1m, got "soon"',
      'topology.groups[0].rate: must be from 0.001 to 10000000 messages per second (at least one message every 1000s), got -5',
      'topology.groups[1].rate: is only for pub, push, req, dealer, xpub, radio and pair groups, not pull',
      'topology.groups[2].connect: endpoint "tasks2" is not declared in topology.endpoints',
      'topology.groups[3].name: must be unique (also topology.groups[2].name), got "late"',
      'topology.groups[3].connect: sub can only talk to pub or xpub, got push (group "vent" binds endpoint "tasks")',
    ]);
  });

  it('reports a typo once, without the problems that would follow from it', () => {
    expectProblems(
      (s) => {
        group(s, 1)['conect'] = group(s, 1)['connect'];
        delete group(s, 1)['connect'];
      },
      ['topology.groups[1].conect: unknown field (did you mean "connect"?)'],
    );
  });
});
