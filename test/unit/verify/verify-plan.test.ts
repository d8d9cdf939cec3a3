import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseScenarioText } from '../../../src/scenario/load.js';
import type { EngineName } from '../../../src/scenario/schema.js';
import { catalogueHtml } from '../../../src/verify/catalogue-html.js';
import { planCatalogue, skippedLine, type CatalogueScenario } from '../../../src/verify-command.js';

/**
 * Which claims of the catalogue run and which are skipped: by transport, and (simulated) where
 * a claim's own scenario needs an engine this machine cannot load, which must not stop the rest.
 */

function claim(name: string, behaviour: string, engine: EngineName, transports = '[inproc, ipc, tcp]'): CatalogueScenario {
  const text = `
name: ${name}
transport: tcp
duration: 300ms
topology:
  endpoints: [feed]
  groups:
    - { name: publisher, type: pub, bind: feed, engine: ${engine} }
    - { name: subscriber, type: sub, connect: feed }
expect:
  behaviour: ${behaviour}
  claim: a claim
  seed: "001"
  transports: ${transports}
  assertions:
    - { that: "groups.subscriber.received > 0", says: something arrives }
`;
  return { file: `${name}.yaml`, scenario: parseScenarioText(text, `${name}.yaml`) };
}

const WHY = 'cannot load libzmq here (simulated)';
const noNative = (engine: EngineName) => (engine === 'native' ? WHY : null);
const catalogue = [claim('plain', 'B10', 'zeromq.js'), claim('fast-publisher', 'B10', 'native', '[ipc, tcp]')];

describe('planCatalogue', () => {
  it('runs every claim where every engine loads', () => {
    const plan = planCatalogue(catalogue, {}, () => null);
    assert.deepEqual(
      plan.run.map((c) => c.scenario.name),
      ['plain', 'fast-publisher'],
    );
    assert.deepEqual(plan.skipped, []);
  });

  it('skips, with the reason, a claim whose own scenario needs an engine that cannot load, and runs the others', () => {
    const plan = planCatalogue(catalogue, {}, noNative);
    assert.deepEqual(
      plan.run.map((c) => c.scenario.name),
      ['plain'],
    );
    assert.deepEqual(plan.skipped, [
      {
        behaviour: 'B10',
        claim: 'a claim',
        scenario: 'fast-publisher',
        transports: ['ipc', 'tcp'],
        why: `fast-publisher: topology.groups[0].engine: ${WHY}`,
      },
    ]);
    assert.equal(
      skippedLine(plan.skipped, undefined),
      `skipped B10, which cannot run here: fast-publisher: topology.groups[0].engine: ${WHY}`,
    );
    const page = catalogueHtml([], { generatedAt: new Date(0), toolVersion: '0', skipped: plan.skipped });
    assert.match(page, /<h3>Skipped<\/h3>/);
    assert.match(page, /scenario fast-publisher; fast-publisher: topology\.groups\[0\]\.engine: cannot load libzmq here \(simulated\)\)/);
  });

  it('--engine zeromq.js runs that claim on zeromq.js; --engine native where it cannot load is refused before anything runs', () => {
    const plan = planCatalogue(catalogue, { engine: 'zeromq.js' }, noNative);
    assert.deepEqual(
      plan.run.map((c) => c.scenario.groups.map((g) => g.engine)),
      [
        ['zeromq.js', 'zeromq.js'],
        ['zeromq.js', 'zeromq.js'],
      ],
    );
    assert.throws(() => planCatalogue(catalogue, { engine: 'native' }, noNative), /--engine native: cannot load libzmq here/);
  });

  it('a transport the claim is not made for skips it as before, on one line with the transports it applies to', () => {
    const plan = planCatalogue(catalogue, { transport: 'inproc' }, noNative);
    assert.deepEqual(
      plan.run.map((c) => c.scenario.name),
      ['plain'],
    );
    assert.equal(skippedLine(plan.skipped, 'inproc'), 'skipped on inproc, where it is not claimed: B10 (ipc, tcp)');
    const page = catalogueHtml([], { generatedAt: new Date(0), toolVersion: '0', skipped: plan.skipped, transport: 'inproc' });
    assert.match(page, /<h3>Skipped: not claimed for inproc<\/h3>/);
  });
});
