import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The CLI as a user meets it: a real `node dist/src/cli.js` process. Only bad input, help,
 * version and schema here; no scenario is ever run (that would open sockets).
 */

const CLI = fileURLToPath(new URL('../../../src/cli.js', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const SHIPPED = join(ROOT, 'scenarios', 'pipeline.yaml');

const tmp = mkdtempSync(join(tmpdir(), 'zmq-bench-cli-'));
test.after(() => rmSync(tmp, { recursive: true, force: true }));

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], cwd: string = tmp): Outcome {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.ZMQ_BENCH_DEBUG;
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, env, encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Exit 104, nothing on stdout, exactly these lines on stderr. */
function assertBadInput(r: Outcome, ...lines: string[]): void {
  assert.equal(r.code, 104, r.stderr);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr, lines.map((l) => `${l}\n`).join(''));
}

function assertNoStack(r: Outcome): void {
  assert.doesNotMatch(r.stderr, /\n {4}at /);
  assert.doesNotMatch(r.stderr, /^ {4}at /m);
}

test('unknown command', () => {
  const r = cli(['frobnicate']);
  assertBadInput(r, "zmq-bench: unknown command 'frobnicate'");
});

test('unknown command close to a real one suggests it, on the same line', () => {
  assertBadInput(cli(['rn', 'x.yaml']), "zmq-bench: unknown command 'rn' (did you mean run?)");
});

test('unknown option, on the program and on a command', () => {
  assertBadInput(cli(['--frobnicate']), "zmq-bench: unknown option '--frobnicate'");
  assertBadInput(cli(['run', '--frobnicate', 'x.yaml']), "zmq-bench: unknown option '--frobnicate'");
});

test('missing argument', () => {
  assertBadInput(cli(['run']), "zmq-bench: missing required argument 'file'");
  assertBadInput(cli(['validate']), "zmq-bench: missing required argument 'file'");
});

test('too many arguments', () => {
  assertBadInput(cli(['list', 'extra']), "zmq-bench: too many arguments for 'list'. Expected 0 arguments but got 1.");
});

test('no command prints the help on stderr and exits 104', () => {
  const r = cli([]);
  assert.equal(r.code, 104);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^Usage: zmq-bench /);
  assert.match(r.stderr, /\nzmq-bench: missing command\n$/);
});

test('bad --transport value', () => {
  assertBadInput(
    cli(['run', '--transport', 'pgm', 'x.yaml']),
    "zmq-bench: option '--transport <name>' argument 'pgm' is invalid. Allowed choices are inproc, ipc, tcp, udp.",
  );
});

test('bad --placement value', () => {
  assertBadInput(
    cli(['run', '--placement', 'fork', 'x.yaml']),
    "zmq-bench: option '--placement <where>' argument 'fork' is invalid. Allowed choices are thread, process.",
  );
});

test('run: --placement process with inproc is refused before anything runs', () => {
  const cwd = mkdtempSync(join(tmp, 'cwd-'));
  assertBadInput(
    cli(['run', '--placement', 'process', '--transport', 'inproc', SHIPPED], cwd),
    'zmq-bench: --placement process cannot be used with --transport inproc (inproc does not cross processes)',
  );
  const inProcesses = join(tmp, 'in-processes.yaml');
  writeFileSync(
    inProcesses,
    readFileSync(SHIPPED, 'utf8')
      .replace(/^name: .*$/m, 'name: in-processes')
      .replace(/^(\s+)type: pull$/m, '$1type: pull\n$1placement: process'),
  );
  assertBadInput(
    cli(['run', '--transport', 'inproc', inProcesses], cwd),
    'zmq-bench: --transport inproc cannot be used with scenario "in-processes": group "workers" has placement: process (inproc does not cross processes); add --placement thread',
  );
  assert.equal(existsSync(join(cwd, 'reports')), false, 'nothing was written');
});

test('bad --duration values', () => {
  assertBadInput(
    cli(['run', '--duration', '5x', 'x.yaml']),
    "zmq-bench: option '--duration <time>' argument '5x' is invalid. Expected a duration such as 500ms, 2s or 1m.",
  );
  assertBadInput(
    cli(['run', '--duration', '0s', 'x.yaml']),
    "zmq-bench: option '--duration <time>' argument '0s' is invalid. The duration must be more than 0.",
  );
  // less than the microsecond durations are kept in: it would have run for no time and been written as 0us
  assertBadInput(
    cli(['run', '--duration', '0.0000001ms', 'x.yaml']),
    "zmq-bench: option '--duration <time>' argument '0.0000001ms' is invalid. The duration must be at least 1us.",
  );
  assertBadInput(
    cli(['run', '--duration', '25h', 'x.yaml']),
    "zmq-bench: option '--duration <time>' argument '25h' is invalid. The duration must be at most 24h.",
  );
});

