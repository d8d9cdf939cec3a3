import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, it } from 'node:test';
import { keyPaths } from '../support/key-paths.js';
import { scenariosDir } from '../support/run-shipped.js';

/**
 * result.json keeps its shape: the key paths of the results of shipped scenarios, written by the
 * CLI, are those recorded in test/fixtures/result-key-paths.json (recorded before the issue-18
 * restructure). A new key is a deliberate change: record it again with
 * ZMQ_BENCH_RECORD_KEY_PATHS=1 and say so in the commit.
 */

const run = promisify(execFile);
const cli = fileURLToPath(new URL('../../src/cli.js', import.meta.url));
const fixture = fileURLToPath(new URL('../../../test/fixtures/result-key-paths.json', import.meta.url));

/**
 * Shipped scenarios that between them use every part of result.json: requests, loss, HWM,
 * payloads, kernel queues, and (at their own durations, which their events need) faults.
 */
const SHORT = [
  'pipeline.yaml',
  'req-rep.yaml',
  'dealer-router.yaml',
  'pubsub-fanout.yaml',
  'payload-kinds.yaml',
  'push-backpressure.yaml',
  'slow-subscriber-small-buffers.yaml',
];
const WITH_EVENTS = ['publisher-restart.yaml', 'worker-crash.yaml'];

async function runCli(files: readonly string[], out: string, extra: readonly string[]): Promise<void> {
  const args = [cli, 'run', ...files.map((f) => join(scenariosDir, f)), '--transport', 'tcp', '--out', out, '--quiet', ...extra];
  // any verdict will do (a scenario may lose messages on purpose); only invalid input is wrong here
  await run(process.execPath, args, { maxBuffer: 1 << 24 }).catch((e: { code?: number }) => {
    if (typeof e.code !== 'number' || e.code === 104) throw e;
  });
}

describe('result.json shape', () => {
  it('the shipped scenarios write results with the recorded key paths', { timeout: 120_000 }, async () => {
    const out = await mkdtemp(join(tmpdir(), 'zb-shape-'));
    try {
      await runCli(SHORT, join(out, 'short'), ['--duration', '300ms']);
      await runCli(WITH_EVENTS, join(out, 'events'), []);
      const actual: Record<string, string[]> = {};
      for (const part of ['short', 'events']) {
        for (const folder of await readdir(join(out, part))) {
          const result: unknown = JSON.parse(await readFile(join(out, part, folder, 'result.json'), 'utf8'));
          actual[folder] = keyPaths(result);
        }
      }
      if (process.env.ZMQ_BENCH_RECORD_KEY_PATHS === '1') await writeFile(fixture, `${JSON.stringify(actual, null, 1)}\n`);
      const expected = JSON.parse(await readFile(fixture, 'utf8')) as Record<string, string[]>;
      assert.deepEqual(Object.keys(actual).sort(), Object.keys(expected).sort());
      for (const name of Object.keys(expected)) assert.deepEqual(actual[name], expected[name], `key paths of ${name}`);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
});
