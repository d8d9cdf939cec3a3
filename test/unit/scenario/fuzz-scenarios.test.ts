import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fuzzSettings } from '../../support/fuzz-inputs.js';
import { checkInWorker, type SandboxOptions } from '../../support/fuzz-sandbox.js';

/**
 * Fuzzing the scenario and suite loader (fast-check): every shipped file mutated, and arbitrary
 * bytes, through the real loading path. Each input must be accepted as runnable as written or
 * refused with exit 104 and one line per problem naming its path; never another throw, never
 * more than 2 s, never unbounded memory (each property runs in a worker with a capped heap and
 * a per-case watchdog, test/support/fuzz-sandbox.ts).
 *
 * Default: 200 cases per property with seed 17 (a few seconds). Longer or other runs:
 *   ZMQ_BENCH_FUZZ_RUNS=5000 ZMQ_BENCH_FUZZ_SEED=$RANDOM node --test dist/test/unit/fuzz-scenarios.test.js
 * A failure prints its seed, fast-check's path and the shrunk input; ZMQ_BENCH_FUZZ_PATH=<path>
 * with the same seed replays that one case.
 */

const { seed, numRuns } = fuzzSettings('ZMQ_BENCH_FUZZ_RUNS', 200);
const options: SandboxOptions = {
  seed,
  numRuns,
  ...(process.env['ZMQ_BENCH_FUZZ_PATH'] ? { path: process.env['ZMQ_BENCH_FUZZ_PATH'] } : {}),
  caseTimeoutMs: 15_000, // the property itself fails a case over 2 s; this catches one that never ends
  heapMb: 512,
  heapGrowthMb: 200,
};

describe('fuzzing scenario and suite files', { timeout: 600_000 }, () => {
  it('every shipped scenario and suite, mutated, is accepted as runnable or refused with 104 and paths', async () => {
    assert.equal(await checkInWorker('mutated-files', options), null);
  });

  it('any bytes as a scenario file are refused with 104 and paths (not UTF-8: said so)', async () => {
    assert.equal(await checkInWorker('any-bytes', options), null);
  });
});
