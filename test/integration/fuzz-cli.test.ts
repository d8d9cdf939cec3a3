import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { fuzzSettings, makeFixture, tokenSoup } from '../support/fuzz-inputs.js';

/**
 * Fuzzing the command line (fast-check): generated `validate`, `run`, `compare`, `report`,
 * `schema` and `list` command lines, from the CLI's own grammar (src/cli.ts) plus garbage, over
 * hostile files (a FIFO, a payload read from /dev/zero, UTF-16 text, suites listing themselves,
 * a matrix of millions of combinations, deep nesting, a rate of 1e-300) and hostile output
 * paths. Each runs the real CLI process, killed after a time bound or past a memory bound, and
 * must end with an exit code it may give (0 or 104; a run also 98 or 99), no stack trace, only
 * `zmq-bench: ` lines on stderr when it refuses, and a summary that matches its exit code.
 *
 * Runs stay small and local: the only runnable scenarios are inproc ones of 50 ms, --endpoint
 * addresses are loopback (--allow-remote is never generated), every output goes into the case's
 * temp folder (or /dev/null, or /proc where nothing can be written).
 *
 * Default: 16 command lines with seed 17 (about 15 s). Longer or other runs:
 *   ZMQ_BENCH_FUZZ_CLI_RUNS=300 ZMQ_BENCH_FUZZ_SEED=$RANDOM node --test dist/test/integration/fuzz-cli.test.js
 * Each case is a process that may hang until killed, so a failure is reported as generated,
 * not shrunk (endOnFailure); the report names the seed and the command line.
 */

const CLI = fileURLToPath(new URL('../../src/cli.js', import.meta.url));
const { seed, numRuns } = fuzzSettings('ZMQ_BENCH_FUZZ_CLI_RUNS', 16);
const TIMEOUT_MS = { run: 20_000, other: 10_000 };
const RSS_LIMIT_MB = 1024;

const tmp = mkdtempSync(join(tmpdir(), 'zmq-bench-fuzz-cli-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
makeFixture(tmp);

const TINY = `name: tiny
transport: inproc
duration: 50ms
drain: 100ms
topology:
  endpoints: [work]
  groups:
    - { name: vent, type: push, bind: work, rate: 200 }
    - { name: sink, type: pull, connect: work }
`;

/** The hostile files of issue 17, in the temp folder. */
function writeFiles(): void {
  const file = (name: string, text: string | Buffer) => writeFileSync(join(tmp, name), text);
  file('tiny.yaml', TINY);
  file('rate-tiny.yaml', TINY.replace('rate: 200', 'rate: 1e-300'));
  file('payload-zero.yaml', TINY.replace('rate: 200 }', 'rate: 200, payload: { file: /dev/zero } }'));
  file('payload-fifo.yaml', TINY.replace('rate: 200 }', 'rate: 200, payload: { file: fifo.bin } }'));
  file('payload-outside.yaml', TINY.replace('rate: 200 }', 'rate: 200, payload: { file: ../../../../../../etc/hostname } }'));
  file('utf16.yaml', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(TINY, 'utf16le')]));
  file('latin1.yaml', Buffer.from(TINY.replace('name: tiny', 'name: tiny\ndescription: café'), 'latin1'));
  file('self-suite.yaml', 'suite: self\nscenarios:\n  - file: self-suite.yaml\n');
  file('suite-a.yaml', 'suite: a\nscenarios:\n  - file: suite-b.yaml\n');
  file('suite-b.yaml', 'suite: b\nscenarios:\n  - file: suite-a.yaml\n');
  file('deep.json', `{"name": ${'['.repeat(20_000)}${']'.repeat(20_000)}}`);
  file(
    'matrix-bomb.yaml',
    `${TINY}matrix:\n${['size', 'rate', 'hwm', 'groups.sink.count', 'groups.vent.count'].map((k) => `  ${k}: [${Array.from({ length: 20 }, (_, i) => i + 1).join(', ')}]\n`).join('')}`,
  );
  file('thresholds.yaml', `${TINY}thresholds:\n  latency: ["avg < -1ms"]\n  sent: ["count > -5"]\n`);
  file('afile', 'not a folder');
  file('garbage.json', '{"schemaVersion": 1, "groups": 3}');
  mkdirSync(join(tmp, 'empty-dir'));
  for (const fifo of ['fifo.yaml', 'fifo.bin']) spawnSync('mkfifo', [join(tmp, fifo)]);
}
writeFiles();

