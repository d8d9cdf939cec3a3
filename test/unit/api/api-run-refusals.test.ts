import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ScenarioError, parseScenario, run } from '../../../src/index.js';
import { PUSH_PULL } from '../../support/validation.js';

/**
 * What run() refuses before anything runs (no worker is started, so these are quick): a
 * ScenarioError with one line per problem, never an exit.
 */

async function refused(fn: () => Promise<unknown>): Promise<readonly string[]> {
  try {
    await fn();
  } catch (e) {
    assert.ok(e instanceof ScenarioError, String(e));
    return e.problems;
  }
  return assert.fail('expected a ScenarioError');
}

describe('run() refuses', () => {
  it("a scenario file's object, which goes through parseScenario first", async () => {
    const problems = await refused(() => run(PUSH_PULL as never));
    assert.match(problems[0]!, /^scenario: expected a Scenario from loadScenario or parseScenario/);
  });

  it('a Scenario changed in code into one validation refuses', async () => {
    const s = parseScenario(PUSH_PULL);
    s.durationMs = -1;
    s.groups[0]!.count = 0;
    const problems = await refused(() => run(s));
    assert.ok(problems.length === 2, problems.join('\n'));
    assert.ok(problems.every((p) => p.startsWith('scenario "p": ')));
  });

  it('overrides the CLI refuses, with its lines', async () => {
    const curve = parseScenario({ ...PUSH_PULL, curve: true });
    const problems = await refused(() => run(curve, { transport: 'inproc' }));
    assert.deepEqual(problems, [
      '--transport inproc cannot be used with scenario "p", which has curve on (CURVE needs tcp or ipc; inproc has no security handshake)',
    ]);
    assert.deepEqual(await refused(() => run(parseScenario(PUSH_PULL), { duration: 0 })), ['duration: must be from 1us to 24h, got 0ms']);
  });

  it('misspelt options, agents without hosts and a results folder that cannot be written', async () => {
    const s = parseScenario(PUSH_PULL);
    assert.match((await refused(() => run(s, { quiet: true, timeout: 5 } as never)))[0]!, /^options\.timeout: not an option/);
    assert.match(
      (await refused(() => run(s, { agents: 'far=tcp://127.0.0.1:1' })))[0]!,
      /^--agents far: no scenario of this run has a host labelled far/,
    );
    assert.match((await refused(() => run(s, { outDir: '/proc/zmq-bench-api' })))[0]!, /^outDir/);
  });
});
