import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { networkFaultNote } from '../../../src/report/result-notes.js';

describe('network fault note', () => {
  it('says when a partition or cut was noticed and when traffic came back, and nothing for other faults', () => {
    assert.equal(networkFaultNote({ detectedMs: 595.2, recoveredMs: 118 }), ' (noticed after 595ms; traffic back 118ms after the heal)');
    assert.equal(networkFaultNote({ detectedMs: null, recoveredMs: null }), ' (never noticed; no traffic after it)');
    assert.equal(networkFaultNote({}), '');
    assert.equal(
      networkFaultNote({ detectedMs: null, recoveredMs: 116, queuedMax: 1500, lostMeanwhile: 0 }),
      ' (never noticed; traffic back 116ms after the heal; meanwhile up to 1,500 in flight, 0 lost)',
    );
  });
});
