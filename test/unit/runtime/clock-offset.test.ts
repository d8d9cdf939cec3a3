import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { estimateOffset } from '../../../src/runtime/remote/clock-offset.js';

describe('clock offset (NTP-style)', () => {
  it('keeps the sample with the smallest round trip: offset t2 - (t1 + t3) / 2, within ± half of it', () => {
    // the remote clock is 1,000,000 ns ahead; the legs take 100 and 300 ns, then 20 and 20
    const e = estimateOffset([
      { t1: 0n, t2: 1_000_100n, t3: 400n },
      { t1: 1000n, t2: 1_001_020n, t3: 1040n },
    ]);
    assert.equal(e.offsetNs, 1_000_000n);
    assert.equal(e.rttNs, 40n);
    assert.equal(e.uncertaintyNs, 20n);
    assert.equal(e.samples, 2);
  });

  it('is wrong by at most the uncertainty however the legs split', () => {
    const truth = -5_000n;
    for (const [out, back] of [
      [1n, 999n],
      [999n, 1n],
      [500n, 500n],
    ] as const) {
      const t1 = 10_000n;
      const e = estimateOffset([{ t1, t2: t1 + out + truth, t3: t1 + out + back }]);
      const error = e.offsetNs - truth;
      assert.ok(error <= e.uncertaintyNs && -error <= e.uncertaintyNs, `error ${error} for legs ${out}/${back}`);
    }
  });

  it('refuses to guess without a sample', () => {
    assert.throws(() => estimateOffset([]), /no clock sample/);
  });
});
