import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { SuiteIndex } from '../../src/ci/suite-index.js';
import type { RunResult } from '../../src/core/types.js';

/** A small matrix end to end through the real CLI: every combination runs, named, indexed and graphed. */

const CLI = fileURLToPath(new URL('../../src/cli.js', import.meta.url));
const SCENARIOS = fileURLToPath(new URL('../../../scenarios/', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'zmq-bench-matrix-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const zmqBench = (...args: string[]) =>
  spawnSync(process.execPath, [CLI, ...args], { env: { ...process.env, NO_COLOR: '1' }, encoding: 'utf8', timeout: 120_000 });

it('a 2 × 2 matrix runs every combination into one folder, with sweep tables and graphs', () => {
  const out = join(tmp, 'm');
  const r = zmqBench(
    'run',
    join(SCENARIOS, 'perf-throughput.yaml'),
    '--matrix',
    'transport=inproc,ipc',
    '--matrix',
    'size=64,1KiB',
    '--duration',
    '200ms',
    '--out',
    out,
    '--quiet',
  );
  assert.equal(r.status, 0, r.stderr + r.stdout);
  const index = JSON.parse(readFileSync(join(out, 'index.json'), 'utf8')) as SuiteIndex;
  const names = [
    'perf-throughput-inproc-size64',
    'perf-throughput-inproc-size1KiB',
    'perf-throughput-ipc-size64',
    'perf-throughput-ipc-size1KiB',
  ];
  assert.deepEqual(
    index.variants.map((v) => v.name),
    names,
  );
  for (const [i, name] of names.entries()) {
    const result = JSON.parse(readFileSync(join(out, name, 'result.json'), 'utf8')) as RunResult;
    const transport = i < 2 ? 'inproc' : 'ipc';
    const size = i % 2 === 0 ? 64 : '1KiB';
    assert.deepEqual(result.matrix, { transport, size });
    assert.equal((result.scenario as { transport: string }).transport, transport);
    const sender = result.groups.find((g) => g.name === 'sender')!;
    assert.equal(
      sender.throughput.bytesPerSec / sender.throughput.msgsPerSec,
      i % 2 === 0 ? 64 : 1024,
      'bytes per message as the matrix set',
    );
    assert.equal(result.totals.lost, 0);
    assert.equal(result.totals.received, sender.sent);
  }
  assert.match(r.stdout, /^perf-throughput: msgs\/s \(bytes\/s\)\s+64 B\s+1\.00 KiB$/m);
  assert.match(r.stdout, /^inproc\s+\S+ \(.+\/s\)\s+\S+ \(.+\/s\)$/m);
  assert.match(r.stdout, /^perf-throughput: p50 \/ p99\s+64 B\s+1\.00 KiB$/m);
  const report = readFileSync(join(out, 'report.html'), 'utf8');
  for (const id of ['compare-sweep0-throughput', 'compare-sweep0-bandwidth', 'compare-sweep0-p50', 'compare-sweep0-p99'])
    assert.ok(report.includes(`data-chart="${id}"`), id);
});

it('a bad --matrix key is invalid input (104), with what is allowed', () => {
  const r = zmqBench('run', join(SCENARIOS, 'perf-throughput.yaml'), '--matrix', 'colour=red', '--out', join(tmp, 'never'));
  assert.equal(r.status, 104);
  assert.match(r.stderr.trim(), /^zmq-bench: .*perf-throughput\.yaml: matrix\.colour: unknown key; expected one of transport, /);
  assert.equal(r.stderr.trim().split('\n').length, 1);
  const bad = zmqBench('run', join(SCENARIOS, 'perf-throughput.yaml'), '--matrix', 'size');
  assert.equal(bad.status, 104);
  assert.match(bad.stderr, /expected key=value1,value2/);
});
