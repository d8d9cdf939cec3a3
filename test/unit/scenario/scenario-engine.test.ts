import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { engineProblems, engineUnavailable } from '../../../src/engine/availability.js';
import { scenarioAsRun } from '../../../src/scenario/as-run.js';
import { parseScenarioText } from '../../../src/scenario/load.js';
import { expandMatrix } from '../../../src/scenario/matrix.js';
import { applyOverrides } from '../../../src/scenario/overrides.js';
import { thrownProblems } from '../../support/validation.js';

const text = (extra: string, groupExtra = '') => `
name: eng
${extra}
topology:
  endpoints: [e]
  groups:
    - { name: a, type: push, bind: e${groupExtra} }
    - { name: b, type: pull, connect: e }
`;

describe('engine: which binding drives a group', () => {
  it('is zeromq.js by default, the scenario sets every group, and a group setting wins', () => {
    assert.deepEqual(
      parseScenarioText(text(''), 'e.yaml').groups.map((g) => g.engine),
      ['zeromq.js', 'zeromq.js'],
    );
    assert.deepEqual(
      parseScenarioText(text('engine: native'), 'e.yaml').groups.map((g) => g.engine),
      ['native', 'native'],
    );
    assert.deepEqual(
      parseScenarioText(text('engine: native', ', engine: zeromq.js'), 'e.yaml').groups.map((g) => g.engine),
      ['zeromq.js', 'native'],
    );
  });

  it('refuses an unknown engine with its path', async () => {
    const problems = await thrownProblems(() => parseScenarioText(text('', ', engine: libzmq'), 'e.yaml'));
    assert.equal(problems.length, 1);
    assert.match(problems[0]!, /topology\.groups\[0\]\.engine/);
  });

  it('over inproc, a group of another engine than the first is refused with its path (one context per engine)', async () => {
    const own = await thrownProblems(() => parseScenarioText(text('transport: inproc', ', engine: native'), 'e.yaml'));
    assert.equal(own.length, 1, own.join('\n'));
    assert.match(
      own[0]!,
      /topology\.groups\[1\]: engine zeromq\.js \(the scenario's engine\) cannot be used with transport inproc beside group "a"'s engine native/,
    );
    const set = await thrownProblems(() =>
      parseScenarioText(text('transport: inproc\nengine: native').replace('connect: e }', 'connect: e, engine: zeromq.js }'), 'e.yaml'),
    );
    assert.equal(set.length, 1, set.join('\n'));
    assert.match(set[0]!, /topology\.groups\[1\]\.engine: engine zeromq\.js cannot be used with transport inproc/);
    // one engine over inproc, or mixed engines over tcp, are fine
    assert.equal(parseScenarioText(text('transport: inproc\nengine: native'), 'e.yaml').transport, 'inproc');
    assert.deepEqual(
      parseScenarioText(text('transport: tcp', ', engine: native'), 'e.yaml').groups.map((g) => g.engine),
      ['native', 'zeromq.js'],
    );
  });

  it('--transport inproc is refused for a scenario of mixed engines, unless --engine makes them one', async () => {
    const mixed = parseScenarioText(text('', ', engine: native'), 'e.yaml');
    const problems = await thrownProblems(() => applyOverrides(mixed, { transport: 'inproc' }));
    assert.equal(problems.length, 1, problems.join('\n'));
    assert.match(
      problems[0]!,
      /--transport inproc cannot be used with scenario "eng": group "b" has engine zeromq\.js and group "a" native/,
    );
    assert.deepEqual(
      applyOverrides(mixed, { transport: 'inproc', engine: 'native' }).groups.map((g) => g.engine),
      ['native', 'native'],
    );
  });

  it('--engine sets every group; the scenario as run names each group engine', () => {
    const s = applyOverrides(parseScenarioText(text('', ', engine: zeromq.js'), 'e.yaml'), { engine: 'native' });
    assert.deepEqual(
      s.groups.map((g) => g.engine),
      ['native', 'native'],
    );
    const asRun = scenarioAsRun(s) as { topology: { groups: Array<{ engine?: string }> } };
    assert.deepEqual(
      asRun.topology.groups.map((g) => g.engine),
      ['native', 'native'],
    );
  });

  it('is a matrix dimension, with a file-safe name part', () => {
    const raw = {
      name: 'eng',
      matrix: { engine: ['zeromq.js', 'native'] },
      topology: { endpoints: ['e'], groups: [{ name: 'a', type: 'push', bind: 'e' }] },
    };
    const expanded = expandMatrix(raw, {});
    assert.ok('variants' in expanded, JSON.stringify(expanded));
    assert.deepEqual(
      expanded.variants.map((v) => v.name),
      ['eng-zeromqjs', 'eng-native'],
    );
  });

  it('a run asks each group engine whether it can run here (the native one loads on this machine)', () => {
    assert.equal(engineUnavailable('zeromq.js'), null);
    assert.equal(engineUnavailable('native'), null);
    const s = parseScenarioText(text('', ', engine: native'), 'e.yaml');
    assert.deepEqual(engineProblems(s), []);
  });

  it('a group whose engine cannot load is named with its path and the reason', () => {
    const s = parseScenarioText(text('', ', engine: native'), 'e.yaml');
    const missing = (e: string) => (e === 'native' ? 'the native engine is not available: no libzmq' : null);
    assert.deepEqual(engineProblems(s, missing), ['eng: topology.groups[0].engine: the native engine is not available: no libzmq']);
  });
});
