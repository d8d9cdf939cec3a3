import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { isBenchError } from '../../../src/core/errors.js';
import { parseScenarioText } from '../../../src/scenario/load.js';
import { scenarioAsRun } from '../../../src/scenario/as-run.js';
import { applyOverrides } from '../../../src/scenario/overrides.js';
import type { Placement, Scenario } from '../../../src/scenario/schema.js';
import { scenarioOf } from '../../support/validation.js';
import { base, CLIENT, group, set, withChange, withEvents, WORKERS } from '../../support/fault-scenario.js';

/**
 * Issue 4 in the file format, continued (scenario-faults): the overrides that touch placement
 * and events, the as-run round trip, and the fault examples of docs/scenarios.md.
 */

describe('overrides: --placement, and what overrides make impossible', () => {
  it('--placement sets every group; process drops threads', () => {
    const s = scenarioOf(withChange(set(WORKERS, { threads: 2 })));
    const p = applyOverrides(s, { placement: 'process' });
    assert.deepEqual(
      p.groups.map((g) => [g.placement, g.threads]),
      Array(5).fill(['process', 1]),
    );
    assert.deepEqual(s.groups[WORKERS]!.placement, 'thread');
    const back = applyOverrides(scenarioOf(withChange(set(WORKERS, { placement: 'process' }))), { placement: 'thread' });
    assert.deepEqual(
      back.groups.map((g) => g.placement),
      Array(5).fill('thread'),
    );
  });

  it('refuses an unknown placement', () => {
    assert.throws(
      () => applyOverrides(scenarioOf(base()), { placement: 'fork' as Placement }),
      (e: unknown) => isBenchError(e) && e.exitCode === 104 && e.problems[0] === 'placement: must be "thread" or "process", got "fork"',
    );
  });

  it('refuses inproc with processes, naming the flag', () => {
    const refused = (s: Scenario, o: Parameters<typeof applyOverrides>[1], line: string) =>
      assert.throws(
        () => applyOverrides(s, o),
        (e: unknown) => isBenchError(e) && e.exitCode === 104 && e.problems.length === 1 && e.problems[0] === line,
      );
    const why = '(inproc does not cross processes)';
    const tcp = scenarioOf(base());
    const inproc = scenarioOf(withChange((s) => (s['transport'] = 'inproc')));
    const inProcesses = scenarioOf(withChange(set(WORKERS, { placement: 'process' })));
    refused(tcp, { placement: 'process', transport: 'inproc' }, `--placement process cannot be used with --transport inproc ${why}`);
    refused(
      inproc,
      { placement: 'process' },
      `--placement process cannot be used with scenario "faults", whose transport is inproc ${why}`,
    );
    refused(
      inProcesses,
      { transport: 'inproc' },
      `--transport inproc cannot be used with scenario "faults": group "workers" has placement: process ${why}; add --placement thread`,
    );
    assert.equal(applyOverrides(inProcesses, { transport: 'inproc', placement: 'thread' }).transport, 'inproc');
    assert.equal(applyOverrides(inproc, { placement: 'process', transport: 'ipc' }).groups[0]!.placement, 'process');
  });

  it('refuses a --duration that ends before the last event', () => {
    const s = scenarioOf(withChange(withEvents({ at: '1s', kill: 'server' }, { at: '3s', restart: 'server' })));
    assert.throws(
      () => applyOverrides(s, { durationMs: 2000 }),
      (e: unknown) =>
        isBenchError(e) &&
        e.problems[0] ===
          '--duration 2s is too short for scenario "faults": its last event happens at 3s, and events must happen within the duration',
    );
    assert.equal(applyOverrides(s, { durationMs: 3000 }).durationMs, 3000);
  });
});

