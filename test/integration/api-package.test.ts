import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { test } from 'node:test';
import { transform } from 'esbuild';

/**
 * The package as a user gets it: `npm pack`, `npm install <tarball>` in an empty project, the
 * example of docs/api.md type-checked with tsc against the package's types and run (a shipped
 * scenario for 300 ms on inproc) and README's snippet type-checked, and type errors where the API's
 * types must refuse a call.
 * Dependencies come from the npm cache (--prefer-offline), so after the first run no network.
 */

const exec = promisify(execFile);
// dist/test/integration/ → the repository
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

/** npm inherits no npm_* variables from an `npm test` around it (npm_config_local_prefix would point at this repository). */
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.toLowerCase().startsWith('npm_')));

/** Calls the API's types must refuse (@ts-expect-error fails the compile if a call is accepted) and an exhaustive switch. */
const TYPE_CHECKS = `import { compare, loadScenario, run, validate, ScenarioError, type ComparisonReport, type RunEvent, type RunEventOf, type RunResult } from 'zmq-bench';
const s = await loadScenario('x.yaml', { transport: 'tcp', duration: 300 });
// @ts-expect-error not a transport
void run(s, { transport: 'sctp' });
// @ts-expect-error run takes a Scenario (loadScenario or parseScenario), not a path
void run('x.yaml');
// @ts-expect-error not a phase
const notAPhase: RunEventOf<'phase'>['phase'] = 'warm-up';
const atOf = (e: RunEvent): number => {
  switch (e.type) {
    case 'phase': return e.atMs;
    case 'sample': return e.sample.tMs;
    case 'figures': return e.figures.measuredMs;
    case 'timeline': return e.entry.tMs;
    case 'breach': return e.threshold.limit;
  }
};
const result: Promise<RunResult> = run(s, { onEvent: (e) => void atOf(e), signal: AbortSignal.timeout(1), quiet: true });
const report: Promise<ComparisonReport> = result.then((r) => compare(r, [r], { tolerance: 5 }));
const problems: string[] = validate({ name: 'x' });
const error: { problems: readonly string[] } = new ScenarioError(problems);
export { notAPhase, report, error };
`;

const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    noImplicitReturns: true,
    skipLibCheck: true,
    types: ['node'],
    // @types/node from this repository: the empty project installs zmq-bench only
    typeRoots: [join(ROOT, 'node_modules', '@types')],
  },
  files: ['example.ts', 'type-checks.ts', 'readme.ts'],
};

/** README's "Use from code" snippet: type-checked with the example (not run). */
function readmeExample(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const block = /```ts\n([\s\S]*?)```/.exec(readme.slice(readme.indexOf('## Use from code')))?.[1];
  assert.ok(block, 'README has a ts block under "Use from code"');
  return block;
}

test('npm pack makes a package that installs in an empty project, type-checks against its types and runs the docs example', async (t) => {
  assert.ok(existsSync(join(ROOT, 'dist', 'src', 'index.d.ts')), 'built with declarations (npm run build)');
  const tmp = mkdtempSync(join(tmpdir(), 'zmq-bench-pack-'));
  const timed = async <T>(step: string, fn: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    const value = await fn();
    t.diagnostic(`${step}: ${Math.round(performance.now() - t0)} ms`);
    return value;
  };
  try {
    // --ignore-scripts: `prepare` would rebuild dist/, which the tests run from
    const packed = await timed('npm pack', () =>
      exec('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], { cwd: ROOT, env, timeout: 60_000 }),
    );
    const [info] = JSON.parse(packed.stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
    const files = info!.files.map((f) => f.path);
    for (const needed of [
      'dist/src/index.js',
      'dist/src/index.d.ts',
      'dist/src/runtime/worker.js',
      'dist/browser/report.js',
      'scenarios/scenario.schema.json',
      'README.md',
      'docs/api.md',
    ])
      assert.ok(files.includes(needed), `${needed} is in the package`);
    assert.deepEqual(
      files.filter((f) => f.startsWith('dist/test/') || f.startsWith('src/') || f.endsWith('.map')),
      [],
      'no tests, sources or source maps',
    );

    const project = join(tmp, 'project');
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'fresh', private: true, type: 'module' }));
    await timed('npm install', () =>
      exec(
        'npm',
        [
          'install',
          join(tmp, info!.filename),
          '--prefix',
          project,
          '--prefer-offline',
          '--ignore-scripts',
          '--no-audit',
          '--no-fund',
          '--loglevel=error',
        ],
        { cwd: project, env, timeout: 120_000 },
      ),
    );
    const example = join(ROOT, 'docs', 'examples', 'api-example.ts');
    copyFileSync(example, join(project, 'example.ts'));
    writeFileSync(join(project, 'type-checks.ts'), TYPE_CHECKS);
    writeFileSync(join(project, 'readme.ts'), readmeExample());
    writeFileSync(join(project, 'tsconfig.json'), JSON.stringify(TSCONFIG));
    // The example runs from esbuild's transpilation (types stripped) while tsc checks the types:
    // side by side, the two slowest steps take the time of one.
    const js = await transform(readFileSync(example, 'utf8'), { loader: 'ts', format: 'esm', target: 'node20' });
    writeFileSync(join(project, 'example.mjs'), js.code);
    const [, ran] = await Promise.all([
      timed('tsc', () =>
        exec(process.execPath, [TSC, '-p', project, '--noEmit'], { cwd: project, timeout: 120_000 }).catch((e: { stdout?: string }) =>
          assert.fail(`tsc refused:\n${e.stdout}`),
        ),
      ),
      timed('the example', () => exec(process.execPath, [join(project, 'example.mjs')], { cwd: project, timeout: 60_000 })),
    ]);
    const lines = ran.stdout.trim().split('\n');
    assert.equal(lines[0], 'phases: set-up → barrier → measure → stop → drain → finish');
    assert.match(lines[1]!, /^\d+ samples; [1-9]\d* received, 0 lost; complete: true$/);
    assert.equal(lines[2], 'regression: false');
    assert.equal(lines[3], 'topology.groups[0].bind: endpoint "wrok" is not declared in topology.endpoints');

    const version = await exec(process.execPath, [join(project, 'node_modules', 'zmq-bench', 'dist', 'src', 'cli.js'), '--version'], {
      cwd: project,
    });
    assert.match(version.stdout, /^\d+\.\d+\.\d+/);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
