import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Push, Subscriber } from 'zeromq';
import type { RunResult } from '../../src/core/types.js';
import { judgeRun } from '../../src/ci/outcome.js';
import { runScenario } from '../../src/runtime/run.js';
import { loadScenario } from '../../src/scenario/load.js';
import { applyOverrides } from '../../src/scenario/overrides.js';
import type { Scenario } from '../../src/scenario/schema.js';
import { retargetExternal } from '../../src/scenario/validate-external.js';
import { pythonZmqProblem, withPeer } from '../support/python-peer.js';
import { group, scenariosDir } from '../support/run-shipped.js';

/**
 * zmq-bench against peers it did not start and that know nothing of its header: the seeds'
 * Python examples (test/peers) driven by the shipped scenarios in scenarios/external.
 */

async function shipped(file: string, endpoints: Record<string, string>, durationMs: number): Promise<Scenario> {
  const loaded = applyOverrides(await loadScenario(`${scenariosDir}external/${file}`), { durationMs });
  const { scenarios, problems } = retargetExternal([loaded], endpoints, false);
  assert.deepEqual(problems, []);
  return scenarios[0]!;
}

/** A shipped scenario aimed at the given endpoints, changed by `edit` if given, and run. */
async function shippedRun(
  file: string,
  endpoints: Record<string, string>,
  durationMs: number,
  edit?: (s: Scenario) => void,
): Promise<{ s: Scenario; r: RunResult }> {
  const s = await shipped(file, endpoints, durationMs);
  edit?.(s);
  return { s, r: await runScenario(s) };
}

function assertValid(r: RunResult): void {
  assert.deepEqual(r.problems, [], `problems: ${r.problems.join('; ')}`);
  assert.equal(r.complete, true);
}

const CLI = fileURLToPath(new URL('../../src/cli.js', import.meta.url));

let ipcDir = '';
before(() => {
  const problem = pythonZmqProblem();
  if (problem) throw new Error(problem);
  ipcDir = mkdtempSync(join(tmpdir(), 'zb-py-'));
});
after(() => rmSync(ipcDir, { recursive: true, force: true }));

describe("the seeds' hello world server (python REP)", () => {
  for (const transport of ['tcp', 'ipc'] as const) {
    test(`every request over ${transport} is answered "World", checked and timed as a round trip`, async () => {
      const address = transport === 'tcp' ? 'tcp://127.0.0.1:*' : `ipc://${join(ipcDir, 'hello')}`;
      const {
        ours: { s, r },
        theirs,
      } = await withPeer('hello_world_server.py', address, [], (endpoint) => shippedRun('hello-world.yaml', { server: endpoint }, 1000));
      const answered = theirs['answered'];
      assertValid(r);
      const clients = group(r, 'clients');
      assert.ok(clients.sent > 50, `sent ${clients.sent}`);
      assert.equal(clients.received, clients.sent, 'every request answered');
      assert.equal(answered, clients.sent, 'the server answered exactly what was sent');
      assert.equal(clients.requests?.stalled, 0);
      assert.equal(clients.lost, 0);
      assert.equal(clients.content?.checked, clients.received);
      assert.equal(clients.content?.mismatched, 0);
      assert.equal(clients.latencyKind, 'round-trip');
      assert.ok(clients.latency.count > 0 && clients.latency.p50 > 0);
      assert.ok(judgeRun(r, s.thresholds).thresholds?.every((t) => t.passed));
    });
  }

  test('a reply that is not what the check wants is counted as a mismatch and shown', async () => {
    const {
      ours: { s, r },
    } = await withPeer('hello_world_server.py', 'tcp://127.0.0.1:*', ['--reply', 'Welt'], (endpoint) =>
      shippedRun('hello-world.yaml', { server: endpoint }, 500),
    );
    const clients = group(r, 'clients');
    assert.ok(clients.received > 0);
    assert.equal(clients.content?.mismatched, clients.received);
    assert.deepEqual(clients.content?.mismatchExamples, ['"Welt"', '"Welt"', '"Welt"']);
    const failed = judgeRun(r, s.thresholds).thresholds?.find((t) => t.metric === 'mismatched');
    assert.equal(failed?.passed, false);
  });

  test('the shipped scenario, run by the CLI as shipped, gets "World" every time and exits 0', async () => {
    const out = join(ipcDir, 'cli-out');
    const { ours: exit, theirs } = await withPeer('hello_world_server.py', 'tcp://127.0.0.1:*', [], async (endpoint) => {
      const args = [
        CLI,
        'run',
        `${scenariosDir}external/hello-world.yaml`,
        '--endpoint',
        `server=${endpoint}`,
        '--duration',
        '500ms',
        '--out',
        out,
      ];
      return promisify(execFile)(process.execPath, args, { env: { ...process.env, NO_COLOR: '1' }, timeout: 60_000 }).then(
        () => 0,
        (e: { code?: number }) => e.code,
      );
    });
    const r = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as RunResult;
    const clients = group(r, 'clients');
    assert.equal(exit, 0);
    assert.ok(clients.received > 0);
    assert.equal(clients.content?.checked, clients.received);
    assert.equal(clients.content?.mismatched, 0);
    assert.equal(theirs['answered'], clients.sent);
  });

  test('the seed\'s server answers anything but "hello" with "success"', async () => {
    const {
      ours: { r },
    } = await withPeer('hello_world_server.py', 'tcp://127.0.0.1:*', [], (endpoint) =>
      shippedRun('hello-world.yaml', { server: endpoint }, 300, (s) => (s.groups[0]!.payload = [{ kind: 'string', template: 'Hello' }])),
    );
    const clients = group(r, 'clients');
    assert.ok(clients.received > 0);
    assert.equal(clients.content?.mismatched, clients.received);
    assert.deepEqual(clients.content?.mismatchExamples, ['"success"', '"success"', '"success"']);
  });

  test('dealers with several requests in flight get every reply, matched in order', async () => {
    const {
      ours: { r },
      theirs,
    } = await withPeer('hello_world_server.py', 'tcp://127.0.0.1:*', [], (endpoint) =>
      shippedRun('hello-world.yaml', { server: endpoint }, 800, (s) => (s.groups[0] = { ...s.groups[0]!, type: 'dealer', window: 4 })),
    );
    const answered = theirs['answered'];
    assertValid(r);
    const clients = group(r, 'clients');
    assert.ok(clients.sent > 20);
    assert.equal(clients.received, clients.sent);
    assert.equal(answered, clients.sent);
    assert.equal(clients.content?.mismatched, 0);
    assert.equal(clients.latencyKind, 'round-trip');
  });
});