test('missing file: one line naming it, exit 104, for validate and run', () => {
  const missing = join(tmp, 'does-not-exist.yaml');
  for (const command of ['validate', 'run']) {
    const r = cli([command, missing]);
    assert.equal(r.code, 104, r.stderr);
    assert.equal(r.stdout, '');
    const lines = r.stderr.trimEnd().split('\n');
    assert.equal(lines.length, 1, r.stderr);
    assert.ok(lines[0]!.startsWith('zmq-bench: '), lines[0]);
    assert.ok(lines[0]!.includes(missing), lines[0]);
    assertNoStack(r);
  }
});

test('a folder given as a scenario file is bad input, not a crash', () => {
  const r = cli(['validate', tmp]);
  assert.equal(r.code, 104, r.stderr);
  assert.ok(r.stderr.startsWith('zmq-bench: '), r.stderr);
  assertNoStack(r);
});

const BROKEN = `name: broken
duration: fast
colour: blue
topology:
  endpoints: [work]
  groups:
    - name: producers
      type: push
      bind: work
`;

test('validate: ok for a valid file, every problem of an invalid one, exit 104', () => {
  const broken = join(tmp, 'broken.yaml');
  writeFileSync(broken, BROKEN);
  const r = cli(['validate', SHIPPED, broken]);
  assert.equal(r.code, 104, r.stderr);
  assert.equal(r.stdout, `ok ${SHIPPED}\n`);
  const lines = r.stderr.trimEnd().split('\n');
  assert.ok(lines.length >= 2, `every problem is reported, got:\n${r.stderr}`);
  for (const line of lines) assert.ok(line.startsWith('zmq-bench: '), line);
  assert.ok(r.stderr.includes('broken.yaml'), r.stderr);
  assert.match(r.stderr, /duration/);
  assert.match(r.stderr, /colour/);
  assertNoStack(r);
});

test('validate: the problems of several files come together', () => {
  const a = join(tmp, 'a.yaml');
  const b = join(tmp, 'b.yaml');
  writeFileSync(a, BROKEN);
  writeFileSync(b, 'name: [not, a, name]\n');
  const r = cli(['validate', a, b]);
  assert.equal(r.code, 104, r.stderr);
  assert.ok(r.stderr.includes(a) && r.stderr.includes(b), r.stderr);
  assertNoStack(r);
});

test('run: a file with problems stops everything before any run', () => {
  const broken = join(tmp, 'run-broken.yaml');
  writeFileSync(broken, BROKEN);
  const cwd = mkdtempSync(join(tmp, 'cwd-'));
  const r = cli(['run', SHIPPED, broken], cwd);
  assert.equal(r.code, 104, r.stderr);
  assert.equal(r.stdout, '');
  assert.ok(r.stderr.includes('run-broken.yaml'), r.stderr);
  assert.doesNotMatch(r.stderr, /running/);
  assert.equal(existsSync(join(cwd, 'reports')), false, 'nothing was written');
  assertNoStack(r);
});

/** A valid scenario, to which a test adds one thing. */
const SOUND = `name: sound
topology:
  endpoints: [work]
  groups:
    - { name: producers, type: push, bind: work, rate: 100 }
    - { name: consumers, type: pull, connect: work }
`;