const IN = (name: string) => join(tmp, name);
const SCENARIO_FILES = [
  'tiny.yaml',
  'rate-tiny.yaml',
  'payload-zero.yaml',
  'payload-fifo.yaml',
  'payload-outside.yaml',
  'utf16.yaml',
  'latin1.yaml',
  'self-suite.yaml',
  'suite-a.yaml',
  'deep.json',
  'matrix-bomb.yaml',
  'thresholds.yaml',
  'fifo.yaml',
  'afile',
  'missing.yaml',
  'empty-dir',
  'scenarios/suites/default.yaml',
  'scenarios/req-rep.yaml',
  '/dev/null',
  '/dev/zero',
].map((f) => (f.startsWith('/') ? f : IN(f)));
/** What `run` may run for real: 50 ms over inproc (and the files that should be refused before running). */
const RUN_FILES = [
  IN('tiny.yaml'),
  IN('rate-tiny.yaml'),
  IN('payload-outside.yaml'),
  IN('thresholds.yaml'),
  IN('payload-zero.yaml'),
  IN('payload-fifo.yaml'),
  IN('utf16.yaml'),
  IN('self-suite.yaml'),
  IN('matrix-bomb.yaml'),
  IN('fifo.yaml'),
];
/** Output paths: fine ones (relative: inside the case's folder), then the bad ones of issue 17 item 9. */
const OUT_PATHS = ['out', 'out/deeper', '', '/proc/zb-fuzz-out', IN('afile'), `${IN('afile')}/under`, '/dev/null', IN('empty-dir')];
// no NUL: an argument cannot hold one (spawn refuses it, as a shell would)
const garbage = fc
  .oneof(
    fc.string({ maxLength: 12 }),
    tokenSoup.map((s) => s.slice(0, 30)),
    fc.constantFrom('--', '-', '--bogus', '-x', '--out=', '--duration=0s', 'help'),
  )
  .map((s) => s.replace(/\0/g, ''));

const flag = (name: string, values: fc.Arbitrary<string>) => values.map((v) => [name, v]);
const RUN_FLAGS = fc.oneof(
  flag('--transport', fc.constantFrom('inproc', 'ipc', 'tcp', 'udp', '')),
  flag('--placement', fc.constantFrom('thread', 'process', 'cloud')),
  flag('--duration', fc.constantFrom('50ms', '0s', '-1s', '1e-300s', '25h', 'soon')),
  flag('--out', fc.constantFrom(...OUT_PATHS)),
  flag('--junit', fc.constantFrom(...OUT_PATHS.map((p) => (p === '' || p.startsWith('/') ? p : `${p}.xml`)))),
  flag('--markdown', fc.constantFrom('summary.md', '', IN('afile'), `${IN('afile')}/x.md`, '/proc/zb-fuzz.md')),
  flag('--bmf', fc.constantFrom('bmf.json', '', '/proc/zb-fuzz.json')),
  flag('--benchmark-action', fc.constantFrom('ba', '', `${IN('afile')}/ba`)),
  flag('--repeat', fc.constantFrom('1', '2', '0', '101', 'x')),
  flag('--baseline', fc.constantFrom(IN('missing'), IN('garbage.json'), IN('empty-dir'), IN('afile'))),
  flag(
    '--matrix',
    fc.constantFrom(
      'transport=inproc,tcp',
      'size=64,1KiB',
      'rate=1e-300',
      'rate=100,200',
      'bogus=1',
      'transport=',
      '=',
      'a=b=c',
      'duration=1h',
    ),
  ),
  flag(
    '--endpoint',
    fc.constantFrom('server=tcp://127.0.0.1:70000', 'server=tcp://127.0.0.1:0', 'work=tcp://127.0.0.1:99999', 'x=', 'noequals'),
  ),
  flag('--alpha', fc.constantFrom('0.05', '0', '1', 'NaN')),
  flag('--tolerance', fc.constantFrom('10%', '-1', '1001', 'x')),
  fc.constantFrom(['--json'], ['--quiet'], ['--force'], ['--allow-remote-typo']),
  garbage.map((g) => [g]),
);

/** A command line: the command, its arguments, and now and then garbage. */
const commandLine: fc.Arbitrary<string[]> = fc.oneof(
  {
    arbitrary: fc.array(fc.constantFrom(...SCENARIO_FILES), { minLength: 1, maxLength: 3 }).map((files) => ['validate', ...files]),
    weight: 4,
  },
  {
    // --duration 50ms last: whatever was generated, a run that starts stays short (the last value wins)
    arbitrary: fc
      .tuple(fc.constantFrom(...RUN_FILES), fc.array(RUN_FLAGS, { maxLength: 4 }))
      .map(([file, flags]) => ['run', file, ...flags.flat(), '--quiet', '--duration', '50ms']),
    weight: 3,
  },
  {
    arbitrary: fc
      .tuple(fc.constantFrom(...SCENARIO_FILES, IN('garbage.json')), fc.constantFrom(IN('garbage.json'), IN('empty-dir'), IN('missing')))
      .map(([a, b]) => ['compare', a, b]),
    weight: 1,
  },
  {
    arbitrary: fc
      .tuple(
        fc.array(fc.constantFrom(IN('garbage.json'), IN('empty-dir'), IN('missing'), IN('afile'), '/dev/null'), {
          minLength: 1,
          maxLength: 2,
        }),
        fc.constantFrom([], ['-o', 'r.html'], ['-o', `${IN('afile')}/r.html`], ['-o', '']),
      )
      .map(([p, o]) => ['report', ...p, ...o]),
    weight: 1,
  },
  fc
    .constantFrom(['schema'], ['list'], ['list', 'extra'], [], ['help', 'nothing'], ['--version'], ['run'], ['validate'])
    .map((a) => [...a]),
  fc.array(garbage, { minLength: 1, maxLength: 4 }),
);

