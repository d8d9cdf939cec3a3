import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { PREFIX, describeError, validateFiles } from '../../../src/app.js';
import { BenchError, ScenarioError, loadScenario, parseScenario, scenariosDir, validate } from '../../../src/index.js';
import { PUSH_PULL } from '../../support/validation.js';

/** loadScenario, parseScenario and validate: the CLI's validation, as values and typed errors, never an exit. */

const dir = mkdtempSync(join(tmpdir(), 'zmq-bench-api-scenario-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

/** What `await fn()` rejects with; fails when it resolves. */
async function rejection(fn: () => unknown): Promise<unknown> {
  try {
    await fn();
  } catch (e) {
    return e;
  }
  return assert.fail('expected it to throw');
}

/** The lines `zmq-bench validate <path>` prints on stderr, without its prefix. */
async function cliLines(path: string): Promise<string[]> {
  const e = await rejection(() => validateFiles([path], { out: () => {}, err: () => {} }));
  return describeError(e).lines.map((l) => l.slice(PREFIX.length));
}

const BAD = `name: bad
duration: 2 seconds
topology:
  endpoints: [work]
  groups:
    - { name: source, type: pushh, bind: work }
    - { name: sink, type: pull, connect: wrok }
`;

describe('loadScenario', () => {
  it('reads a shipped scenario with the overrides applied, as run --transport --duration does', async () => {
    const s = await loadScenario(join(scenariosDir, 'pipeline.yaml'), { transport: 'inproc', duration: '300ms' });
    assert.equal(s.name, 'pipeline');
    assert.equal(s.transport, 'inproc');
    assert.equal(s.durationMs, 300);
    assert.equal((await loadScenario(join(scenariosDir, 'pipeline.yaml'), { duration: 250 })).durationMs, 250);
  });

  it('throws a ScenarioError with the lines the CLI prints, one per problem with its path', async () => {
    const path = file('bad.yaml', BAD);
    const e = await rejection(() => loadScenario(path));
    assert.ok(e instanceof ScenarioError && e instanceof BenchError);
    assert.equal(e.name, 'ScenarioError');
    assert.ok(e.problems.length >= 3, e.problems.join('\n'));
    assert.deepEqual(e.problems, await cliLines(path));
    assert.ok(e.problems.every((p) => p.startsWith(`${path}: `)));
    assert.ok(e.problems.some((p) => p.includes('duration')));
  });

  it('refuses a missing file, bad overrides and a file of several scenarios, each as a ScenarioError', async () => {
    const missing = await rejection(() => loadScenario(join(dir, 'none.yaml')));
    assert.ok(missing instanceof ScenarioError);
    assert.deepEqual(missing.problems, [`${join(dir, 'none.yaml')}: file not found`]);

    const shipped = join(scenariosDir, 'pipeline.yaml');
    const bad = await rejection(() => loadScenario(shipped, { duration: 'soon', transport: 'sctp' as never }));
    assert.ok(bad instanceof ScenarioError);
    assert.deepEqual(bad.problems, ['duration: expected a duration such as 500ms, 2s or 1m (or a number of ms), got "soon"']);
    const transport = await rejection(() => loadScenario(shipped, { transport: 'sctp' as never }));
    assert.ok(transport instanceof ScenarioError && /^transport: must be one of .*got "sctp"$/.test(transport.problems[0]!));
    // as the CLI: network faults act on tcp connections only
    const faults = await rejection(() => loadScenario(join(scenariosDir, 'subscriber-partition.yaml'), { transport: 'ipc' }));
    assert.ok(faults instanceof ScenarioError && faults.problems[0]!.includes('--transport ipc cannot be used with scenario'));
    const misspelt = await rejection(() => loadScenario(shipped, { durationMs: 300 } as never));
    assert.ok(
      misspelt instanceof ScenarioError &&
        misspelt.problems[0]!.startsWith('options.durationMs: not an option (known: transport, duration'),
    );

    const matrix = file(
      'matrix.yaml',
      `${BAD.replace('duration: 2 seconds\n', '').replace('pushh', 'push').replace('wrok', 'work')}matrix: { transport: [inproc, tcp] }\n`,
    );
    const several = await rejection(() => loadScenario(matrix));
    assert.ok(several instanceof ScenarioError);
    assert.match(several.problems[0]!, /holds 2 scenarios \(bad-inproc, bad-tcp\); loadScenario reads a file of one scenario/);
  });
});

describe('validate', () => {
  it('returns no problems for a valid scenario object or text', () => {
    assert.deepEqual(validate(PUSH_PULL), []);
    assert.deepEqual(validate(JSON.stringify(PUSH_PULL), { source: 'inline.json' }), []);
    assert.deepEqual(
      validate(
        'name: p\ntopology:\n  endpoints: [w]\n  groups:\n    - { name: a, type: push, bind: w }\n    - { name: b, type: pull, connect: w }\n',
      ),
      [],
    );
  });

  it('returns every problem, one line each with its path, without throwing', () => {
    const problems = validate(BAD);
    assert.ok(problems.length >= 3, problems.join('\n'));
    assert.ok(problems.some((p) => p.startsWith('duration: ')));
    assert.ok(problems.some((p) => p.startsWith('topology.groups[0].type: ')));
    // the file's lines, without the file's name in front
    assert.deepEqual(
      validate(BAD, { source: 'bad.yaml' }),
      problems.map((p) => `bad.yaml: ${p}`),
    );
    assert.match(validate('name: [x')[0]!, /^line 1, column \d+: YAML syntax error: /);
    assert.deepEqual(validate(42), ['(top level): must be a mapping, got 42']);
    assert.match(validate({ suite: 's', scenarios: [] })[0]!, /^a suite; the API takes one scenario/);
  });
});

describe('parseScenario', () => {
  it('gives the normalized scenario run() takes, defaults filled in and overrides applied', () => {
    const s = parseScenario(PUSH_PULL, { duration: '1s' });
    assert.equal(s.durationMs, 1000);
    assert.equal(s.transport, 'tcp');
    assert.deepEqual(
      s.groups.map((g) => [g.name, g.count, g.engine]),
      [
        ['producers', 1, 'zeromq.js'],
        ['workers', 1, 'zeromq.js'],
      ],
    );
  });

  it('throws a ScenarioError with the problems validate returns', () => {
    assert.throws(
      () => parseScenario(BAD),
      (e: unknown) => e instanceof ScenarioError && JSON.stringify(e.problems) === JSON.stringify(validate(BAD)),
    );
  });
});

it('loads no zeromq: importing the package, loading and validating never start the runtime', async () => {
  await loadScenario(join(scenariosDir, 'pipeline.yaml'));
  validate(PUSH_PULL);
  const loaded = Object.keys(createRequire(import.meta.url).cache);
  assert.ok(
    loaded.some((p) => p.includes('yaml')),
    'CommonJS packages show in the cache',
  );
  assert.deepEqual(
    loaded.filter((p) => /[\\/]node_modules[\\/](zeromq|koffi)[\\/]/.test(p)),
    [],
  );
});