test("a matrix of too many combinations is refused at once, in little memory, with the file's keys and --matrix counted together", () => {
  const keys = ['transport', 'duration', 'warmup', 'drain', 'size'];
  const twenty = Array.from({ length: 20 }, (_, i) => i + 1).join(', ');
  const file = join(tmp, 'huge-matrix.yaml');
  const matrix = (ks: string[]) => ks.map((k) => `  ${k}: [${twenty}]\n`).join('');
  writeFileSync(file, `${SOUND}matrix:\n${matrix(keys)}`);
  // the old code built all 3.2 million combinations first: with a 256 MiB heap it died of it
  const bounded = (args: string[]) => {
    const r = spawnSync(process.execPath, ['--max-old-space-size=256', CLI, ...args], {
      cwd: tmp,
      encoding: 'utf8',
      timeout: 30_000,
      env: { ...process.env, NO_COLOR: '1' },
    });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  const expected = (n: string) => `zmq-bench: ${file}: matrix: must make at most 200 combinations, got ${n}`;
  assertBadInput(bounded(['validate', file]), `${expected('3200000')} (20 × 20 × 20 × 20 × 20)`);
  writeFileSync(file, `${SOUND}matrix:\n${matrix(keys.slice(0, 3))}`);
  const cwd = mkdtempSync(join(tmp, 'cwd-'));
  const r = bounded([
    'run',
    file,
    '--matrix',
    `size=${twenty.replace(/ /g, '')}`,
    '--matrix',
    `rate=${twenty.replace(/ /g, '')}`,
    '--out',
    join(cwd, 'out'),
  ]);
  assertBadInput(r, `${expected('3200000')} (20 × 20 × 20 × 20 × 20)`);
  assert.equal(existsSync(join(cwd, 'out')), false, 'nothing ran');
});

test('run: --endpoint with a port libzmq would wrap is refused before anything runs, naming the flag', () => {
  const file = join(tmp, 'external.yaml');
  writeFileSync(
    file,
    'name: ext\ntopology:\n  endpoints: [{ name: server, external: "tcp://127.0.0.1:5555" }]\n  groups:\n    - { name: clients, type: req, connect: server }\n',
  );
  const cwd = mkdtempSync(join(tmp, 'cwd-'));
  // the old code sent the load to port 4464 while result.json said 70000
  assertBadInput(
    cli(['run', file, '--endpoint', 'server=tcp://127.0.0.1:70000', '--out', join(cwd, 'out')], cwd),
    'zmq-bench: --endpoint server=tcp://127.0.0.1:70000: the port must be from 1 to 65535 (0 means any free port, which only a bind can use); this one is 70000',
  );
  assert.equal(existsSync(join(cwd, 'out')), false, 'nothing ran');
});

test("a payload file outside the scenario's folder: refused by validate and run unless --allow-outside-payload", () => {
  const dir = mkdtempSync(join(tmp, 'outside-'));
  mkdirSync(join(dir, 'scenarios'));
  writeFileSync(join(dir, 'secret.bin'), 'secret');
  const file = join(dir, 'scenarios', 'out.yaml');
  writeFileSync(
    file,
    `name: out
topology:
  endpoints:
    - { name: svc, external: "tcp://127.0.0.1:5555" }
  groups:
    - { name: clients, type: req, connect: svc, payload: { file: ../secret.bin } }
`,
  );
  const refused = `zmq-bench: ${file}: topology.groups[0].payload.file: ../secret.bin is outside the scenario's folder (${join(dir, 'scenarios')}); pass --allow-outside-payload to read it`;
  assertBadInput(cli(['validate', file]), refused);
  assert.deepEqual(cli(['validate', '--allow-outside-payload', file]), { code: 0, stdout: `ok ${file}\n`, stderr: '' });
  // run: with the flag the file loads; the broken file beside it still stops everything before any run
  const broken = join(dir, 'broken.yaml');
  writeFileSync(broken, 'name: [x]\n');
  const brokenLines = cli(['validate', broken]).stderr.trimEnd().split('\n');
  assertBadInput(cli(['run', file, broken], dir), refused, ...brokenLines);
  assertBadInput(cli(['run', '--allow-outside-payload', file, broken], dir), ...brokenLines);
  assert.equal(existsSync(join(dir, 'reports')), false, 'nothing ran');
});

test('--help exits 0 on the program and on each command', () => {
  const r = cli(['--help']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^Usage: zmq-bench /);
  assert.equal(r.stderr, '');
  for (const command of ['run', 'validate', 'list', 'schema']) {
    const c = cli([command, '--help']);
    assert.equal(c.code, 0, c.stderr);
    assert.match(c.stdout, new RegExp(`^Usage: zmq-bench ${command}`));
  }
  assert.match(cli(['run', '--help']).stdout, /--transport <name>/);
  assert.match(cli(['run', '--help']).stdout, /--placement <where>/);
  assert.equal(cli(['help', 'run']).code, 0);
});

test('--version prints the package version', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
  const r = cli(['--version']);
  assert.equal(r.code, 0);
  assert.equal(r.stdout, `${pkg.version}\n`);
});

test('schema prints the JSON Schema of scenario files', () => {
  const r = cli(['schema']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '');
  const schema = JSON.parse(r.stdout) as { title?: unknown };
  assert.equal(schema.title, 'zmq-bench scenario');
  assert.ok(r.stdout.startsWith('{\n  "'), 'two-space indentation');
});
