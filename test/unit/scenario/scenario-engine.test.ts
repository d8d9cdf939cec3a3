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

  it('a run asks each group engine whether it can run here (the native one cannot yet)', () => {
    assert.equal(engineUnavailable('zeromq.js'), null);
    assert.match(engineUnavailable('native') ?? '', /native engine/);
    const s = parseScenarioText(text('', ', engine: native'), 'e.yaml');
    assert.deepEqual(engineProblems(s), [`eng: topology.groups[0].engine: ${engineUnavailable('native')}`]);
  });
});
