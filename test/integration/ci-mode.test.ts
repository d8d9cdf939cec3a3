import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { SuiteIndex } from '../../src/ci/suite-index.js';
import type { RunResult } from '../../src/core/types.js';

/** CI mode through the real CLI with real sockets: thresholds, suites, repeats, baselines, exit codes. */

const CLI = fileURLToPath(new URL('../../src/cli.js', import.meta.url));
const SCENARIOS = fileURLToPath(new URL('../../../scenarios/', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'zmq-bench-ci-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function zmqBench(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.GITHUB_STEP_SUMMARY;
  return spawnSync(process.execPath, [CLI, ...args], { env, encoding: 'utf8', timeout: 120_000 });
}

/** A suite of short inproc runs of shipped scenarios, written to tmp. */
function suite(name: string, entries: object[]): string {
  const path = join(tmp, `${name}.json`);
  writeFileSync(path, JSON.stringify({ suite: name, scenarios: entries.map((e) => ({ duration: '300ms', transport: 'inproc', ...e })) }));
  return path;
}

const readJson = <T>(path: string) => JSON.parse(readFileSync(path, 'utf8')) as T;

describe('CI mode', () => {
  it('an impossible threshold fails the run with exit 99, in the summary, the report and JUnit', () => {
    const file = suite('impossible', [
      { file: join(SCENARIOS, 'pipeline.yaml'), name: 'pipe', thresholds: { throughput: ['avg > 100M/s'], lost: ['count == 0'] } },
    ]);
    const out = join(tmp, 'impossible');
    const junit = join(tmp, 'impossible.xml');
    const r = zmqBench('run', file, '--out', out, '--quiet', '--junit', junit);
    assert.equal(r.status, 99, r.stderr);
    assert.match(r.stdout, /✗ throughput avg = .*, not > 100M\/s/);
    assert.match(r.stdout, /impossible: THRESHOLD FAILED \(exit code 99\)/);
    // not a terminal: no colours, no progress line
    assert.ok(!r.stdout.includes('\u001b') && !r.stderr.includes('\u001b'));
    const result = readJson<RunResult>(join(out, 'pipe', 'result.json'));
    assert.deepEqual(
      result.thresholds?.map((t) => [t.metric, t.passed]),
      [
        ['throughput', false],
        ['lost', true],
      ],
    );
    assert.match(readFileSync(join(out, 'pipe', 'report.html'), 'utf8'), /data-verdict="failed"/);

    const xml = readFileSync(junit, 'utf8');
    assert.equal(XMLValidator.validate(xml), true);
    const parsed = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '',
      isArray: (name) => name === 'testsuite' || name === 'testcase',
    }).parse(xml) as {
      testsuites: {
        tests: string;
        failures: string;
        testsuite: Array<{ name: string; testcase: Array<{ name: string; failure?: { type: string } }> }>;
      };
    };
    const cases = parsed.testsuites.testsuite[0]!.testcase;
    assert.equal(parsed.testsuites.testsuite[0]!.name, 'pipe');
    assert.deepEqual(
      cases.map((c) => [c.name, c.failure?.type ?? null]),
      [
        ['valid measurement', null],
        ['throughput avg > 100M/s', 'threshold'],
        ['lost count == 0', null],
      ],
    );
    assert.equal(parsed.testsuites.failures, '1');
  });

  it('abortOnFail stops the run at the first sample that fails it, says so and exits 99', () => {
    const file = suite('abort', [
      {
        file: join(SCENARIOS, 'pipeline.yaml'),
        name: 'pipe',
        duration: '20s',
        thresholds: { latency: [{ threshold: 'p(50) < 1us', abortOnFail: true, delayAbortEval: '300ms' }] },
      },
    ]);
    const out = join(tmp, 'abort');
    const r = zmqBench('run', file, '--out', out, '--quiet');
    assert.equal(r.status, 99, r.stderr + r.stdout);
    const result = readJson<RunResult>(join(out, 'pipe', 'result.json'));
    assert.match(result.abortedBy ?? '', /^latency p\(50\) = .*, not < 1\.00us after .* \(abortOnFail\)$/);
    assert.ok(result.timing.measuredMs >= 300 && result.timing.measuredMs < 10_000, `measured ${result.timing.measuredMs} ms`);
    assert.equal(result.complete, true);
    assert.match(r.stdout, /stopped early: latency p\(50\)/);
  });

  it('repeats run interleaved into one folder with an index; a baseline ten times as fast is a regression (98)', () => {
    const file = suite('twice', [
      { file: join(SCENARIOS, 'req-rep.yaml'), name: 'rr' },
      { file: join(SCENARIOS, 'pipeline.yaml'), name: 'pipe' },
    ]);
    const out = join(tmp, 'twice');
    const r = zmqBench('run', file, '--out', out, '--quiet', '--repeat', '2');
    assert.equal(r.status, 0, r.stderr + r.stdout);
    const index = readJson<SuiteIndex>(join(out, 'index.json'));
    assert.deepEqual(
      index.variants.map((v) => [v.name, v.runs]),
      [
        ['rr', ['rr/run-1/result.json', 'rr/run-2/result.json']],
        ['pipe', ['pipe/run-1/result.json', 'pipe/run-2/result.json']],
      ],
    );
    // interleaved: rr, pipe, rr, pipe
    const started = ['rr/run-1', 'pipe/run-1', 'rr/run-2', 'pipe/run-2'].map((p) =>
      Date.parse(readJson<RunResult>(join(out, p, 'result.json')).timing.startedAt),
    );
    assert.deepEqual(
      [...started].sort((a, b) => a - b),
      started,
    );
    assert.equal(index.variants[0]!.figures.throughput.values.length, 2);

    // the same results against themselves: nothing changed
    assert.equal(zmqBench('compare', out, out).status, 0);

    // a baseline whose every run was ten times as fast as the fastest run so far (runs on a busy
    // machine differ more than twofold, also the later run --baseline below; this keeps every
    // baseline run above every current one)
    const doctored = join(tmp, 'doctored');
    for (const v of ['rr', 'pipe']) {
      const fastest = Math.max(
        ...[1, 2].map((k) => readJson<RunResult>(join(out, v, `run-${k}`, 'result.json')).totals.throughput.msgsPerSec),
      );
      for (const k of [1, 2]) {
        const result = readJson<RunResult>(join(out, v, `run-${k}`, 'result.json'));
        result.totals.throughput.msgsPerSec = 10 * fastest * (k === 1 ? 1 : 1.01);
        mkdirSync(join(doctored, v, `run-${k}`), { recursive: true });
        writeFileSync(join(doctored, v, `run-${k}`, 'result.json'), JSON.stringify(result));
      }
    }
    const junit = join(tmp, 'compare.xml');
    const markdown = join(tmp, 'compare.md');
    const c = zmqBench('compare', doctored, out, '--alpha', '0.5', '--junit', junit, '--markdown', markdown);
    assert.equal(c.status, 98, c.stderr + c.stdout);
    assert.match(c.stdout, /^2 regression\(s\) at tolerance ±10% and alpha 0\.5$/m);
    assert.match(c.stdout, /rr\s+throughput\s+.*-\d+\.\d%\s+0\.333\s+REGRESSION/);
    // the CI outputs of a compare: one testcase per variant and figure, no runs to judge
    const xml = readFileSync(junit, 'utf8');
    assert.equal(XMLValidator.validate(xml), true);
    const parsed = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '',
      isArray: (name) => name === 'testsuite' || name === 'testcase',
    }).parse(xml) as {
      testsuites: { failures: string; testsuite: Array<{ name: string; testcase: Array<{ name: string; failure?: { type: string } }> }> };
    };
    assert.deepEqual(
      parsed.testsuites.testsuite.map((t) => t.name),
      ['rr', 'pipe'],
    );
    const rrCases = parsed.testsuites.testsuite[0]!.testcase.map((t) => [t.name, t.failure?.type ?? null]);
    assert.deepEqual(rrCases[0], ['regression: throughput', 'regression']);
    assert.ok(!rrCases.some(([name]) => name === 'valid measurement'), 'compare judges no run');
    assert.equal(parsed.testsuites.failures, '2');
    const md = readFileSync(markdown, 'utf8');
    assert.match(md, /^## comparison with the baseline: REGRESSION$/m);
    assert.match(md, /^\| rr \| throughput \| .* \| \*\*regression\*\* \|$/m);
    // at the default alpha, two runs a side can never be significant, and the output says so
    const strict = zmqBench('compare', doctored, out);
    assert.equal(strict.status, 0, strict.stdout);
    assert.match(strict.stdout, /with 2 and 2 runs, p cannot go below 0\.333/);

    // the same through run --baseline, without repeats: the tolerance alone decides
    const again = zmqBench(
      'run',
      file,
      '--out',
      join(tmp, 'again'),
      '--quiet',
      '--baseline',
      join(doctored, 'rr/run-1/result.json'),
      '--tolerance',
      '20',
    );
    assert.equal(again.status, 98, again.stderr + again.stdout);
    assert.match(again.stdout, /REGRESSION: rr throughput: -\d+\.\d% \(beyond ±20%\)/);
    assert.match(again.stdout, /no repeats: changes are judged by the tolerance alone \(±20%\)/);
    assert.match(again.stdout, /not in the baseline: pipe/);
  });

  it('a baseline from another machine is refused unless --force (104)', () => {
    const out = join(tmp, 'elsewhere');
    assert.equal(
      zmqBench('run', join(SCENARIOS, 'req-rep.yaml'), '--transport', 'inproc', '--duration', '300ms', '--out', out, '--quiet').status,
      0,
    );
    const result = readJson<RunResult>(join(out, 'result.json'));
    result.environment.cores += 2;
    writeFileSync(join(tmp, 'other-machine.json'), JSON.stringify(result));
    const refused = zmqBench('compare', join(tmp, 'other-machine.json'), join(out, 'result.json'));
    assert.equal(refused.status, 104);
    assert.deepEqual(refused.stderr.trim().split('\n'), [
      `zmq-bench: the baseline ran elsewhere: cores: ${result.environment.cores} in the baseline, ${result.environment.cores - 2} now`,
      'zmq-bench: results from different machines or versions are not comparable; pass --force to compare them anyway',
    ]);
    assert.equal(zmqBench('compare', join(tmp, 'other-machine.json'), join(out, 'result.json'), '--force').status, 0);
  });

  it('a threshold on an unknown metric or group is invalid input (104), one line each with its path', () => {
    const file = suite('unknown', [
      {
        file: join(SCENARIOS, 'pipeline.yaml'),
        name: 'pipe',
        thresholds: { latancy: ['p(99) < 2ms'], 'lost{group:nobody}': ['count == 0'] },
      },
    ]);
    const r = zmqBench('run', file, '--out', join(tmp, 'never'), '--quiet');
    assert.equal(r.status, 104);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 2, r.stderr);
    assert.match(
      lines[0]!,
      /^zmq-bench: .*unknown\.json: scenarios\[0\]: .*pipeline\.yaml: thresholds\.latancy: unknown metric "latancy"; expected one of latency, /,
    );
    assert.match(lines[1]!, /thresholds\["lost\{group:nobody\}"\]: no group "nobody"; the groups are ventilator, workers, sink$/);
  });
});
