import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadNativeEngine } from '../../src/engine/native/native-engine.js';
import { runScenario } from '../../src/runtime/run.js';
import { parseScenarioText } from '../../src/scenario/load.js';
import { group } from '../support/run-shipped.js';

/**
 * RADIO/DISH through the whole harness (plan, roles, meters, aggregation) with exact counts: a
 * few hundred small datagrams a second on loopback fit every buffer, so none can be lost. The
 * engines are mixed on purpose, so one run covers both. Each engine's sockets over every
 * transport are in test/integration/pair-radio-dish.test.ts; PAIR and RADIO/DISH through the
 * harness again in the verify test (their shipped claims, pair-threads and radio-dish-telemetry).
 * A run costs 2-3 s of start-up and teardown here, hence one.
 */

const native = loadNativeEngine();
const skip = 'reason' in native ? native.reason : false;

describe('RADIO/DISH run', () => {
  it('RADIO/DISH over udp (a zeromq.js radio, a native and a zeromq.js dish): each dish gets exactly its groups', { skip }, async () => {
    const r = await runScenario(
      parseScenarioText(
        `
name: radio-exact
transport: udp
duration: 3s
topology:
  endpoints: [a, b]
  groups:
    - { name: radio, type: radio, connect: [a, b], rate: 1000, messages: 300, topics: [temp, temperature, pressure] }
    - { name: temp, type: dish, engine: native, bind: a, join: [temp] }
    - { name: weather, type: dish, bind: b, join: [temperature, pressure] }
`,
        'radio-exact.yaml',
      ),
    );
    assert.deepEqual(r.problems, []);
    assert.equal(group(r, 'radio').sent, 300);
    const temp = group(r, 'temp');
    const weather = group(r, 'weather');
    assert.deepEqual([temp.received, temp.expected, temp.lost, temp.prefixes], [100, 100, 0, { counts: { temp: 100 }, unmatched: 0 }]);
    assert.deepEqual(
      [weather.received, weather.expected, weather.lost, weather.prefixes],
      [200, 200, 0, { counts: { temperature: 100, pressure: 100 }, unmatched: 0 }],
    );
    assert.equal(group(r, 'radio').blocked.ms, 0);
  });
});
