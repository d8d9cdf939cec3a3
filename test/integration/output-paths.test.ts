import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

/**
 * Output paths through the real CLI: a path that cannot be written is refused (exit 104, the
 * flag, the path and what is wrong) before anything runs, and when writing fails late anyway
 * the printed verdict says the exit code the process ends with.
 */

const CLI = fileURLToPath(new URL('../../src/cli.js', import.meta.url));
const SCENARIOS = fileURLToPath(new URL('../../../scenarios/', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'zmq-bench-outputs-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
delete env.GITHUB_STEP_SUMMARY;

const zmqBench = (args: string[], cwd = tmp) =>
  spawnSync(process.execPath, [CLI, ...args], { env, cwd, encoding: 'utf8', timeout: 30_000, killSignal: 'SIGKILL' });

/** A short real run; `extra` are the output flags under test. */
const run = (extra: string[]) =>
  zmqBench(['run', join(SCENARIOS, 'pipeline.yaml'), '--transport', 'inproc', '--duration', '300ms', ...extra]);

const aFile = join(tmp, 'a-file');
const aFolder = join(tmp, 'a-folder');

/** 104 before anything ran: one line naming the flag and the path, no run started, no summary. */
function refusedUpFront(r: ReturnType<typeof zmqBench>, flag: string, path: string, what: RegExp): void {
  assert.equal(r.status, 104, `${r.stderr}${r.stdout}`);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, r.stderr);
  assert.ok(lines[0]!.startsWith(`zmq-bench: ${flag} ${path === '' ? '""' : path}: `), lines[0]);
  assert.match(lines[0]!, what);
  assert.doesNotMatch(r.stderr, /running /, 'nothing ran');
  assert.equal(r.stdout, '', 'no summary');
}

describe('output paths', () => {
  before(() => {
    writeFileSync(aFile, 'not a folder\n');
    mkdirSync(aFolder);
  });

  it('run refuses every kind of bad output path before the run starts, with exit 104', () => {
    const cases: Array<[flag: string, path: string, what: RegExp]> = [
      // /proc refuses every new name with ENOENT: Node's recursive mkdir used to spin on it for ever
      ['--out', '/proc/zmq-bench-out', /cannot create files in \/proc/],
      ['--out', aFile, /it is a file; expected a folder/],
      ['--out', join(aFile, 'sub'), /a-file is a file, not a folder, so nothing can be made under it/],
      ['--out', '/dev/null', /it is a character device; expected a folder/],
      ['--out', '', /the path is empty; give a folder/],
      ['--junit', '/dev/null', /it is a character device; expected a file/],
      ['--junit', '', /the path is empty/],
      ['--markdown', aFolder, /it is a folder; expected a file/],
      ['--markdown', '/proc/summary.md', /cannot create files in \/proc/],
      ['--bmf', join(aFile, 'bmf.json'), /is a file, not a folder/],
      ['--benchmark-action', '', /the path is empty/],
    ];
    for (const [flag, path, what] of cases) {
      const r = run(flag === '--out' ? [flag, path] : ['--out', join(tmp, 'unused'), flag, path]);
      refusedUpFront(r, flag, path, what);
    }
    // --benchmark-action stands for two files: each is named
    const r = run(['--out', join(tmp, 'unused'), '--benchmark-action', '/proc/bench.json']);
    assert.equal(r.status, 104, r.stderr);
    assert.deepEqual(
      r.stderr
        .trim()
        .split('\n')
        .map((l) => l.split(': ')[1]),
      ['--benchmark-action /proc/bench.smaller-is-better.json', '--benchmark-action /proc/bench.bigger-is-better.json'],
    );
    assert.equal(existsSync(join(tmp, 'unused')), false, 'no results folder was made');
    // --out "" used to write result.json and report.html into the current folder
    assert.deepEqual(readdirSync(tmp).sort(), ['a-file', 'a-folder']);
  });

  it('a folder without write permission is refused too (not testable as root, who may write anywhere)', {
    skip: process.getuid?.() === 0,
  }, () => {
    const locked = join(tmp, 'locked');
    mkdirSync(locked, { mode: 0o500 });
    try {
      refusedUpFront(run(['--out', join(locked, 'out')]), '--out', join(locked, 'out'), /cannot create files in .*locked \(EACCES/);
    } finally {
      chmodSync(locked, 0o700);
    }
  });

  it('compare, report and verify check their output paths before reading or running anything', () => {
    refusedUpFront(zmqBench(['compare', aFolder, aFolder, '--junit', '/dev/null']), '--junit', '/dev/null', /character device/);
    refusedUpFront(zmqBench(['compare', aFolder, aFolder, '--markdown', '']), '--markdown', '', /the path is empty/);
    refusedUpFront(
      zmqBench(['verify', '--only', 'B1', '--out', join(aFile, 'verify')]),
      '--out',
      join(aFile, 'verify'),
      /is a file, not a folder/,
    );
    refusedUpFront(
      zmqBench(['verify', '--only', 'B1', '--out', '/proc/zmq-bench-verify']),
      '--out',
      '/proc/zmq-bench-verify',
      /cannot create files in \/proc/,
    );

    const result = join(tmp, 'one-run');
    assert.equal(run(['--out', result, '--quiet']).status, 0);
    for (const [path, what] of [
      ['', /the path is empty/],
      ['/proc/report.html', /cannot create files in \/proc/],
      [aFolder, /it is a folder; expected a file/],
    ] as const) {
      const r = zmqBench(['report', result, '-o', path]);
      refusedUpFront(r, '--out', path, what);
    }
    rmSync(result, { recursive: true });
  });

  it('when the results folder becomes unwritable during the run, the summary says exit code 104, as the process does', async () => {
    const out = join(tmp, 'vanishing');
    const child = spawn(
      process.execPath,
      [CLI, 'run', join(SCENARIOS, 'pipeline.yaml'), '--transport', 'inproc', '--duration', '2s', '--out', out],
      {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`never started measuring: ${stderr}`)), 20_000);
      child.stderr.on('data', () => {
        if (/measuring/.test(stderr)) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    // checked and fine at the start; a file where the folder should be by the end
    rmSync(out, { recursive: true, force: true });
    writeFileSync(out, 'in the way\n');
    assert.equal(await exited, 104, stderr);
    assert.match(stderr, /cannot write the result of pipeline to .*vanishing: .*not a folder/);
    assert.match(stdout, /pipeline: ERROR \(exit code 104\)/);
    assert.doesNotMatch(stdout, /exit code 0/);
    rmSync(out);
  });
});
