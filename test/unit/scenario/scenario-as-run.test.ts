import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { scenarioAsRun } from '../../../src/scenario/as-run.js';
import type { Scenario } from '../../../src/scenario/schema.js';
import { loadRunnable } from '../../../src/scenario/suite.js';
import { retargetExternal } from '../../../src/scenario/validate-external.js';
import { scenariosDir } from '../../support/run-shipped.js';
import { scenarioOf } from '../../support/validation.js';

/**
 * result.json's `scenario` block must validate again to the scenario that ran (issue 17,
 * item 12: external endpoints, payload and check were dropped and `size: 64` added).
 */

/** The block as result.json holds it: through JSON, as written to disk. */
const asRunJson = (s: Scenario): unknown => JSON.parse(JSON.stringify(scenarioAsRun(s))) as unknown;

/** File payloads carry their bytes once loaded; the block keeps the path only (see as-run.ts). */
function withoutFileBytes(s: Scenario): Scenario {
  const copy = structuredClone(s);
  for (const g of copy.groups) for (const p of g.payload ?? []) if (p.kind === 'file') p.base64 = '';
  return copy;
}

function assertRoundTrip(s: Scenario, where: string): void {
  assert.deepEqual(scenarioOf(asRunJson(s)), withoutFileBytes(s), `${where}: the as-run block validates to another scenario`);
}

describe('scenario as run: the inverse of validation', () => {
  it('gives back every variant of every shipped scenario and suite', async () => {
    const files = [
      ...(await readdir(scenariosDir)).filter((f) => f.endsWith('.yaml')),
      ...(await readdir(join(scenariosDir, 'external'))).map((f) => `external/${f}`),
      ...(await readdir(join(scenariosDir, 'suites'))).map((f) => `suites/${f}`),
    ];
    let variants = 0;
    let matrices = 0;
    for (const file of files) {
      const loaded = await loadRunnable(join(scenariosDir, file));
      if (loaded.entries.some((e) => Object.keys(e.coordinates).length > 0)) matrices++;
      for (const e of loaded.entries) {
        assertRoundTrip(e.scenario, `${file} ${e.name ?? ''}`);
        variants++;
      }
    }
    // the shipped files have matrices, external endpoints, payloads, checks, faults, thresholds
    assert.ok(matrices > 0 && variants > files.length, `${variants} variants of ${files.length} files, ${matrices} with a matrix`);
  });

  it('keeps external endpoints, payload and check, and adds no size beside a payload', async () => {
    const hello = (await loadRunnable(join(scenariosDir, 'external/hello-world.yaml'))).entries[0]!.scenario;
    const block = asRunJson(hello) as { topology: { endpoints: unknown[]; groups: Array<Record<string, unknown>> } };
    assert.deepEqual(block.topology.endpoints, [{ name: 'server', external: hello.external['server'] }]);
    const clients = block.topology.groups[0]!;
    assert.deepEqual(clients['payload'], { string: (hello.groups[0]!.payload![0] as { template: string }).template });
    assert.ok(clients['check'] !== undefined);
    assert.equal(clients['size'], undefined);
  });

  it('writes the address an --endpoint override pointed the run at', async () => {
    const hello = (await loadRunnable(join(scenariosDir, 'external/hello-world.yaml'))).entries[0]!.scenario;
    const { scenarios, problems } = retargetExternal([hello], { server: 'tcp://127.0.0.1:6001' }, false);
    assert.deepEqual(problems, []);
    const again = scenarioOf(asRunJson(scenarios[0]!));
    assert.deepEqual(again.external, { server: 'tcp://127.0.0.1:6001' });
  });

  describe('a scenario with every field', () => {
    let dir = '';
    before(async () => {
      dir = await mkdtemp(join(tmpdir(), 'zb-as-run-'));
    });
    after(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('validates again to the same scenario', async () => {
      await writeFile(join(dir, 'body.bin'), Buffer.from([0, 1, 2, 255]));
      await writeFile(join(dir, 'frame.bin'), 'frame');
      const file = {
        name: 'everything',
        description: 'every field the serializer must write back',
        transport: 'ipc',
        duration: '2s',
        warmup: '250ms',
        drain: '1500us',
        sampleInterval: '50ms',
        barrier: false,
        start: 'connect-first',
        maxSendLag: '3ms',
        curve: { serverPublicKey: 'Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hID' },
        topology: {
          endpoints: [
            'work',
            'out',
            'feed',
            { name: 'service', external: 'tcp://127.0.0.1:5999' },
            { name: 'inbox', external: 'ipc:///tmp/zb-as-run-inbox' },
          ],
          groups: [
            {
              name: 'vent',
              type: 'push',
              count: 2,
              threads: 2,
              bind: 'work',
              size: '1KiB',
              rate: { ramp: { from: 10, to: 100, over: '1s' } },
              messages: 500,
              whenBlocked: 'give-up',
              giveUpAfter: '5ms',
              options: { sndhwm: 10, linger: 0 },
            },
            {
              name: 'workers',
              type: 'pull',
              count: 3,
              connect: 'work',
              delay: [{ for: '500ms', delay: { uniform: { min: '1ms', max: '2ms' } } }, { delay: { exponential: { mean: '1ms' } } }],
              pauses: [{ at: '1s', for: '100ms' }],
              forward: { type: 'push', connect: 'out', options: { sndhwm: 5 } },
            },
            { name: 'sink', type: 'pull', bind: 'out', check: { matches: '^.+$' }, sequence: { offset: 8, type: 'u32le' } },
            {
              name: 'feeder',
              type: 'pub',
              bind: 'feed',
              rate: { bursts: { size: 10, every: '100ms' } },
              topics: ['a', 'b'],
              payload: { frames: [{ file: 'frame.bin' }, { random: 16 }] },
            },
            {
              name: 'listener',
              type: 'sub',
              connect: 'feed',
              subscribe: ['a'],
              check: { json: { field: 'x.y', equals: null } },
              sequence: { json: 'seq' },
            },
            {
              name: 'callers',
              type: 'req',
              placement: 'process',
              connect: 'service',
              retry: { timeout: '200ms', retries: 2 },
              misuse: 'send-twice',
              payload: { json: { n: '{{seq}}', who: '{{group}}-{{instance}}' } },
              check: { equals: 'ok' },
            },
            {
              name: 'dealers',
              type: 'dealer',
              connect: 'service',
              window: 7,
              rate: { steps: [{ rate: 50, for: '1s' }, { rate: 'max' }] },
              payload: { file: 'body.bin' },
            },
            { name: 'poster', type: 'push', bind: 'inbox', payload: { string: 'job {{seq}}' } },
          ],
        },
        expect: {
          behaviour: 'B7',
          claim: 'a claim',
          seed: 3,
          assertions: [{ that: 'groups.sink.received > 0', says: 'it arrives', required: false }],
        },
        thresholds: {
          latency: ['p(99) < 2ms', { threshold: 'avg < 1ms', abortOnFail: true, delayAbortEval: '500ms' }],
          'loss_rate{group:sink}': ['rate == 0'],
        },
        events: [
          { at: '500ms', pause: 'workers[1]', what: 'receiving' },
          { at: '1s', kill: 'sink' },
          { at: '1500ms', restart: 'sink' },
        ],
      };
      const path = join(dir, 'everything.json');
      await writeFile(path, JSON.stringify(file));
      const loaded = (await loadRunnable(path)).entries[0]!.scenario;
      assertRoundTrip(loaded, 'everything.json');
      // and once more: the block written from the block is the same block
      assert.deepEqual(asRunJson(scenarioOf(asRunJson(loaded))), asRunJson(loaded));
    });
  });
});