interface Outcome {
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  /** why the case was killed, if it was */
  killed?: string;
  ms: number;
}

/** VmRSS of a process, in MB (Linux; undefined elsewhere or once it has gone). */
function rssMb(pid: number): number | undefined {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** The CLI with these arguments, in `cwd`; its process group is killed past the time or memory bound. */
function runCli(args: readonly string[], cwd: string, timeoutMs: number): Promise<Outcome> {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env['GITHUB_STEP_SUMMARY'];
  const started = Date.now();
  const child = spawn(process.execPath, ['--max-old-space-size=256', CLI, ...args], {
    cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()).length);
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()).length);
  let killed: string | undefined;
  const kill = (why: string) => {
    killed ??= why;
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  const timer = setTimeout(() => kill(`still running after ${timeoutMs} ms (a hang)`), timeoutMs);
  const watch = setInterval(() => {
    const mb = rssMb(child.pid!);
    if (mb !== undefined && mb > RSS_LIMIT_MB) kill(`used more than ${RSS_LIMIT_MB} MB of memory (RSS ${Math.round(mb)} MB)`);
  }, 25);
  return new Promise((resolve) => {
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      clearInterval(watch);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - started, ...(killed ? { killed } : {}) });
    });
  });
}

/** What is wrong with how a command line ended ([] when it ended as it may). */
function outcomeProblems(args: readonly string[], o: Outcome): string[] {
  if (o.killed) return [`killed: ${o.killed}`];
  const allowed = args[0] === 'run' ? [0, 98, 99, 104] : [0, 104];
  const out: string[] = [];
  if (o.code === null || !allowed.includes(o.code))
    out.push(`exit code ${o.code ?? `none (signal ${o.signal})`}, expected one of ${allowed.join(', ')}`);
  if (/^\s+at .+:\d+:\d+\)?$/m.test(o.stderr + o.stdout)) out.push('printed a stack trace');
  if (o.code === 104) {
    const lines = o.stderr.split('\n').filter((l) => l !== '');
    if (lines.length === 0) out.push('exit 104 without a problem on stderr');
    // No command at all (or `help <unknown>`): the usage, then one problem line, as the CLI means to.
    const usage = o.stderr.startsWith('Usage: zmq-bench');
    const stray = usage ? lines.slice(-1).filter((l) => !l.startsWith('zmq-bench: ')) : lines.filter((l) => !l.startsWith('zmq-bench: '));
    if (stray.length > 0)
      out.push(`exit 104 with stderr lines that are not "zmq-bench: " problems (did it run first?): ${JSON.stringify(stray.slice(0, 3))}`);
  }
  for (const m of (o.stdout + o.stderr).matchAll(/\(exit code (\d+)\)/g)) {
    if (Number(m[1]) !== o.code) out.push(`the summary says "exit code ${m[1]}", the process exited ${o.code}`);
  }
  return out;
}

describe('fuzzing the command line', { timeout: 900_000 }, () => {
  it('every generated command line ends in 0 or 104 (a run: 98 or 99 too), with one-line problems, within its time and memory bounds', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(commandLine, async (args) => {
        const cwd = join(tmp, `case-${n++}`);
        mkdirSync(cwd);
        try {
          const o = await runCli(args, cwd, args[0] === 'run' ? TIMEOUT_MS.run : TIMEOUT_MS.other);
          const problems = outcomeProblems(args, o);
          if (problems.length > 0) {
            throw new Error(
              `zmq-bench ${args.map((a) => JSON.stringify(a)).join(' ')}\n  ${problems.join('\n  ')}\n  (exit ${o.code}, ${o.ms} ms) stderr: ${o.stderr.slice(0, 800)}`,
            );
          }
        } finally {
          rmSync(cwd, { recursive: true, force: true });
        }
      }),
      { seed, numRuns, endOnFailure: true, includeErrorInReport: true },
    );
    assert.ok(n >= numRuns);
  });
});
