import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { HEADER_BYTES } from '../../src/protocol/header.js';
import { parseScenarioText } from '../../src/scenario/load.js';
import { scenarioAsRun } from '../../src/scenario/as-run.js';
import { applyOverrides, durationText } from '../../src/scenario/overrides.js';
import { MIN_MESSAGE_BYTES, SIZE_MESSAGE, SOCKET_TYPES, type DelayModel, type SocketType } from '../../src/scenario/schema.js';
import { allowedOptions, toZmqOptions } from '../../src/scenario/socket-options.js';
import { isBenchError } from '../../src/core/errors.js';
import { constantRatePacer, rampPacer, stepPacer } from '../../src/pacing/pacer.js';
import { problemsOf, scenarioOf } from '../support/validation.js';

/** A raw scenario as a test builds it: loose on purpose, it is what validation must judge. */
interface RawScenario {
  [field: string]: unknown;
  topology: { [field: string]: unknown; endpoints: unknown[]; groups: Record<string, unknown>[] };
}

/** push "vent" binds tasks, pull "work" connects: the smallest valid scenario. */
function pipe(): RawScenario {
  return {
    name: 'pipe',
    topology: {
      endpoints: ['tasks'],
      groups: [
        { name: 'vent', type: 'push', bind: 'tasks' },
        { name: 'work', type: 'pull', connect: 'tasks' },
      ],
    },
  };
}

function withChange(change: (s: RawScenario) => void, start: () => RawScenario = pipe): RawScenario {
  const s = start();
  change(s);
  return s;
}


function expectProblems(change: (s: RawScenario) => void, expected: string[], start?: () => RawScenario): void {
  assert.deepEqual(problemsOf(withChange(change, start)), expected);
}

const group = (s: RawScenario, i: number) => s.topology.groups[i]!;

const fixed = (ms: number): DelayModel => ({ phases: [{ untilMs: null, spec: { kind: 'fixed', ms } }] });
const NO_DELAY = fixed(0);

