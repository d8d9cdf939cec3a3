import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { compareFiles } from '../../../src/compare-command.js';
import { CompareError, compare, type RunResult } from '../../../src/index.js';
import { writeResult } from '../../../src/results/write.js';
import { flow, LAT, pipeline } from '../../support/sample-result.js';

/** compare(): `zmq-bench compare` on results in memory or on disk, returned as data. */

const dir = mkdtempSync(join(tmpdir(), 'zmq-bench-api-compare-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const withThroughput = (msgsPerSec: number): RunResult =>
  pipeline({
    totals: flow({ expected: 10_000, throughput: { msgsPerSec, bytesPerSec: msgsPerSec * 64 }, latency: LAT, latencyKind: 'one-way' }),
  });

async function rejection(fn: () => Promise<unknown>): Promise<unknown> {
  try {
    await fn();
  } catch (e) {
    return e;
  }
  return assert.fail('expected it to throw');
}

describe('compare', () => {
  it('finds nothing changed between a result and itself', async () => {
    const c = await compare(withThroughput(1000), withThroughput(1000));
    assert.equal(c.regression, false);
    assert.ok(c.changes.length > 0 && c.changes.every((x) => x.verdict === 'unchanged' || x.verdict === 'not comparable'));
    assert.equal(c.tolerancePct, 10);
  });

  it('finds a regression beyond the tolerance, and none within a wider one', async () => {
    const c = await compare([withThroughput(1000)], [withThroughput(700)]);
    assert.equal(c.regression, true);
    const tp = c.changes.find((x) => x.figure === 'throughput')!;
    assert.equal(tp.verdict, 'regression');
    assert.equal(tp.changePct, -30);
    assert.equal((await compare(withThroughput(1000), withThroughput(700), { tolerance: 40 })).regression, false);
  });

  it('reads result.json paths and gives the table `zmq-bench compare` prints', async () => {
    const base = await writeResult(join(dir, 'base'), withThroughput(1000));
    const now = await writeResult(join(dir, 'now'), withThroughput(700));
    const c = await compare(base, join(dir, 'now'));
    assert.equal(c.regression, true);
    const printed: string[] = [];
    const code = await compareFiles(base, now, {}, { out: (t) => printed.push(t), err: () => {} });
    assert.equal(code, 98);
    assert.equal(c.text, printed[0]);
  });

  it('refuses what it cannot compare with a CompareError: not results, missing files, another machine unless forced', async () => {
    const notResult = await rejection(() => compare({ totals: {} } as never, withThroughput(1)));
    assert.ok(notResult instanceof CompareError);
    assert.match(
      notResult.problems[0]!,
      /^baseline: expected a zmq-bench result\.json, but schemaVersion, groups, timing, environment, endpoints are missing$/,
    );
    const missing = await rejection(() => compare(join(dir, 'nothing'), withThroughput(1)));
    assert.ok(missing instanceof CompareError && missing.problems[0]!.startsWith(join(dir, 'nothing')));
    const elsewhere = withThroughput(1000);
    elsewhere.environment = { ...elsewhere.environment, cpuModel: 'another' };
    const refused = await rejection(() => compare(withThroughput(1000), elsewhere));
    assert.ok(refused instanceof CompareError && refused.problems.at(-1)!.includes('pass --force'));
    assert.equal((await compare(withThroughput(1000), elsewhere, { force: true })).regression, false);
    const alpha = await rejection(() => compare(withThroughput(1), withThroughput(1), { alpha: 2 }));
    assert.ok(alpha instanceof CompareError && alpha.problems[0] === 'alpha: expected a significance level between 0 and 1, got 2');
  });
});
