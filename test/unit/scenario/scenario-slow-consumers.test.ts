import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parseScenarioText } from '../../../src/scenario/load.js';
import { scenarioOf } from '../../support/validation.js';
import { expectProblems, fixed, group, withChange, type RawScenario } from '../../support/pipe-scenario.js';

/** Validation of slow consumers (delay, pauses) and blocked senders (whenBlocked, giveUpAfter). */

describe('validateScenario: slow consumers and blocked senders', () => {
  const delayOf = (delay: unknown) => scenarioOf(withChange((s) => (group(s, 1)['delay'] = delay))).groups[1]!.delay;
  const work = (field: string, value: unknown) => (s: RawScenario) => (group(s, 1)[field] = value);

  it('takes a fixed, uniform or exponential delay, or phases with cumulative ends', () => {
    assert.deepEqual(delayOf('1ms'), fixed(1));
    assert.deepEqual(delayOf({ uniform: { min: '100us', max: '2ms' } }), {
      phases: [{ untilMs: null, spec: { kind: 'uniform', minMs: 0.1, maxMs: 2 } }],
    });
    assert.deepEqual(delayOf({ uniform: { min: '1ms', max: '1ms' } }), {
      phases: [{ untilMs: null, spec: { kind: 'uniform', minMs: 1, maxMs: 1 } }],
    });
    assert.deepEqual(delayOf({ exponential: { mean: '1ms' } }), { phases: [{ untilMs: null, spec: { kind: 'exponential', meanMs: 1 } }] });
    assert.deepEqual(delayOf([{ for: '5s', delay: '0s' }, { delay: '1ms' }]), {
      phases: [
        { untilMs: 5000, spec: { kind: 'fixed', ms: 0 } },
        { untilMs: null, spec: { kind: 'fixed', ms: 1 } },
      ],
    });
    // ends add up exactly (0.1 + 0.2 would not be 0.3 in floating point)
    assert.deepEqual(
      delayOf([
        { for: '100us', delay: '0s' },
        { for: '200us', delay: { exponential: { mean: '2ms' } } },
        { for: '1s', delay: '3ms' },
      ]),
      {
        phases: [
          { untilMs: 0.1, spec: { kind: 'fixed', ms: 0 } },
          { untilMs: 0.3, spec: { kind: 'exponential', meanMs: 2 } },
          { untilMs: 1000.3, spec: { kind: 'fixed', ms: 3 } },
        ],
      },
    );
    assert.deepEqual(delayOf([{ delay: '2ms' }]), fixed(2));
  });

  it('says what a delay can be', () => {
    expectProblems(work('delay', 5), [
      'topology.groups[1].delay: must be a duration such as 1ms, { uniform: { min, max } }, { exponential: { mean } } or a list of phases, got 5',
    ]);
    expectProblems(work('delay', '5 sec'), ['topology.groups[1].delay: must be a duration such as 500ms, 2s or 1m, got "5 sec"']);
    expectProblems(work('delay', '48h'), ['topology.groups[1].delay: must be at most 24h, got "48h"']);
  });

  it('wants uniform min <= max, an exponential mean > 0 and known distributions', () => {
    expectProblems(work('delay', { uniform: { min: '2ms', max: '1ms' } }), [
      'topology.groups[1].delay.uniform.max: must be at least min (2ms), got "1ms"',
    ]);
    expectProblems(work('delay', { uniform: { min: '2ms' } }), ['topology.groups[1].delay.uniform.max: required field is missing']);
    expectProblems(work('delay', { uniform: { min: '1ms', max: '2ms', mode: '1ms' } }), [
      'topology.groups[1].delay.uniform.mode: unknown field',
    ]);
    expectProblems(work('delay', { exponential: { mean: '0s' } }), [
      'topology.groups[1].delay.exponential.mean: must be longer than 0s, got "0s"',
    ]);
    expectProblems(work('delay', { exponential: { mean: 5 } }), [
      'topology.groups[1].delay.exponential.mean: must be a duration such as 500ms, 2s or 1m, got 5',
    ]);
    expectProblems(work('delay', { normal: { mean: '1ms' } }), [
      'topology.groups[1].delay.normal: unknown distribution (use uniform or exponential)',
    ]);
    expectProblems(work('delay', { unifrom: { min: '1ms', max: '2ms' } }), [
      'topology.groups[1].delay.unifrom: unknown distribution (did you mean "uniform"?)',
    ]);
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
    expectProblems(work('delay', [{ for: '0s', delay: '1ms' }, { delay: '1ms' }]), [
      'topology.groups[1].delay[0].for: must be longer than 0s, got "0s"',
    ]);
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
    assert.deepEqual(
      pauses([
        { at: '0s', for: '1s' },
        { at: '1s', for: '250us' },
        { at: '1m', for: '2s' },
      ]),
      [
        { atMs: 0, forMs: 1000 },
        { atMs: 1000, forMs: 0.25 },
        { atMs: 60_000, forMs: 2000 },
      ],
    );
    assert.deepEqual(pauses([]), []);
    expectProblems(
      work('pauses', [
        { at: '2s', for: '1s' },
        { at: '1s', for: '100ms' },
      ]),
      ['topology.groups[1].pauses[1].at: must not be before pauses[0].at (2s): pauses are listed in order of at, got "1s"'],
    );
    expectProblems(
      work('pauses', [
        { at: '2s', for: '1s' },
        { at: '2500ms', for: '100ms' },
      ]),
      ['topology.groups[1].pauses[1].at: must not be before the end of pauses[0] (3s): pauses must not overlap, got "2500ms"'],
    );
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
        'topology.groups[0].delay: is only for sub, pull, rep, router, xsub, dish and pair groups, not push',
        'topology.groups[0].pauses: is only for sub, pull, rep, router, xsub, dish and pair groups, not push',
        'topology.groups[1].whenBlocked: is only for pub, push, req, dealer, xpub, radio and pair groups, not pull',
        'topology.groups[1].giveUpAfter: is only for pub, push, req, dealer, xpub, radio and pair groups, not pull',
      ],
    );
  });

  it('accepts the slow consumer example of docs/scenarios.md', () => {
    const doc = readFileSync(new URL('../../../../docs/scenarios.md', import.meta.url), 'utf8');
    const yaml = /```yaml\n(name: slow-consumer\n[\s\S]*?)```/.exec(doc)?.[1];
    assert.ok(yaml, 'docs/scenarios.md has the slow-consumer example');
    const consumer = parseScenarioText(yaml, 'docs/scenarios.md (slow-consumer)').groups[1]!;
    assert.deepEqual(
      consumer.delay.phases.map((p) => [p.untilMs, p.spec]),
      [
        [5000, { kind: 'fixed', ms: 0 }],
        [null, { kind: 'fixed', ms: 1 }],
      ],
    );
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
    const sndtimeo =
      'topology.groups[0].options.sndtimeo: cannot be used with whenBlocked: give-up, which sets the send timeout from giveUpAfter, got 5';
    expectProblems(vent({ whenBlocked: 'give-up', giveUpAfter: '5ms', options: { sndtimeo: 5 } }), [sndtimeo]);
    expectProblems(vent({ whenBlocked: 'give-up', options: { sndtimeo: 5 } }), [sndtimeo]);
    expectProblems(vent({ giveUpAfter: '5ms', options: { sndtimeo: 5 } }), [waits, sndtimeo]);
    // waiting senders keep their own send timeout
    assert.deepEqual(scenarioOf(withChange(vent({ whenBlocked: 'wait', options: { sndtimeo: 5 } }))).groups[0]!.options, { sndtimeo: 5 });
  });
});