describe('validateScenario: structure (TypeBox errors in our words)', () => {
  it('reports unknown fields, at the top and inside groups, suggesting a near name', () => {
    expectProblems(
      (s) => {
        s['colour'] = 'red';
        group(s, 0)['colour'] = 'red';
        group(s, 1)['treads'] = 2;
      },
      ['colour: unknown field', 'topology.groups[0].colour: unknown field', 'topology.groups[1].treads: unknown field (did you mean "threads"?)'],
    );
  });

  it('suggests our short option name for a zeromq.js property name', () => {
    expectProblems((s) => (group(s, 0)['options'] = { sendHighWaterMark: 10 }), [
      'topology.groups[0].options.sendHighWaterMark: unknown field (did you mean "sndhwm"?)',
    ]);
  });

  it('says what a union such as rate expects, or the precise bound when the type is right', () => {
    expectProblems((s) => (group(s, 0)['rate'] = -5), ['topology.groups[0].rate: must be from 0.001 to 10000000 messages per second (at least one message every 1000s), got -5']);
    expectProblems((s) => (group(s, 0)['rate'] = 'fast'), [
      'topology.groups[0].rate: must be a number > 0, "max", { ramp: { from, to, over } }, { bursts: { size, every } } or { steps: [{ rate, for }, ...] }, got "fast"',
    ]);
    expectProblems((s) => (group(s, 0)['rate'] = 20_000_000), ['topology.groups[0].rate: must be from 0.001 to 10000000 messages per second (at least one message every 1000s), got 20000000']);
  });

  it('lists the allowed values of an enum', () => {
    expectProblems((s) => (s['transport'] = 'udp'), ['transport: must be one of "inproc", "ipc", "tcp", got "udp"']);
    expectProblems((s) => (group(s, 0)['type'] = 'pusher'), [
      'topology.groups[0].type: must be one of "pub", "sub", "push", "pull", "req", "rep", "dealer", "router", got "pusher"',
    ]);
    expectProblems((s) => (group(s, 1)['forward'] = { type: 'pull', connect: 'tasks' }), ['topology.groups[1].forward.type: must be "push" or "pub", got "pull"']);
  });

  it('says what a pattern means', () => {
    expectProblems((s) => (s['duration'] = '5 sec'), ['duration: must be a duration such as 500ms, 2s or 1m, got "5 sec"']);
    expectProblems((s) => (s['warmup'] = 5), ['warmup: must be a duration such as 500ms, 2s or 1m, got 5']);
    expectProblems((s) => (s['name'] = '1st run'), ['name: must start with a letter and contain only letters, digits, _ and -, got "1st run"']);
    expectProblems((s) => (s['name'] = 'x'.repeat(65)), ['name: must be at most 64 characters, got 65']);
  });

  it('reports a missing required field once', () => {
    expectProblems((s) => delete group(s, 1)['name'], ['topology.groups[1].name: required field is missing']);
    assert.deepEqual(problemsOf({ name: 'x' }), ['topology: required field is missing']);
  });

  it('reports values of the wrong kind', () => {
    assert.deepEqual(problemsOf('hello'), ['(top level): must be a mapping, got "hello"']);
    expectProblems((s) => (s.topology.groups[1] = 7 as unknown as Record<string, unknown>), ['topology.groups[1]: must be a mapping, got 7']);
    expectProblems((s) => (group(s, 1)['count'] = 0), ['topology.groups[1].count: must be >= 1, got 0']);
    expectProblems((s) => (group(s, 1)['count'] = 1.5), ['topology.groups[1].count: must be a whole number, got 1.5']);
    expectProblems((s) => (s['barrier'] = 'yes'), ['barrier: must be true or false, got "yes"']);
    expectProblems((s) => (group(s, 0)['options'] = { sndhwm: -1 }), ['topology.groups[0].options.sndhwm: must be >= 0, got -1']);
  });

  it('reports endpoint references of the wrong shape', () => {
    expectProblems((s) => (group(s, 0)['bind'] = 3), ['topology.groups[0].bind: must be an endpoint name or a list of endpoint names, got 3']);
    expectProblems((s) => (group(s, 0)['bind'] = ['tasks', 3]), ['topology.groups[0].bind[1]: must be a string, got 3']);
    expectProblems((s) => (group(s, 0)['bind'] = []), ['topology.groups[0].bind: must have at least 1 entry, got []']);
    expectProblems((s) => (s.topology.endpoints[0] = { name: 'tasks', port: 5555 }), ['topology.endpoints[0].port: unknown field']);
    expectProblems((s) => s.topology.endpoints.push(5), ['topology.endpoints[1]: must be an endpoint name or an object with a name (and an external address), got 5']);
  });

  it('uses one text for every way a size can be wrong, and refuses sizes below the header', () => {
    const bad = (v: unknown) => `topology.groups[0].size: ${SIZE_MESSAGE}, got ${JSON.stringify(v)}`;
    for (const v of [16, '16B', '1 KB', '100MiB', 1.5, true]) expectProblems((s) => (group(s, 0)['size'] = v), [bad(v)]);
    assert.equal(SIZE_MESSAGE, 'must be a size from 32 bytes to 64MiB: a number of bytes or a string such as 64B, 1KiB or 4MB');
    assert.equal(scenarioOf(withChange((s) => (group(s, 0)['size'] = 32))).groups[0]!.sizeBytes, 32);
    assert.equal(scenarioOf(withChange((s) => (group(s, 0)['size'] = '32B'))).groups[0]!.sizeBytes, 32);
  });

  it('keeps the minimum size equal to the protocol header', () => {
    assert.equal(MIN_MESSAGE_BYTES, HEADER_BYTES);
  });

  it('refuses an empty subscription list (a sub that receives nothing)', () => {
    expectProblems(
      (s) => {
        group(s, 0)['type'] = 'pub';
        group(s, 1)['type'] = 'sub';
        group(s, 1)['subscribe'] = [];
      },
      ['topology.groups[1].subscribe: must have at least 1 entry, got []'],
    );
  });

  it('never lets TypeBox text through', () => {
    const problems = problemsOf({
      name: 5,
      transport: 'x',
      topology: { endpoints: [{}, 3, 'a b'], groups: [{ type: 'x', rate: {}, size: [], bind: {}, options: { linger: 'x' }, forward: 3 }, [], null] },
    });
    assert.ok(problems.length >= 8, problems.join('\n'));
    for (const p of problems) assert.doesNotMatch(p, /Expected|union value|\^\[/, p);
  });
});

describe('validateScenario: rules across fields', () => {
  it('wants unique group and endpoint names', () => {
    expectProblems(
      (s) => {
        s.topology.endpoints.push({ name: 'tasks' });
        group(s, 1)['name'] = 'vent';
      },
      ['topology.endpoints[1].name: must be unique (also topology.endpoints[0]), got "tasks"', 'topology.groups[1].name: must be unique (also topology.groups[0].name), got "vent"'],
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
    expectProblems((s) => (group(s, 1)['connect'] = ['tasks', 'tasks']), ['topology.groups[1].connect[1]: must not name an endpoint twice, got "tasks"']);
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
      ['topology.groups[0].connect: group "vent" connects to endpoint "tasks", which no group binds', 'topology.groups[1].connect: group "work" connects to endpoint "tasks", which no group binds'],
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
    const pairs: [SocketType, SocketType][] = [['pub', 'sub'], ['push', 'pull'], ['req', 'rep'], ['req', 'router'], ['dealer', 'router'], ['dealer', 'rep']];
    for (const [a, b] of pairs) {
      for (const [binder, connector] of [[a, b], [b, a]] as const) {
        scenarioOf({
          name: 'pair',
          topology: { endpoints: ['e'], groups: [{ name: 'x', type: binder, bind: 'e' }, { name: 'y', type: connector, connect: 'e' }] },
        });
      }
    }
  });

  it('refuses socket types that cannot talk', () => {
    expectProblems((s) => (group(s, 1)['type'] = 'sub'), ['topology.groups[1].connect: sub can only talk to pub, got push (group "vent" binds endpoint "tasks")']);
    expectProblems((s) => (group(s, 1)['type'] = 'req'), ['topology.groups[1].connect: req can only talk to rep or router, got push (group "vent" binds endpoint "tasks")']);
  });

  it('checks options against the socket type (zeromq.js would crash on them)', () => {
    const cases: [SocketType, string, string][] = [
      ['push', 'rcvhwm', 'topology.groups[0].options.rcvhwm: is not available on push sockets (they take sndhwm, linger, immediate, conflate, sndtimeo, sndbuf, backlog)'],
      ['push', 'nodrop', 'topology.groups[0].options.nodrop: is not available on push sockets (they take sndhwm, linger, immediate, conflate, sndtimeo, sndbuf, backlog)'],
      ['req', 'conflate', 'topology.groups[0].options.conflate: is not available on req sockets (they take sndhwm, rcvhwm, linger, immediate, sndtimeo, rcvtimeo, sndbuf, rcvbuf, backlog)'],
      ['dealer', 'mandatory', 'topology.groups[0].options.mandatory: is not available on dealer sockets (they take sndhwm, rcvhwm, linger, immediate, conflate, sndtimeo, rcvtimeo, sndbuf, rcvbuf, backlog)'],
    ];
    for (const [type, option, message] of cases) {
      const peer: SocketType = type === 'push' ? 'pull' : 'router';
      assert.deepEqual(
        problemsOf({
          name: 'opts',
          topology: { endpoints: ['e'], groups: [{ name: 'x', type, connect: 'e', options: { [option]: option === 'rcvhwm' ? 10 : true } }, { name: 'y', type: peer, bind: 'e' }] },
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
        'topology.groups[1].options.sndhwm: is not available on pull sockets (they take rcvhwm, linger, immediate, conflate, rcvtimeo, rcvbuf, backlog)',
        'topology.groups[1].forward.options.rcvbuf: is not available on push sockets (they take sndhwm, linger, immediate, conflate, sndtimeo, sndbuf, backlog)',
      ],
    );
  });

  it('refuses fields that belong to other socket types', () => {
    expectProblems(
      (s) => {
        Object.assign(group(s, 0), { delay: '1ms', subscribe: ['a'], topics: ['t'], window: 5, forward: { type: 'push', connect: 'tasks' } });
        Object.assign(group(s, 1), { rate: 10, messages: 5, size: 64 });
      },
      [
        'topology.groups[0].delay: is only for sub, pull, rep and router groups, not push',
        'topology.groups[0].subscribe: is only for sub groups, not push',
        'topology.groups[0].topics: is only for pub groups, not push',
        'topology.groups[0].window: is only for dealer groups, not push',
        'topology.groups[0].forward: is only for pull and sub groups, not push',
        'topology.groups[1].size: is only for pub, push, req and dealer groups, not pull',
        'topology.groups[1].rate: is only for pub, push, req and dealer groups, not pull',
        'topology.groups[1].messages: is only for pub, push, req and dealer groups, not pull',
      ],
    );
  });

  it('wants threads <= count', () => {
    expectProblems((s) => Object.assign(group(s, 1), { count: 4, threads: 8 }), ['topology.groups[1].threads: must be at most count (4), got 8']);
    expectProblems((s) => (group(s, 1)['threads'] = 2), ['topology.groups[1].threads: must be at most count (1), got 2']);
  });

  it('limits the sockets of a scenario, a forward counting one more per member', () => {
    expectProblems(
      (s) => {
        s.topology.endpoints.push('out');
        Object.assign(group(s, 1), { count: 1000, forward: { type: 'push', connect: 'out' } });
        s.topology.groups.push({ name: 'sink', type: 'pull', bind: 'out' });
      },
      ['topology.groups: must have at most 2000 sockets in all (count per group, twice with a forward), got 2002'],
    );
  });

  it('wants a sending group', () => {
    assert.deepEqual(problemsOf({ name: 'quiet', topology: { endpoints: ['e'], groups: [{ name: 'a', type: 'pull', bind: 'e' }] } }), [
      'topology.groups: must include a sending group (pub, push, req or dealer), got none',
      'topology.endpoints[0]: endpoint "e" is bound by group "a" but no group connects to it',
    ]);
  });

  it('refuses a subscription prefix on a publisher that sends no topics', () => {
    const pubsub = (): RawScenario => ({
      name: 'feed',
      topology: { endpoints: ['feed'], groups: [{ name: 'news', type: 'pub', bind: 'feed' }, { name: 'reader', type: 'sub', connect: 'feed', subscribe: ['', 'sport'] }] },
    });
    expectProblems(() => {}, ['topology.groups[1].subscribe[1]: must be "" because group "news" sends no topics (a prefix would be matched against the binary header), got "sport"'], pubsub);
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
    const message = 'cannot be used with topics: conflate keeps single-frame messages only, and group "news" sends a topic frame first, got true';
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
      ['topology.groups[0].bind: the receivers of group "vent" must all be one pull group (loss is counted per group), got group "work" and group "other"'],
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
      ['topology.groups[0].connect: the receivers of group "vent" must all be one pull group (loss is counted per group), got group "left" and group "right"'],
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
      'topology.groups[1].rate: is only for pub, push, req and dealer groups, not pull',
      'topology.groups[2].connect: endpoint "tasks2" is not declared in topology.endpoints',
      'topology.groups[3].name: must be unique (also topology.groups[2].name), got "late"',
      'topology.groups[3].connect: sub can only talk to pub, got push (group "vent" binds endpoint "tasks")',
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

describe('validateScenario: slow consumers and blocked senders', () => {
  const delayOf = (delay: unknown) => scenarioOf(withChange((s) => (group(s, 1)['delay'] = delay))).groups[1]!.delay;
  const work = (field: string, value: unknown) => (s: RawScenario) => (group(s, 1)[field] = value);

  it('takes a fixed, uniform or exponential delay, or phases with cumulative ends', () => {
    assert.deepEqual(delayOf('1ms'), fixed(1));
    assert.deepEqual(delayOf({ uniform: { min: '100us', max: '2ms' } }), { phases: [{ untilMs: null, spec: { kind: 'uniform', minMs: 0.1, maxMs: 2 } }] });
    assert.deepEqual(delayOf({ uniform: { min: '1ms', max: '1ms' } }), { phases: [{ untilMs: null, spec: { kind: 'uniform', minMs: 1, maxMs: 1 } }] });
    assert.deepEqual(delayOf({ exponential: { mean: '1ms' } }), { phases: [{ untilMs: null, spec: { kind: 'exponential', meanMs: 1 } }] });
    assert.deepEqual(delayOf([{ for: '5s', delay: '0s' }, { delay: '1ms' }]), {
      phases: [
        { untilMs: 5000, spec: { kind: 'fixed', ms: 0 } },
        { untilMs: null, spec: { kind: 'fixed', ms: 1 } },
      ],
    });
    // ends add up exactly (0.1 + 0.2 would not be 0.3 in floating point)
    assert.deepEqual(delayOf([{ for: '100us', delay: '0s' }, { for: '200us', delay: { exponential: { mean: '2ms' } } }, { for: '1s', delay: '3ms' }]), {
      phases: [
        { untilMs: 0.1, spec: { kind: 'fixed', ms: 0 } },
        { untilMs: 0.3, spec: { kind: 'exponential', meanMs: 2 } },
        { untilMs: 1000.3, spec: { kind: 'fixed', ms: 3 } },
      ],
    });
    assert.deepEqual(delayOf([{ delay: '2ms' }]), fixed(2));
  });

  it('says what a delay can be', () => {
    expectProblems(work('delay', 5), ['topology.groups[1].delay: must be a duration such as 1ms, { uniform: { min, max } }, { exponential: { mean } } or a list of phases, got 5']);
    expectProblems(work('delay', '5 sec'), ['topology.groups[1].delay: must be a duration such as 500ms, 2s or 1m, got "5 sec"']);
    expectProblems(work('delay', '48h'), ['topology.groups[1].delay: must be at most 24h, got "48h"']);
  });

  it('wants uniform min <= max, an exponential mean > 0 and known distributions', () => {
    expectProblems(work('delay', { uniform: { min: '2ms', max: '1ms' } }), ['topology.groups[1].delay.uniform.max: must be at least min (2ms), got "1ms"']);
    expectProblems(work('delay', { uniform: { min: '2ms' } }), ['topology.groups[1].delay.uniform.max: required field is missing']);
    expectProblems(work('delay', { uniform: { min: '1ms', max: '2ms', mode: '1ms' } }), ['topology.groups[1].delay.uniform.mode: unknown field']);
    expectProblems(work('delay', { exponential: { mean: '0s' } }), ['topology.groups[1].delay.exponential.mean: must be longer than 0s, got "0s"']);
    expectProblems(work('delay', { exponential: { mean: 5 } }), ['topology.groups[1].delay.exponential.mean: must be a duration such as 500ms, 2s or 1m, got 5']);
    expectProblems(work('delay', { normal: { mean: '1ms' } }), ['topology.groups[1].delay.normal: unknown distribution (use uniform or exponential)']);
    expectProblems(work('delay', { unifrom: { min: '1ms', max: '2ms' } }), ['topology.groups[1].delay.unifrom: unknown distribution (did you mean "uniform"?)']);
    expectProblems(work('delay', {}), ['topology.groups[1].delay: must have exactly one of uniform or exponential, got {}']);
    expectProblems(work('delay', { uniform: { min: '1ms', max: '2ms' }, exponential: { mean: '1ms' } }), [
      'topology.groups[1].delay: must have exactly one of uniform or exponential, got a mapping with 2 fields',
    ]);
  });

  it('wants for on every phase but the last, and phases that do not nest', () => {
    expectProblems(work('delay', [{ delay: '0s' }, { for: '1s', delay: '1ms' }, { delay: '2ms' }]), [
      'topology.groups[1].delay[0].for: required field is missing (only the last phase may leave it out)',
    ]);
    expectProblems(work('delay', [{ for: '5s', delay: [{ delay: '1ms' }] }, { delay: '1ms' }]), [
      'topology.groups[1].delay[0].delay: must be a duration such as 1ms, { uniform: { min, max } } or { exponential: { mean } } (phases do not nest), got [{"delay":"1ms"}]',
    ]);
    expectProblems(work('delay', [{ for: '0s', delay: '1ms' }, { delay: '1ms' }]), ['topology.groups[1].delay[0].for: must be longer than 0s, got "0s"']);
    expectProblems(work('delay', [{ for: '1s' }, { delay: '1ms' }]), ['topology.groups[1].delay[0].delay: required field is missing']);
    expectProblems(work('delay', [{ for: '1s', delay: { uniform: { min: '3ms', max: '1ms' } } }, { delay: '1ms' }]), [
      'topology.groups[1].delay[0].delay.uniform.max: must be at least min (3ms), got "1ms"',
    ]);
    expectProblems(work('delay', []), ['topology.groups[1].delay: must have at least 1 entry, got []']);
    // a misspelt for is reported once, as an unknown field
    expectProblems(work('delay', [{ fro: '1s', delay: '0s' }, { delay: '1ms' }]), ['topology.groups[1].delay[0].fro: unknown field']);
  });

  it('takes pauses in order of at, not overlapping', () => {
    const pauses = (list: unknown) => scenarioOf(withChange(work('pauses', list))).groups[1]!.pauses;
    assert.deepEqual(pauses([{ at: '0s', for: '1s' }, { at: '1s', for: '250us' }, { at: '1m', for: '2s' }]), [
      { atMs: 0, forMs: 1000 },
      { atMs: 1000, forMs: 0.25 },
      { atMs: 60_000, forMs: 2000 },
    ]);
    assert.deepEqual(pauses([]), []);
    expectProblems(work('pauses', [{ at: '2s', for: '1s' }, { at: '1s', for: '100ms' }]), [
      'topology.groups[1].pauses[1].at: must not be before pauses[0].at (2s): pauses are listed in order of at, got "1s"',
    ]);
    expectProblems(work('pauses', [{ at: '2s', for: '1s' }, { at: '2500ms', for: '100ms' }]), [
      'topology.groups[1].pauses[1].at: must not be before the end of pauses[0] (3s): pauses must not overlap, got "2500ms"',
    ]);
    expectProblems(work('pauses', [{ at: '2s', for: '0s' }]), ['topology.groups[1].pauses[0].for: must be longer than 0s, got "0s"']);
    expectProblems(work('pauses', [{ at: '2s' }]), ['topology.groups[1].pauses[0].for: required field is missing']);
    expectProblems(work('pauses', { at: '2s', for: '1s' }), ['topology.groups[1].pauses: must be a list, got {"at":"2s","for":"1s"}']);
  });

  it('keeps delay and pauses to receivers, whenBlocked and giveUpAfter to senders', () => {
    expectProblems(
      (s) => {
        Object.assign(group(s, 0), { delay: '1ms', pauses: [{ at: '1s', for: '1s' }] });
        Object.assign(group(s, 1), { whenBlocked: 'give-up', giveUpAfter: '5ms' });
      },
      [
        'topology.groups[0].delay: is only for sub, pull, rep and router groups, not push',
        'topology.groups[0].pauses: is only for sub, pull, rep and router groups, not push',
        'topology.groups[1].whenBlocked: is only for pub, push, req and dealer groups, not pull',
        'topology.groups[1].giveUpAfter: is only for pub, push, req and dealer groups, not pull',
      ],
    );
  });

  it('accepts the slow consumer example of docs/scenarios.md', () => {
    const doc = readFileSync(new URL('../../../docs/scenarios.md', import.meta.url), 'utf8');
    const yaml = /```yaml\n(name: slow-consumer\n[\s\S]*?)```/.exec(doc)?.[1];
    assert.ok(yaml, 'docs/scenarios.md has the slow-consumer example');
    const consumer = parseScenarioText(yaml, 'docs/scenarios.md (slow-consumer)').groups[1]!;
    assert.deepEqual(consumer.delay.phases.map((p) => [p.untilMs, p.spec]), [
      [5000, { kind: 'fixed', ms: 0 }],
      [null, { kind: 'fixed', ms: 1 }],
    ]);
    assert.deepEqual(consumer.pauses, [{ atMs: 2000, forMs: 1000 }]);
  });

  it('takes giveUpAfter with whenBlocked: give-up only, in whole ms, and never with sndtimeo', () => {
    const vent = (fields: Record<string, unknown>) => (s: RawScenario) => Object.assign(group(s, 0), fields);
    const giveUpAfterMs = (fields: Record<string, unknown>) => scenarioOf(withChange(vent(fields))).groups[0]!.giveUpAfterMs;
    assert.equal(giveUpAfterMs({}), null);
    assert.equal(giveUpAfterMs({ whenBlocked: 'wait' }), null);
    assert.equal(giveUpAfterMs({ whenBlocked: 'give-up' }), 0);
    assert.equal(giveUpAfterMs({ whenBlocked: 'give-up', giveUpAfter: '1s' }), 1000);
    const waits = 'topology.groups[0].giveUpAfter: is only allowed with whenBlocked: give-up (a sender that waits never gives up)';
    expectProblems(vent({ giveUpAfter: '5ms' }), [waits]);
    expectProblems(vent({ whenBlocked: 'wait', giveUpAfter: '5ms' }), [waits]);
    expectProblems(vent({ whenBlocked: 'drop' }), ['topology.groups[0].whenBlocked: must be "wait" or "give-up", got "drop"']);
    expectProblems(vent({ whenBlocked: 'give-up', giveUpAfter: '1.5ms' }), [
      'topology.groups[0].giveUpAfter: must be a whole number of milliseconds (it sets the send timeout), got "1.5ms"',
    ]);
    const sndtimeo = 'topology.groups[0].options.sndtimeo: cannot be used with whenBlocked: give-up, which sets the send timeout from giveUpAfter, got 5';
    expectProblems(vent({ whenBlocked: 'give-up', giveUpAfter: '5ms', options: { sndtimeo: 5 } }), [sndtimeo]);
    expectProblems(vent({ whenBlocked: 'give-up', options: { sndtimeo: 5 } }), [sndtimeo]);
    expectProblems(vent({ giveUpAfter: '5ms', options: { sndtimeo: 5 } }), [waits, sndtimeo]);
    // waiting senders keep their own send timeout
    assert.deepEqual(scenarioOf(withChange(vent({ whenBlocked: 'wait', options: { sndtimeo: 5 } }))).groups[0]!.options, { sndtimeo: 5 });
  });
});

describe('validateScenario: defaults', () => {
  it('fills every default', () => {
    const s = scenarioOf(pipe());
    assert.deepEqual(s, {
      name: 'pipe',
      description: '',
      transport: 'tcp',
      durationMs: 5000,
      warmupMs: 0,
      drainMs: 5000,
      sampleIntervalMs: 100,
      barrier: true,
      startOrder: 'bind-first',
      maxSendLagMs: null,
      curve: { enabled: false, serverPublicKey: null },
      thresholds: [],
      expect: null,
      endpoints: ['tasks'],
      external: {},
      groups: [
        { name: 'vent', type: 'push', count: 1, threads: 1, placement: 'thread', bind: ['tasks'], connect: [], sizeBytes: 64, ratePerSec: null, rateShape: null, messages: null, giveUpAfterMs: null, delay: NO_DELAY, pauses: [], subscribe: [], topics: [], window: 0, retry: null, options: {}, forward: null, payload: null, check: null, sequence: null, misuse: null },
        { name: 'work', type: 'pull', count: 1, threads: 1, placement: 'thread', bind: [], connect: ['tasks'], sizeBytes: 64, ratePerSec: null, rateShape: null, messages: null, giveUpAfterMs: null, delay: NO_DELAY, pauses: [], subscribe: [], topics: [], window: 0, retry: null, options: {}, forward: null, payload: null, check: null, sequence: null, misuse: null },
      ],
      events: [],
    });
  });

  it('normalizes units, lists, rate and per-type defaults', () => {
    const s = scenarioOf({
      name: 'all',
      description: 'every field',
      transport: 'ipc',
      duration: '1.1s',
      warmup: '500ms',
      drain: '1m',
      barrier: false,
      topology: {
        endpoints: ['feed', { name: 'svc' }, 'out'],
        groups: [
          { name: 'news', type: 'pub', bind: 'feed', size: '1KiB', rate: 'max', topics: ['a', 'b'], options: { sndhwm: 10, nodrop: true } },
          { name: 'reader', type: 'sub', count: 2, threads: 2, connect: ['feed'], delay: '250us', forward: { type: 'pub', bind: 'out' } },
          { name: 'tail', type: 'sub', connect: 'out', subscribe: [''] },
          { name: 'client', type: 'dealer', connect: 'svc', rate: 100, messages: 50 },
          { name: 'asker', type: 'req', connect: 'svc' },
          { name: 'server', type: 'router', bind: 'svc', options: { mandatory: true } },
        ],
      },
    });
    assert.equal(s.transport, 'ipc');
    assert.deepEqual([s.durationMs, s.warmupMs, s.drainMs, s.barrier], [1100, 500, 60_000, false]);
    assert.deepEqual(s.endpoints, ['feed', 'svc', 'out']);
    const [news, reader, tail, client, asker] = s.groups;
    assert.deepEqual([news!.sizeBytes, news!.ratePerSec, news!.topics, news!.options], [1024, null, ['a', 'b'], { sndhwm: 10, nodrop: true }]);
    assert.deepEqual([reader!.subscribe, reader!.delay, reader!.forward], [[''], fixed(0.25), { type: 'pub', bind: ['out'], connect: [], options: {} }]);
    assert.deepEqual(tail!.subscribe, ['']);
    assert.deepEqual([client!.ratePerSec, client!.messages, client!.window], [100, 50, 100]);
    assert.equal(asker!.window, 1);
  });
});

describe('socket options', () => {
  it('follow what zeromq.js 6 defines on each class', () => {
    const expected: Record<SocketType, string> = {
      pub: 'sndhwm linger immediate conflate sndtimeo sndbuf nodrop backlog',
      sub: 'rcvhwm linger immediate conflate rcvtimeo rcvbuf backlog',
      push: 'sndhwm linger immediate conflate sndtimeo sndbuf backlog',
      pull: 'rcvhwm linger immediate conflate rcvtimeo rcvbuf backlog',
      req: 'sndhwm rcvhwm linger immediate sndtimeo rcvtimeo sndbuf rcvbuf backlog',
      rep: 'sndhwm rcvhwm linger immediate sndtimeo rcvtimeo sndbuf rcvbuf backlog',
      dealer: 'sndhwm rcvhwm linger immediate conflate sndtimeo rcvtimeo sndbuf rcvbuf backlog',
      router: 'sndhwm rcvhwm linger immediate sndtimeo rcvtimeo sndbuf rcvbuf mandatory backlog',
    };
    for (const type of SOCKET_TYPES) assert.equal(allowedOptions(type).join(' '), expected[type], type);
  });

  it('map to zeromq.js property names', () => {
    assert.deepEqual(toZmqOptions('router', { sndhwm: 1, rcvhwm: 2, linger: 0, immediate: true, sndtimeo: 3, rcvtimeo: 4, sndbuf: 5, rcvbuf: 6, mandatory: true, backlog: 7 }), {
      sendHighWaterMark: 1,
      receiveHighWaterMark: 2,
      linger: 0,
      immediate: true,
      sendTimeout: 3,
      receiveTimeout: 4,
      sendBufferSize: 5,
      receiveBufferSize: 6,
      mandatory: true,
      backlog: 7,
    });
    assert.deepEqual(toZmqOptions('pub', { conflate: false, nodrop: true }), { conflate: false, noDrop: true });
    assert.throws(() => toZmqOptions('push', { rcvhwm: 1 }), /rcvhwm is not available on push/);
  });
});

describe('overrides and the scenario as run', () => {
  it('applyOverrides returns a changed copy and leaves the input alone', () => {
    const s = scenarioOf(pipe());
    const o = applyOverrides(s, { transport: 'inproc', durationMs: 250 });
    assert.deepEqual([o.transport, o.durationMs], ['inproc', 250]);
    assert.deepEqual([s.transport, s.durationMs], ['tcp', 5000]);
    o.groups[0]!.bind.push('x');
    assert.deepEqual(s.groups[0]!.bind, ['tasks']);
    assert.deepEqual(applyOverrides(s, {}), s);
  });

  it('applyOverrides refuses an impossible duration or transport', () => {
    const s = scenarioOf(pipe());
    assert.throws(
      () => applyOverrides(s, { durationMs: 0 }),
      (e: unknown) => isBenchError(e) && e.exitCode === 104 && e.problems[0] === 'duration: must be from 1us to 24h, got 0ms',
    );
    assert.throws(() => applyOverrides(s, { transport: 'udp' as 'tcp' }), /transport: must be one of "inproc", "ipc", "tcp", got "udp"/);
  });

  it('scenarioAsRun writes delays, pauses and give-up so that they validate the same', () => {
    const original = scenarioOf({
      name: 'slow',
      topology: {
        endpoints: ['a', 'b', 'c', 'd'],
        groups: [
          { name: 'vent', type: 'push', bind: 'a', whenBlocked: 'give-up', giveUpAfter: '20ms' },
          { name: 'phased', type: 'pull', connect: 'a', delay: [{ for: '100us', delay: '0s' }, { for: '200us', delay: { uniform: { min: '1ms', max: '2ms' } } }, { for: '5s', delay: '1ms' }] },
          { name: 'news', type: 'pub', bind: 'b', whenBlocked: 'give-up' },
          { name: 'reader', type: 'sub', connect: 'b', delay: { exponential: { mean: '1.5ms' } }, pauses: [{ at: '2s', for: '1s' }, { at: '3s', for: '250us' }] },
          { name: 'asker', type: 'req', connect: 'c' },
          { name: 'server', type: 'router', bind: 'c', delay: [{ delay: { uniform: { min: '0s', max: '1ms' } } }] },
          { name: 'client', type: 'dealer', connect: 'd', whenBlocked: 'wait' },
          { name: 'echo', type: 'rep', bind: 'd', delay: [{ for: '1s', delay: '0s' }, { delay: '2ms' }] },
        ],
      },
    });
    const asRun = JSON.parse(JSON.stringify(scenarioAsRun(original))) as { topology: { groups: Record<string, unknown>[] } };
    assert.deepEqual(scenarioOf(asRun), original);
    const [vent, phased, news, reader, asker, server, , echo] = asRun.topology.groups;
    assert.deepEqual([vent!['whenBlocked'], vent!['giveUpAfter']], ['give-up', '20ms']);
    assert.deepEqual([news!['whenBlocked'], news!['giveUpAfter']], ['give-up', '0s']);
    assert.deepEqual([asker!['whenBlocked'], asker!['giveUpAfter']], ['wait', undefined]);
    assert.deepEqual(phased!['delay'], [
      { for: '100us', delay: '0s' },
      { for: '200us', delay: { uniform: { min: '1ms', max: '2ms' } } },
      { for: '5s', delay: '1ms' },
    ]);
    assert.deepEqual(reader!['delay'], { exponential: { mean: '1500us' } });
    assert.deepEqual(reader!['pauses'], [{ at: '2s', for: '1s' }, { at: '3s', for: '250us' }]);
    assert.deepEqual(server!['delay'], { uniform: { min: '0s', max: '1ms' } });
    assert.deepEqual(echo!['delay'], [{ for: '1s', delay: '0s' }, { delay: '2ms' }]);
  });

  it('durationText writes durations that parse back exactly', () => {
    assert.deepEqual([0, 0.25, 1.5, 999, 1000, 1100, 60_000, 90_000, 7_200_000].map(durationText), ['0s', '250us', '1500us', '999ms', '1s', '1100ms', '1m', '90s', '2h']);
  });

  it('scenarioAsRun is a valid scenario file that validates to the same scenario', () => {
    const original = scenarioOf({
      name: 'all',
      duration: '1.1s',
      warmup: '250us',
      topology: {
        endpoints: ['feed', 'svc', 'out'],
        groups: [
          { name: 'news', type: 'pub', bind: 'feed', size: '1KiB', topics: ['a', 'b'], options: { sndhwm: 10 } },
          { name: 'reader', type: 'sub', count: 2, connect: 'feed', delay: '1.5ms', subscribe: ['a'], forward: { type: 'pub', bind: 'out', options: { linger: 0 } } },
          { name: 'tail', type: 'sub', connect: 'out' },
          { name: 'client', type: 'dealer', connect: 'svc', rate: 100, messages: 50, window: 7 },
          { name: 'server', type: 'rep', bind: 'svc' },
        ],
      },
    });
    const asRun = JSON.parse(JSON.stringify(scenarioAsRun(original))) as unknown;
    assert.deepEqual(scenarioOf(asRun), original);
    assert.deepEqual((asRun as { topology: { groups: unknown[] } }).topology.groups[4], {
      name: 'server',
      type: 'rep',
      count: 1,
      threads: 1,
      placement: 'thread',
      bind: ['svc'],
      delay: '0s',
      pauses: [],
    });
    assert.deepEqual((asRun as { topology: { groups: unknown[] } }).topology.groups[3], {
      name: 'client',
      type: 'dealer',
      count: 1,
      threads: 1,
      placement: 'thread',
      connect: ['svc'],
      size: 64,
      rate: 100,
      messages: 50,
      whenBlocked: 'wait',
      window: 7,
    });
  });
});

describe('sampleInterval', () => {
  it('takes 10ms to 60s', () => {
    const base = { name: 's', topology: { endpoints: ['e'], groups: [{ name: 'p', type: 'push', bind: 'e' }, { name: 'q', type: 'pull', connect: 'e' }] } };
    assert.equal(scenarioOf({ ...base, sampleInterval: '250ms' }).sampleIntervalMs, 250);
    assert.deepEqual(problemsOf({ ...base, sampleInterval: '5ms' }), ['sampleInterval: must be from 10ms to 60s, got "5ms"']);
    assert.deepEqual(problemsOf({ ...base, sampleInterval: '2m' }), ['sampleInterval: must be from 10ms to 60s, got "2m"']);
  });
});

describe('rates and durations the pacer can represent', () => {
  const RANGE = 'must be from 0.001 to 10000000 messages per second (at least one message every 1000s)';
  const setRate = (rate: unknown) => (s: RawScenario) => (group(s, 0)['rate'] = rate);

  it('refuses a rate too small to pace in every form (1e-300 threw "NaN cannot be converted to a BigInt" in the sender, exit 97)', () => {
    expectProblems(setRate(1e-300), [`topology.groups[0].rate: ${RANGE}, got 1e-300`]);
    expectProblems(setRate(0.0009), [`topology.groups[0].rate: ${RANGE}, got 0.0009`]);
    expectProblems(setRate({ ramp: { from: 1e-300, to: 1e-300, over: '1s' } }), [
      `topology.groups[0].rate.ramp.from: ${RANGE}, got 1e-300`,
      `topology.groups[0].rate.ramp.to: ${RANGE}, got 1e-300`,
    ]);
    expectProblems(setRate({ steps: [{ rate: 100, for: '1s' }, { rate: 1e-300 }] }), [`topology.groups[0].rate.steps[1].rate: ${RANGE}, got 1e-300`]);
    // per group: the second sender of a scenario
    expectProblems(
      (s) => {
        s.topology.groups.push({ name: 'vent2', type: 'push', bind: 'tasks2', rate: 5e-324 }, { name: 'work2', type: 'pull', connect: 'tasks2' });
        s.topology.endpoints.push('tasks2');
      },
      [`topology.groups[2].rate: ${RANGE}, got 5e-324`],
    );
  });

  it('refuses a huge rate in every form', () => {
    expectProblems(setRate(1e300), [`topology.groups[0].rate: ${RANGE}, got 1e+300`]);
    expectProblems(setRate({ ramp: { from: 1, to: 1e300, over: '1s' } }), [`topology.groups[0].rate.ramp.to: ${RANGE}, got 1e+300`]);
    expectProblems(setRate({ steps: [{ rate: 1e300 }] }), [`topology.groups[0].rate.steps[0].rate: ${RANGE}, got 1e+300`]);
    expectProblems(setRate({ bursts: { size: 1_000_000, every: '1us' } }), [
      'topology.groups[0].rate.bursts: must average at most 10000000 messages per second (size / every), got 1000000 every 1us',
    ]);
  });

  it('refuses durations written as exponents or too small to be one microsecond', () => {
    expectProblems((s) => (s['duration'] = '1e-300ms'), ['duration: must be a duration such as 500ms, 2s or 1m, got "1e-300ms"']);
    expectProblems(setRate({ ramp: { from: 1, to: 2, over: '0.0000001s' } }), ['topology.groups[0].rate.ramp.over: must be longer than 0s, got "0.0000001s"']);
    expectProblems(setRate({ bursts: { size: 1, every: '0.0001us' } }), ['topology.groups[0].rate.bursts.every: must be longer than 0s, got "0.0001us"']);
    expectProblems(setRate({ steps: [{ rate: 1, for: '1e3s' }, { rate: 2 }] }), ['topology.groups[0].rate.steps[0].for: must be a duration such as 500ms, 2s or 1m, got "1e3s"']);
  });

  it('a suite\'s or a command line\'s rate and duration obey the same bounds', () => {
    const s = scenarioOf(pipe());
    assert.throws(() => applyOverrides(s, { ratePerSec: 1e-300 }), (e: unknown) => isBenchError(e) && e.problems[0] === `rate: ${RANGE}, or "max", got 1e-300`);
    assert.throws(() => applyOverrides(s, { ratePerSec: 1e300 }), (e: unknown) => isBenchError(e) && e.problems[0] === `rate: ${RANGE}, or "max", got 1e+300`);
    assert.throws(() => applyOverrides(s, { durationMs: 1e-7 }), (e: unknown) => isBenchError(e) && e.exitCode === 104 && e.problems[0] === 'duration: must be from 1us to 24h, got 1e-7ms');
    assert.equal(applyOverrides(s, { durationMs: 1.0000001 }).durationMs, 1, 'whole microseconds, as a file\'s durations');
  });

  it('every pacer gives finite whole-ns times at both ends of the range, at least 1 ns apart', () => {
    const clock = { nowNs: () => 0n };
    const [min, max] = [0.001, 10_000_000];
    const times = (p: { next(): bigint }) => Array.from({ length: 5 }, () => p.next());
    const pacers = [
      constantRatePacer(min, 0n),
      constantRatePacer(max, 0n),
      rampPacer(min, min, 24 * 3_600_000, 0n),
      rampPacer(min, max, 0.001, 0n),
      rampPacer(max, min, 24 * 3_600_000, 0n),
      stepPacer([{ ratePerSec: min, forMs: 0.001 }, { ratePerSec: max, forMs: null }], 0n, clock),
    ];
    for (const p of pacers) {
      const t = times(p);
      t.slice(1).forEach((x, i) => assert.ok(x > t[i]!, `${t.join(', ')}: later messages are due later`));
    }
    assert.deepEqual(times(constantRatePacer(max, 0n)), [0n, 100n, 200n, 300n, 400n]);
    assert.deepEqual(times(constantRatePacer(min, 0n)), [0n, 1_000_000_000_000n, 2_000_000_000_000n, 3_000_000_000_000n, 4_000_000_000_000n]);
  });
});
