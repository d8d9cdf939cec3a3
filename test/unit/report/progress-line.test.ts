import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatProgress } from '../../../src/report/progress-line.js';

test('the progress line says where the run is and what flows', () => {
  const flow = { sentPerSec: 10_000, receivedPerSec: 19_960, lostKnown: 1234, inFlight: 56 };
  assert.equal(
    formatProgress({ elapsedMs: -400, ...flow }, 5000),
    'warm-up, 0.4s left · sent 10.0k/s · received 20.0k/s · lost 1,234 · in flight 56',
  );
  assert.equal(
    formatProgress({ elapsedMs: 2000, ...flow }, 5000),
    '2.0s of 5.0s, 3.0s left · sent 10.0k/s · received 20.0k/s · lost 1,234 · in flight 56',
  );
  assert.equal(
    formatProgress({ elapsedMs: 6500, ...flow, sentPerSec: 0 }, 5000),
    'draining 1.5s · sent 0/s · received 20.0k/s · lost 1,234 · in flight 56',
  );
});
