import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { LiveMetrics } from '../../../src/live/live-metrics.js';
import { metricsProblems, parseLingerMs, parseListenAddress, parseOtlpUrl } from '../../../src/live/metrics-args.js';
import { repositoryRoot } from '../../support/repository-files.js';
import { thrownProblems } from '../../support/validation.js';

/** --metrics, --otlp and --metrics-linger: what they accept, the loopback rule, and bad input through the real CLI (exit 104, a line each). */

const CLI = fileURLToPath(new URL('../../../src/cli.js', import.meta.url));
const PIPELINE = join(repositoryRoot, 'scenarios', 'pipeline.yaml');

function cli(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, 'run', PIPELINE, ...args], {
    encoding: 'utf8',
    timeout: 30_000,
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('metrics flags', () => {
  it('--metrics takes [host:]port, loopback by default', () => {
    assert.deepEqual(parseListenAddress(':9464'), { host: '127.0.0.1', port: 9464 });
    assert.deepEqual(parseListenAddress('9464'), { host: '127.0.0.1', port: 9464 });
    assert.deepEqual(parseListenAddress('localhost:0'), { host: 'localhost', port: 0 });
    assert.deepEqual(parseListenAddress('0.0.0.0:9464'), { host: '0.0.0.0', port: 9464 });
    assert.deepEqual(parseListenAddress('[::1]:9464'), { host: '[::1]', port: 9464 });
    for (const bad of ['', 'x', ':', ':70000', '1.2.3:9464', '::1:9464', '[nope]:1', 'host:port']) {
      const r = parseListenAddress(bad);
      assert.ok('problem' in r, `${bad} refused`);
    }
  });

  it('--otlp takes an http(s) URL; a bare collector gets /v1/metrics', () => {
    assert.equal(parseOtlpUrl('http://127.0.0.1:4318'), 'http://127.0.0.1:4318/v1/metrics');
    assert.equal(parseOtlpUrl('https://localhost:4318/custom/path'), 'https://localhost:4318/custom/path');
    assert.deepEqual(parseOtlpUrl('grpc://127.0.0.1:4317'), { problem: 'Expected http:// or https:// (OTLP over HTTP), not grpc://.' });
    assert.ok(typeof parseOtlpUrl('127.0.0.1:4318') !== 'string');
  });

  it('--metrics-linger takes a duration, 0 included', () => {
    assert.equal(parseLingerMs('0s'), 0);
    assert.equal(parseLingerMs('30s'), 30_000);
    assert.ok(typeof parseLingerMs('2h') !== 'number');
    assert.ok(typeof parseLingerMs('soon') !== 'number');
  });

  it('another host needs --allow-remote; a linger needs --metrics', () => {
    const remote = { listen: { host: '0.0.0.0', port: 9464 }, otlp: 'http://198.18.0.1:4318/v1/metrics' };
    assert.equal(metricsProblems(remote, false).length, 2);
    assert.deepEqual(metricsProblems(remote, true), []);
    assert.deepEqual(metricsProblems({ listen: { host: '[::1]', port: 1 }, otlp: 'http://localhost:4318/v1/metrics' }, false), []);
    assert.deepEqual(metricsProblems({ lingerMs: 5 }, true), ['--metrics-linger: only with --metrics, whose /metrics it keeps serving']);
  });

  it('a port already taken is bad input, named', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as AddressInfo;
    try {
      const problems = await thrownProblems(() => LiveMetrics.open({ listen: { host: '127.0.0.1', port } }, { problem: () => {} }));
      assert.equal(problems.length, 1);
      assert.match(problems[0]!, new RegExp(`^--metrics 127\\.0\\.0\\.1:${port}: cannot serve there: .*EADDRINUSE`));
    } finally {
      taken.close();
    }
  });

  it('flags that reach other hosts end the CLI with exit 104 and one line each, before anything runs', () => {
    const r = cli('--metrics', '0.0.0.0:9464', '--otlp', 'http://198.18.0.1:4318');
    assert.equal(r.code, 104, r.stderr);
    assert.deepEqual(r.stderr.trimEnd().split('\n'), [
      'zmq-bench: --metrics 0.0.0.0:9464: not a loopback address, so other hosts could read the metrics; serving them there needs --allow-remote',
      'zmq-bench: --otlp http://198.18.0.1:4318/v1/metrics: 198.18.0.1 is not on this machine; sending metrics to another host needs --allow-remote',
    ]);
    assert.equal(r.stdout, '');
  });
});
