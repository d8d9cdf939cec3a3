import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { compareVariants } from '../../../src/ci/compare.js';
import { suiteOutcome, variantOutcome } from '../../../src/ci/outcome.js';
import { loadSide, sideFromResults, writeIndex } from '../../../src/ci/suite-index.js';
import type { RunResult } from '../../../src/core/types.js';
import { formatCiSummary } from '../../../src/report/ci-summary.js';
import { junitXml } from '../../../src/report/junit.js';
import { markdownSummary } from '../../../src/report/markdown-summary.js';
import { pipeline } from '../../support/sample-result.js';

/**
 * CI outputs name each endpoint's transport when a variant's endpoints used different ones
 * (issue 22), and compare says when a variant ran over other transports than its baseline; a
 * run over one transport reads as before.
 */

const mixed = (): RunResult =>
  pipeline({
    transport: 'mixed',
    endpoints: { work: ['inproc://zb-x-0-0'], results: ['tcp://127.0.0.1:5556'] },
    endpointTransports: { work: 'inproc', results: 'tcp' },
  });
const suite = (r: RunResult) => suiteOutcome('nightly', [variantOutcome('pipeline', [r], [])], null);

describe('CI outputs with transports per endpoint', () => {
  it("name the run's transport and each endpoint's when they differ, and nothing more otherwise", () => {
    const o = suite(mixed());
    assert.equal(o.variants[0]!.transport, 'mixed');
    assert.match(junitXml(o), /<property name="transports" value="work inproc, results tcp"\/>/);
    assert.match(markdownSummary(o), /### Transports\n\n- pipeline: work inproc, results tcp\n/);
    assert.match(formatCiSummary(o), /\ntransports:\n {2}pipeline: work inproc, results tcp/);
    const plain = suite(pipeline());
    assert.equal(plain.variants[0]!.transport, 'tcp', "an older result: the scenario's transport");
    for (const text of [junitXml(plain), markdownSummary(plain), formatCiSummary(plain)]) assert.doesNotMatch(text, /transports/i);
  });

  it('compare notes a variant that ran over other transports than its baseline, from results or an index', async () => {
    const notes = (b: RunResult, c: RunResult) =>
      compareVariants(sideFromResults([b]).variants, sideFromResults([c]).variants, { alpha: 0.05, tolerancePct: 10 }).notes.filter((n) =>
        /transport/.test(n),
      );
    assert.deepEqual(notes(pipeline(), mixed()), [
      'pipeline ran over other transports than the baseline: tcp in the baseline, mixed (work inproc, results tcp) now',
    ]);
    assert.deepEqual(notes(mixed(), mixed()), []);
    assert.deepEqual(notes(pipeline(), pipeline({ transport: 'tcp' })), [], 'an older result reads as its scenario transport');
    const dir = mkdtempSync(join(tmpdir(), 'zmq-bench-transports-index-'));
    try {
      await writeIndex(dir, suite(mixed()), new Map());
      const [loaded] = (await loadSide(dir)).variants;
      assert.deepEqual([loaded!.transport, loaded!.transports], ['mixed', 'work inproc, results tcp']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
