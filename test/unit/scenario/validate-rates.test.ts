import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SIZE_MESSAGE } from '../../../src/scenario/schema.js';
import { rateProblems } from '../../../src/scenario/validate/rates.js';
import { pipeWith, topicLines } from '../../support/topic.js';

const sender = (fields: Record<string, unknown>) =>
  topicLines(
    rateProblems,
    pipeWith((s) => Object.assign(s.topology.groups[0]!, fields)),
  );

describe('validation topic: rates and sizes', () => {
  it('finds nothing wrong with a size string, a ramp, bursts or steps in bounds', () => {
    assert.deepEqual(sender({ size: '1KiB', rate: { ramp: { from: 1, to: 10, over: '1s' } } }), []);
    assert.deepEqual(sender({ rate: { bursts: { size: 100, every: '10ms' } } }), []);
    assert.deepEqual(sender({ rate: { steps: [{ rate: 1, for: '1s' }, { rate: 'max' }] } }), []);
  });

  it('checks a size written as a string against the bounds', () => {
    assert.deepEqual(sender({ size: '16B' }), [`topology.groups[0].size: ${SIZE_MESSAGE}, got "16B"`]);
  });

  it('wants a ramp longer than 0s and bursts within the rate limit', () => {
    assert.deepEqual(sender({ rate: { ramp: { from: 1, to: 10, over: '0s' } } }), [
      'topology.groups[0].rate.ramp.over: must be longer than 0s, got "0s"',
    ]);
    assert.deepEqual(sender({ rate: { bursts: { size: 1_000_000, every: '1ms' } } }), [
      'topology.groups[0].rate.bursts: must average at most 10000000 messages per second (size / every), got 1000000 every 1ms',
    ]);
  });

  it('wants for on every step but the last', () => {
    assert.deepEqual(sender({ rate: { steps: [{ rate: 1 }, { rate: 2 }] } }), [
      'topology.groups[0].rate.steps[0].for: required field is missing (only the last step may leave it out)',
    ]);
  });
});
