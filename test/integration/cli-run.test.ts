import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { RunResult } from '../../src/core/types.js';

/** Real runs through the real CLI process: exit codes, files written, nothing left behind. */

const CLI = fileURLToPath(new URL('../../src/cli.js', import.meta.url));
const SCENARIOS = fileURLToPath(new URL('../../../scenarios/', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'zmq-bench-run-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const env = { ...process.env, NO_COLOR: '1' };

function readResult(dir: string): RunResult {
  return JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8')) as RunResult;
}

describe('zmq-bench run', () => {
  it('--json prints result.json alone on stdout, writes it to --out, exits 0 and leaves no ipc file', () => {
    const out = join(tmp, 'json');
    const r = spawnSync(
      process.execPath,
      [CLI, 'run', join(SCENARIOS, 'req-rep.yaml'), '--transport', 'ipc', '--duration', '300ms', '--out', out, '--json'],
      {
        env,
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    assert.equal(r.status, 0, r.stderr);
    const printed = JSON.parse(r.stdout) as RunResult;
    const written = readResult(out);
    assert.deepEqual(printed, written);
    assert.equal(written.complete, true);
    assert.equal(written.schemaVersion, 1);
    assert.equal((written.scenario as { transport: string }).transport, 'ipc');
    assert.ok(written.totals.received > 0);
    assert.ok(written.environment.libzmq.length > 0 && written.environment.cores > 0);
    const ipcPaths = Object.values(written.endpoints)
      .flat()
      .map((a) => a.replace(/^ipc:\/\//, ''));
    assert.ok(ipcPaths.length === 2);
    // Linux: abstract names (no file at all); elsewhere files in a folder removed at the end
    if (process.platform === 'linux') for (const p of ipcPaths) assert.match(p, /^@zb-/);
    else for (const p of ipcPaths) assert.equal(existsSync(p), false, `${p} was removed`);
    assert.match(r.stderr, /clients\s+req×4/, 'the summary goes to stderr with --json');
  });

  it('a role that throws fails the run with its message and exit code 97', () => {
    const file = join(tmp, 'failing.yaml');
    writeFileSync(
      file,
      `name: failing
transport: inproc
duration: 5s
topology:
  endpoints: [jobs]
  groups:
    - { name: impatient, type: push, bind: jobs, options: { sndhwm: 1, sndtimeo: 0 } }
    - { name: sluggish, type: pull, connect: jobs, delay: 50ms, options: { rcvhwm: 1 } }
`,
    );
    const out = join(tmp, 'failing-out');
    const r = spawnSync(process.execPath, [CLI, 'run', file, '--out', out], { env, encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 97, r.stderr);
    assert.match(r.stdout, /impatient\[0\] send: /);
    assert.doesNotMatch(r.stderr + r.stdout, /\n {4}at /);
    const result = readResult(out);
    assert.equal(result.complete, false);
    assert.match(result.problems[0]!, /^impatient\[0\] send: /);
  });

  it('Ctrl-C stops the run, still writes what was measured and exits 105', async () => {
    const out = join(tmp, 'interrupted');
    const child = spawn(
      process.execPath,
      [CLI, 'run', join(SCENARIOS, 'pipeline.yaml'), '--transport', 'tcp', '--duration', '60s', '--out', out],
      {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // Interrupt once measuring has begun.
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`never started measuring: ${stderr}`)), 20_000);
      child.stderr.on('data', () => {
        if (/measuring/.test(stderr)) {
          clearTimeout(timer);
          setTimeout(resolve, 500);
        }
      });
    });
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    assert.equal(code, 105, stderr);
    const result = readResult(out);
    assert.equal(result.complete, false);
    assert.match(result.problems.join('\n'), /interrupted/);
    const sink = result.groups.find((g) => g.name === 'sink')!;
    const sent = result.groups.find((g) => g.name === 'ventilator')!.sent;
    assert.ok(sent > 0, 'what was sent before Ctrl-C is counted');
    assert.ok(sink.received > 0 && sink.received <= sent);
    assert.ok(result.timing.measuredMs > 0 && result.timing.measuredMs < 30_000);
    // the report is written too, and says the run was interrupted
    assert.match(readFileSync(join(out, 'report.html'), 'utf8'), /data-verdict="interrupted"/);
  });
});

describe('zmq-bench validate and run: files that are not regular files', () => {
  const dir = join(tmp, 'special');
  const scenario = (payloadFile: string) => `name: special
topology:
  endpoints:
    - { name: svc, external: "tcp://127.0.0.1:5555" }
  groups:
    - { name: clients, type: req, connect: svc, payload: { file: ${payloadFile} } }
`;
  /** The CLI, SIGKILLed if it has not ended within 10 s (a read blocked on a FIFO ignores SIGINT and SIGTERM). */
  const cli = (...args: string[]) =>
    spawnSync(process.execPath, [CLI, ...args], { cwd: dir, env, encoding: 'utf8', timeout: 10_000, killSignal: 'SIGKILL' });
  const mkfifo = (name: string) => spawnSync('mkfifo', [join(dir, name)]).status === 0;

  it('a FIFO as the scenario file or as a payload file: exit 104 at once, for validate and run', (t) => {
    mkdirSync(dir, { recursive: true });
    if (!mkfifo('fifo.yaml') || !mkfifo('payload.fifo')) return t.skip('mkfifo is not available');
    writeFileSync(join(dir, 'fifo-payload.yaml'), scenario('payload.fifo'));
    const fifo = 'is not a regular file (a FIFO); only regular files are read';
    const expected = [
      `zmq-bench: fifo.yaml: ${fifo}`,
      `zmq-bench: fifo-payload.yaml: topology.groups[0].payload.file: ${join(dir, 'payload.fifo')} ${fifo}`,
    ];
    for (const command of ['validate', 'run']) {
      const r = cli(command, 'fifo.yaml', 'fifo-payload.yaml', ...(command === 'run' ? ['--out', join(dir, 'never')] : []));
      assert.equal(r.signal, null, `${command} was still blocked after 10 s`);
      assert.equal(r.status, 104, r.stderr);
      assert.deepEqual(r.stderr.trim().split('\n'), expected);
      assert.equal(existsSync(join(dir, 'never')), false);
    }
  });

  it('/dev/zero as a payload file, even allowed outside the folder: exit 104 without reading it', () => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'zero.yaml'), scenario('/dev/zero'));
    const r = cli('validate', '--allow-outside-payload', 'zero.yaml');
    assert.equal(r.signal, null, 'validate was still reading after 10 s');
    assert.equal(r.status, 104, r.stderr);
    assert.equal(
      r.stderr,
      'zmq-bench: zero.yaml: topology.groups[0].payload.file: /dev/zero is not a regular file (a character device); only regular files are read\n',
    );
  });
});

describe('zmq-bench report', () => {
  it('names every path it cannot use, one line each, writes nothing and exits 104', () => {
    const notResult = join(tmp, 'not-a-result.json');
    writeFileSync(notResult, '{"hello": 1}');
    const out = join(tmp, 'never.html');
    const r = spawnSync(process.execPath, [CLI, 'report', join(tmp, 'missing'), notResult, '-o', out], {
      env,
      encoding: 'utf8',
      timeout: 30_000,
    });
    assert.equal(r.status, 104, r.stderr);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 2, r.stderr);
    assert.match(lines[0]!, /^zmq-bench: .*missing: file not found$/);
    assert.match(lines[1]!, /^zmq-bench: .*not-a-result\.json: expected a zmq-bench result\.json, but .* missing$/);
    assert.equal(existsSync(out), false);
  });
});
