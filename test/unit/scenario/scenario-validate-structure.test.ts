import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HEADER_BYTES } from '../../../src/protocol/header.js';
import { MIN_MESSAGE_BYTES, SIZE_MESSAGE } from '../../../src/scenario/schema.js';
import { problemsOf, scenarioOf } from '../../support/validation.js';
import { expectProblems, group, withChange } from '../../support/pipe-scenario.js';

/** Validation of the scenario file: the structure in our words (the rules across fields: scenario-validate-rules.test.ts). */

describe('validateScenario: structure (TypeBox errors in our words)', () => {
  it('reports unknown fields, at the top and inside groups, suggesting a near name', () => {
    expectProblems(
      (s) => {
        s['colour'] = 'red';
        group(s, 0)['colour'] = 'red';
        group(s, 1)['treads'] = 2;
      },
      [
        'colour: unknown field',
        'topology.groups[0].colour: unknown field',
        'topology.groups[1].treads: unknown field (did you mean "threads"?)',
      ],
    );
  });

  it('suggests our short option name for a zeromq.js property name', () => {
    expectProblems(
      (s) => (group(s, 0)['options'] = { sendHighWaterMark: 10 }),
      ['topology.groups[0].options.sendHighWaterMark: unknown field (did you mean "sndhwm"?)'],
    );
  });

  it('suggests our liveness option names for zeromq.js ones, and checks their bounds', () => {
    expectProblems(
      (s) => (group(s, 1)['options'] = { heartbeatInterval: 100, heartbeatTtl: 7_000_000, reconnectIvl: -2 }),
      [
        'topology.groups[1].options.heartbeatInterval: unknown field (did you mean "heartbeatIvl"?)',
        'topology.groups[1].options.heartbeatTtl: must be <= 6553500, got 7000000',
        'topology.groups[1].options.reconnectIvl: must be >= -1, got -2',
      ],
    );
  });

  it('refuses a routing id starting with a zero byte, or empty', () => {
    const dealerWith = (s: Parameters<typeof group>[0], routingId: string) => {
      group(s, 0)['type'] = 'router';
      Object.assign(group(s, 1), { type: 'dealer', options: { routingId } });
    };
    expectProblems(
      (s) => dealerWith(s, '\u0000id'),
      ['topology.groups[1].options.routingId: must not start with a zero byte (libzmq reserves those routing ids), got "\\u0000id"'],
    );
    expectProblems((s) => dealerWith(s, ''), ['topology.groups[1].options.routingId: must not be empty, got ""']);
  });

  it('says what a union such as rate expects, or the precise bound when the type is right', () => {
    expectProblems(
      (s) => (group(s, 0)['rate'] = -5),
      ['topology.groups[0].rate: must be from 0.001 to 10000000 messages per second (at least one message every 1000s), got -5'],
    );
    expectProblems(
      (s) => (group(s, 0)['rate'] = 'fast'),
      [
        'topology.groups[0].rate: must be a number > 0, "max", { ramp: { from, to, over } }, { bursts: { size, every } } or { steps: [{ rate, for }, ...] }, got "fast"',
      ],
    );
    expectProblems(
      (s) => (group(s, 0)['rate'] = 20_000_000),
      ['topology.groups[0].rate: must be from 0.001 to 10000000 messages per second (at least one message every 1000s), got 20000000'],
    );
  });

  it('lists the allowed values of an enum', () => {
    expectProblems((s) => (s['transport'] = 'pgm'), ['transport: must be one of "inproc", "ipc", "tcp", "udp", got "pgm"']);
    expectProblems(
      (s) => (group(s, 0)['type'] = 'pusher'),
      [
        'topology.groups[0].type: must be one of "pub", "sub", "push", "pull", "req", "rep", "dealer", "router", "xpub", "xsub", "pair", "radio", "dish", "proxy", got "pusher"',
      ],
    );
    expectProblems(
      (s) => (group(s, 1)['forward'] = { type: 'pull', connect: 'tasks' }),
      ['topology.groups[1].forward.type: must be "push" or "pub", got "pull"'],
    );
  });

  it('says what a pattern means', () => {
    expectProblems((s) => (s['duration'] = '5 sec'), ['duration: must be a duration such as 500ms, 2s or 1m, got "5 sec"']);
    expectProblems((s) => (s['warmup'] = 5), ['warmup: must be a duration such as 500ms, 2s or 1m, got 5']);
    expectProblems(
      (s) => (s['name'] = '1st run'),
      ['name: must start with a letter and contain only letters, digits, _ and -, got "1st run"'],
    );
    expectProblems((s) => (s['name'] = 'x'.repeat(65)), ['name: must be at most 64 characters, got 65']);
  });

  it('reports a missing required field once', () => {
    expectProblems((s) => delete group(s, 1)['name'], ['topology.groups[1].name: required field is missing']);
    assert.deepEqual(problemsOf({ name: 'x' }), ['topology: required field is missing']);
  });

  it('reports values of the wrong kind', () => {
    assert.deepEqual(problemsOf('hello'), ['(top level): must be a mapping, got "hello"']);
    expectProblems(
      (s) => (s.topology.groups[1] = 7 as unknown as Record<string, unknown>),
      ['topology.groups[1]: must be a mapping, got 7'],
    );
    expectProblems((s) => (group(s, 1)['count'] = 0), ['topology.groups[1].count: must be >= 1, got 0']);
    expectProblems((s) => (group(s, 1)['count'] = 1.5), ['topology.groups[1].count: must be a whole number, got 1.5']);
    expectProblems((s) => (s['barrier'] = 'yes'), ['barrier: must be true or false, got "yes"']);
    expectProblems((s) => (group(s, 0)['options'] = { sndhwm: -1 }), ['topology.groups[0].options.sndhwm: must be >= 0, got -1']);
  });

  it('reports endpoint references of the wrong shape', () => {
    expectProblems(
      (s) => (group(s, 0)['bind'] = 3),
      ['topology.groups[0].bind: must be an endpoint name or a list of endpoint names, got 3'],
    );
    expectProblems((s) => (group(s, 0)['bind'] = ['tasks', 3]), ['topology.groups[0].bind[1]: must be a string, got 3']);
    expectProblems((s) => (group(s, 0)['bind'] = []), ['topology.groups[0].bind: must have at least 1 entry, got []']);
    expectProblems((s) => (s.topology.endpoints[0] = { name: 'tasks', port: 5555 }), ['topology.endpoints[0].port: unknown field']);
    expectProblems(
      (s) => s.topology.endpoints.push(5),
      ['topology.endpoints[1]: must be an endpoint name or an object with a name (and an external address or a transport), got 5'],
    );
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
      topology: {
        endpoints: [{}, 3, 'a b'],
        groups: [{ type: 'x', rate: {}, size: [], bind: {}, options: { linger: 'x' }, forward: 3 }, [], null],
      },
    });
    assert.ok(problems.length >= 8, problems.join('\n'));
    for (const p of problems) assert.doesNotMatch(p, /Expected|union value|\^\[/, p);
  });
});