describe("the seeds' weather server (python PUB)", () => {
  test('each subscription prefix gets exactly its share of the feed, and nothing else arrives', async () => {
    const {
      ours: { r },
      theirs,
    } = await withPeer('weather_publisher.py', 'tcp://127.0.0.1:*', ['--rate', '2000'], (endpoint) =>
      shippedRun('weather-feed.yaml', { feed: endpoint }, 1000),
    );
    const published = theirs['perZipcode'] as Record<string, number>;
    assertValid(r);
    const subs = group(r, 'nyc-and-twenties');
    const counts = subs.prefixes!.counts;
    assert.equal(subs.prefixes!.unmatched, 0, 'the publisher filtered: nothing outside the prefixes arrived');
    assert.equal(counts['10001 ']! + counts['2']!, subs.received, 'the two prefixes do not overlap here');
    // zipcodes 10001, 10002, 20001, 30001 in turn: a contiguous stretch of the feed holds as many of each, ±1
    assert.ok(Math.abs(counts['10001 ']! - counts['2']!) <= 1, `per prefix ${JSON.stringify(counts)}`);
    assert.ok(counts['10001 ']! > 100 && counts['10001 ']! <= published['10001']!);
    assert.equal(subs.content?.mismatched, 0, 'every message is "zipcode temperature humidity"');
    assert.equal(subs.content?.checked, subs.received);
    assert.ok(subs.content.interArrival.p50 > 0);
    assert.ok(subs.content.bytes.min >= 10 && subs.content.bytes.max <= 13, `sizes ${JSON.stringify(subs.content.bytes)}`);
  });

  for (const format of ['json', 'binary'] as const) {
    test(`a feed numbering its messages (${format}) shows no gaps when none were lost`, async () => {
      const {
        ours: { r },
      } = await withPeer('weather_publisher.py', 'tcp://127.0.0.1:*', ['--rate', '2000', '--format', format], (endpoint) =>
        shippedRun('sequenced-feed.yaml', { feed: endpoint }, 800, (s) => {
          if (format === 'binary') s.groups[0]!.sequence = { kind: 'binary', offset: 0, type: 'u64be' };
        }),
      );
      assertValid(r);
      const q = group(r, 'everything').content!.sequence!;
      assert.equal(q.unreadable, 0);
      assert.equal(q.missing, 0);
      assert.equal(q.backwards, 0);
      assert.equal(q.last - q.first + 1, group(r, 'everything').received, 'a contiguous run of numbers');
    });
  }
});