describe('the scenario as run, with placement, retry and events', () => {
  it('validates to the same scenario, every field written out', () => {
    const original = scenarioOf(
      withChange((s) => {
        s['transport'] = 'ipc';
        Object.assign(group(s, WORKERS), { placement: 'process' });
        Object.assign(group(s, CLIENT), { retry: { timeout: '250ms', retries: 0 } });
        Object.assign(group(s, 4), { placement: 'process' });
        s['events'] = [
          { at: '2500us', kill: 'workers[3]' },
          { at: '1s', kill: 'server' },
          { at: '1s', pause: 'vent' },
          { at: '1500ms', pause: 'client', what: 'sending' },
          { at: '2s', restart: 'server' },
          { at: '2s', resume: 'client' },
          { at: '4s', restart: 'workers[3]' },
          { at: '5s', pause: 'workers' },
          { at: '6s', resume: 'workers[0]', what: 'receiving' },
          { at: '10s', stop: 'vent' },
        ];
      }),
    );
    const asRun = JSON.parse(JSON.stringify(scenarioAsRun(original))) as {
      events: unknown[];
      topology: { groups: Record<string, unknown>[] };
    };
    assert.deepEqual(scenarioOf(asRun), original);
    assert.deepEqual(asRun.events, [
      { at: '2500us', kill: 'workers[3]' },
      { at: '1s', kill: 'server' },
      { at: '1s', pause: 'vent', what: 'sending' },
      { at: '1500ms', pause: 'client', what: 'sending' },
      { at: '2s', restart: 'server' },
      { at: '2s', resume: 'client' },
      { at: '4s', restart: 'workers[3]' },
      { at: '5s', pause: 'workers' },
      { at: '6s', resume: 'workers[0]', what: 'receiving' },
      { at: '10s', stop: 'vent' },
    ]);
    const [vent, workers, , client, server] = asRun.topology.groups;
    assert.deepEqual([vent!['threads'], vent!['placement']], [1, 'thread']);
    assert.deepEqual([workers!['threads'], workers!['placement'], 'threads' in workers!], [undefined, 'process', false]);
    assert.deepEqual(server!['placement'], 'process');
    assert.deepEqual(client!['retry'], { timeout: '250ms', retries: 0 });
    assert.equal('retry' in vent!, false);
  });

  it('stays valid after --placement process on groups with threads', () => {
    const s = applyOverrides(scenarioOf(withChange(set(WORKERS, { threads: 4 }))), { placement: 'process' });
    const asRun = JSON.parse(JSON.stringify(scenarioAsRun(s))) as unknown;
    assert.deepEqual(scenarioOf(asRun), s);
  });

  it('writes events: [] when there are none', () => {
    assert.deepEqual(scenarioAsRun(scenarioOf(base())).events, []);
  });
});

describe('the fault examples of docs/scenarios.md', () => {
  const doc = readFileSync(new URL('../../../../docs/scenarios.md', import.meta.url), 'utf8');
  const example = (name: string): Scenario => {
    const yaml = new RegExp('```yaml\\n(name: ' + name + '\\n[\\s\\S]*?)```').exec(doc)?.[1];
    assert.ok(yaml, `docs/scenarios.md has the ${name} example`);
    return parseScenarioText(yaml, `docs/scenarios.md (${name})`);
  };
  const brief = (s: Scenario) => s.events.map((e) => [e.atMs, e.action, e.instance === null ? e.group : `${e.group}[${e.instance}]`]);

  it('a rep killed at 1 s and restarted at 2 s, with a lazy pirate client', () => {
    const s = example('server-crash');
    assert.deepEqual(brief(s), [
      [1000, 'kill', 'server'],
      [2000, 'restart', 'server'],
    ]);
    assert.deepEqual(s.groups[0]!.retry, { timeoutMs: 250, retries: 5 });
    assert.equal(s.groups[1]!.placement, 'process');
  });

  it('a worker killed and restarted', () => {
    assert.deepEqual(brief(example('worker-crash')), [
      [2000, 'kill', 'workers[1]'],
      [4000, 'restart', 'workers[1]'],
    ]);
  });

  it('a subscriber that leaves and comes back', () => {
    assert.deepEqual(brief(example('subscriber-returns')), [
      [1000, 'kill', 'readers[0]'],
      [3000, 'restart', 'readers[0]'],
    ]);
  });

  it('the events shape shown first', () => {
    const yaml = /```yaml\n(events:\n[\s\S]*?)```/.exec(doc)?.[1];
    assert.ok(yaml);
    const s = parseScenarioText(
      `name: shape\nduration: 5s\ntopology:\n  endpoints: [tasks, results]\n  groups:\n    - { name: ventilator, type: push, bind: tasks }\n    - { name: workers, type: pull, count: 4, connect: tasks, forward: { type: push, connect: results } }\n    - { name: sink, type: pull, bind: results }\n${yaml}`,
      'shape.yaml',
    );
    assert.deepEqual(brief(s), [
      [1000, 'pause', 'sink'],
      [2000, 'kill', 'workers[1]'],
      [2000, 'resume', 'sink'],
      [3000, 'restart', 'workers[1]'],
      [4000, 'stop', 'ventilator'],
    ]);
  });
});
