import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Value } from '@sinclair/typebox/value';
import { ScenarioSchema, type ScenarioFile } from '../../../src/scenario/schema.js';
import { normalize } from '../../../src/scenario/validate/normalize.js';

/** A file that passed validation, as normalize gets it. */
function file(raw: unknown): ScenarioFile {
  assert.ok(Value.Check(ScenarioSchema, raw));
  return raw;
}

const PIPE = {
  name: 'pipe',
  topology: {
    endpoints: ['tasks', { name: 'svc', external: 'tcp://127.0.0.1:5555' }],
    groups: [
      { name: 'vent', type: 'push', bind: 'tasks' },
      { name: 'work', type: 'pull', connect: 'tasks' },
      { name: 'client', type: 'push', connect: 'svc' },
    ],
  },
};

describe('normalization', () => {
  it("fills the scenario's defaults", () => {
    const s = normalize(file(PIPE));
    assert.deepEqual(
      {
        durationMs: s.durationMs,
        warmupMs: s.warmupMs,
        drainMs: s.drainMs,
        sampleIntervalMs: s.sampleIntervalMs,
        transport: s.transport,
        barrier: s.barrier,
        startOrder: s.startOrder,
      },
      { durationMs: 5000, warmupMs: 0, drainMs: 5000, sampleIntervalMs: 100, transport: 'tcp', barrier: true, startOrder: 'bind-first' },
    );
    assert.deepEqual([s.endpoints, s.external], [['tasks', 'svc'], { svc: 'tcp://127.0.0.1:5555' }]);
  });

  it('gives a sender towards a service it did not start a modest rate, others max', () => {
    const [vent, , client] = normalize(file(PIPE)).groups;
    assert.equal(vent!.ratePerSec, null);
    assert.ok(client!.ratePerSec !== null && client!.ratePerSec > 0);
  });

  it('writes durations in ms with microsecond resolution, and events sorted by time, in the order listed', () => {
    const s = normalize(
      file({
        ...PIPE,
        duration: '1.1s',
        events: [
          { at: '1s', kill: 'work' },
          { at: '1s', pause: 'vent' },
          { at: '2s', restart: 'work' },
        ],
      }),
    );
    assert.equal(s.durationMs, 1100);
    assert.deepEqual(
      s.events.map((e) => [e.atMs, e.action, e.group, e.instance, e.what]),
      [
        [1000, 'kill', 'work', null, 'both'],
        [1000, 'pause', 'vent', null, 'sending'],
        [2000, 'restart', 'work', null, 'both'],
      ],
    );
  });
});