describe("the seeds' task sink (python PULL)", () => {
  test('the sink counts exactly what zmq-bench pushed', async () => {
    const {
      ours: { r },
      theirs: counted,
    } = await withPeer('task_sink.py', 'tcp://127.0.0.1:*', [], (endpoint) =>
      shippedRun('task-sink.yaml', { sink: endpoint }, 1000, (s) => (s.groups[0]!.messages = 600)),
    );
    assertValid(r);
    const ventilator = group(r, 'ventilator');
    assert.equal(ventilator.sent, 600);
    assert.equal(counted['received'], 600);
    assert.ok(r.totals.throughput.msgsPerSec > 0, 'what was offered stands in for throughput');
  });
});

describe('binding an external endpoint for a peer that connects', () => {
  test("a pull binds the given address and counts a foreign pusher's messages", async () => {
    const address = `ipc://${join(ipcDir, 'inbox')}`;
    const s: Scenario = {
      ...(await shipped('task-sink.yaml', {}, 2500)), // time for the foreign pusher to (re)connect on a loaded machine
      name: 'inbox',
      external: { inbox: address },
      endpoints: ['inbox'],
      groups: [],
    };
    const loaded = await loadScenario(`${scenariosDir}external/weather-feed.yaml`);
    s.groups = [
      {
        ...loaded.groups[0]!,
        name: 'inbox',
        type: 'pull',
        subscribe: [],
        bind: ['inbox'],
        connect: [],
        check: { kind: 'equals', text: 'hello' },
      },
    ];
    const push = new Push({ linger: 0 });
    push.connect(address); // before the bind: ZeroMQ connects when the address appears
    const sending = (async () => {
      for (let i = 0; i < 100; i++) await push.send('hello');
    })();
    try {
      const r = await runScenario(s);
      await sending;
      assertValid(r);
      const inbox = group(r, 'inbox');
      assert.equal(inbox.received, 100);
      assert.equal(inbox.content?.mismatched, 0);
    } finally {
      push.close();
    }
  });
});

describe('a pub binding an external endpoint for foreign subscribers', () => {
  test('the subscriber gets the payload in order, and never a barrier probe', async () => {
    const address = `ipc://${join(ipcDir, 'quotes')}`;
    const sub = new Subscriber({ linger: 0 });
    sub.connect(address); // before the bind: ZeroMQ connects when the address appears
    sub.subscribe('quote ');
    const got: string[] = [];
    const reading = (async () => {
      for await (const [frame] of sub) got.push(frame!.toString());
    })().catch(() => undefined); // ends when the socket is closed
    const base = await shipped('task-sink.yaml', {}, 1500);
    const s: Scenario = { ...base, name: 'quotes', warmupMs: 300, external: { quotes: address }, endpoints: ['quotes'] };
    s.groups = [
      {
        ...base.groups[0]!,
        name: 'quotes',
        type: 'pub',
        messages: null,
        ratePerSec: 200,
        connect: [],
        bind: ['quotes'],
        payload: [{ kind: 'string', template: 'quote {{seq}}' }],
      },
    ];
    let sent = 0;
    try {
      const r = await runScenario(s);
      assertValid(r);
      sent = group(r, 'quotes').sent;
    } finally {
      sub.close();
      await reading;
    }
    assert.ok(sent > 100 && got.length > 50, `sent ${sent}, received ${got.length}`);
    assert.deepEqual(
      got.filter((m) => !/^quote \d+$/.test(m)),
      [],
      'only the payload: no header frame or probe reached the foreign subscriber',
    );
    const seqs = got.map((m) => Number(m.slice('quote '.length)));
    assert.deepEqual(
      seqs,
      seqs.map((_, i) => seqs[0]! + i),
      'in order, without gaps once joined',
    );
  });
});

describe('a service that is not there', () => {
  test('the start barrier fails with where the service was expected', async () => {
    const s = await shipped('hello-world.yaml', { server: 'tcp://127.0.0.1:9' }, 500);
    const r = await runScenario(s, { barrierTimeoutMs: 600 });
    assert.equal(r.complete, false);
    assert.match(r.problems.join('\n'), /start barrier not reached .* \(is the service running at tcp:\/\/127\.0\.0\.1:9\?\)/);
  });
});
