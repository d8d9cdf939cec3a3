import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parse } from 'yaml';
import { engineProblems } from '../../../src/engine/availability.js';
import { scenarioAsRun } from '../../../src/scenario/as-run.js';
import { loadScenario } from '../../../src/scenario/load.js';
import { applyOverrides } from '../../../src/scenario/overrides.js';
import { planTopology } from '../../../src/scenario/plan.js';
import { PrefixCounts } from '../../../src/stats/prefix-counts.js';
import { EndpointAllocator } from '../../../src/transport/endpoints.js';
import { problemsOf, scenarioOf, thrownProblems } from '../../support/validation.js';

/** PAIR, RADIO/DISH and udp: what validation accepts and refuses (one line per problem, with its path), and what the plan makes of them. */

const PAIR = `
name: p
transport: inproc
topology:
  endpoints: [link]
  groups:
    - { name: tx, type: pair, side: sender, bind: link, rate: 100, messages: 50 }
    - { name: rx, type: pair, side: receiver, connect: link, delay: 1ms }
`;

const TELEMETRY = `
name: t
transport: udp
topology:
  endpoints: [a, b]
  groups:
    - { name: radio, type: radio, connect: [a, b], topics: [temp, temperature, pressure] }
    - { name: temp, type: dish, bind: a, join: [temp] }
    - { name: weather, type: dish, bind: b, join: [temperature, pressure] }
`;

/** The file as written (not normalized), to break on purpose. */
function raw(text: string, change: (s: ScenarioObject) => void = () => {}): ScenarioObject {
  const s = parse(text) as ScenarioObject;
  change(s);
  return s;
}

type ScenarioObject = { topology: { groups: Record<string, unknown>[] } } & Record<string, unknown>;

/** A scenario named x of these groups (YAML flow mappings, one a line). */
const file = (transport: string, endpoints: string, groups: string) =>
  `name: x\ntransport: ${transport}\ntopology:\n  endpoints: [${endpoints}]\n  groups:\n${groups
    .trim()
    .split('\n')
    .map((g) => `    ${g.trim()}`)
    .join('\n')}\n`;

describe('PAIR', () => {
  it('is accepted as a sender and a receiver, and planned as push/pull are: the receiver tracks the sender exclusively', () => {
    const s = scenarioOf(raw(PAIR));
    assert.deepEqual(
      s.groups.map((g) => [g.type, g.side, g.ratePerSec, g.messages]),
      [
        ['pair', 'sender', 100, 50],
        ['pair', 'receiver', null, null],
      ],
    );
    const plan = planTopology(s);
    const [tx, rx] = plan.roles;
    assert.deepEqual([tx!.side, tx!.tracking, tx!.sendsProbes], ['sender', 'none', false]);
    assert.deepEqual([rx!.side, rx!.tracking, rx!.streams], ['receiver', 'exclusive', [{ sourceId: 0, stream: 0 }]]);
    assert.deepEqual(plan.terminal, { tx: false, rx: true });
  });

  it('writes side back in the scenario as run, which validates to the same scenario', () => {
    const s = scenarioOf(raw(PAIR));
    const again = scenarioOf(JSON.parse(JSON.stringify(scenarioAsRun(s))));
    assert.deepEqual(again.groups, s.groups);
  });

  it('refuses a pair without a side, fields of the other side, a third PAIR, two senders, count and endpoints other than one', () => {
    const problems = problemsOf(
      raw(
        file(
          'inproc',
          'a, b',
          `
- { name: s, type: pair, bind: a, count: 2 }
- { name: r, type: pair, side: receiver, connect: a, rate: 10 }
- { name: r2, type: pair, side: sender, connect: a }
- { name: s2, type: pair, side: sender, bind: b, delay: 1ms }
- { name: r3, type: pair, side: sender, connect: [b, a] }
- { name: pull, type: pull, connect: b }
`,
        ),
      ),
    );
    assert.deepEqual(problems, [
      'topology.groups[0].side: is required for a pair group: sender (this PAIR sends) or receiver (it receives from the other)',
      'topology.groups[1].rate: is only for the pair that is the sender (side: sender), not side: receiver',
      'topology.groups[3].delay: is only for the pair that is the receiver (side: receiver), not side: sender',
      'topology.groups[5].connect: pull can only talk to push, got pair (group "s2" binds endpoint "b")',
      'topology.groups[0].count: must be 1: a PAIR socket talks to exactly one peer, got 2',
      'topology.groups[4].connect: must name one endpoint: a PAIR socket talks to exactly one peer, got 2',
      'topology.groups[2].connect: endpoint "a" has its two PAIR sockets already (group "s" and group "r"); a PAIR endpoint connects exactly two',
      'topology.groups[4].connect[1]: endpoint "a" has its two PAIR sockets already (group "s" and group "r"); a PAIR endpoint connects exactly two',
      'topology.groups[4].side: must be receiver: group "s2", the other PAIR of endpoint "b", is the sender, got "sender"',
    ]);
  });

  it('keeps send lag to the sender and stop events to the sender', () => {
    const s = raw(PAIR);
    s['thresholds'] = { 'send_lag{group:rx}': ['p(99) < 1ms'], 'send_lag{group:tx}': ['p(99) < 1ms'] };
    s['events'] = [{ at: '1s', stop: 'rx' }];
    assert.deepEqual(problemsOf(s), [
      'events[0].stop: is only for pub, push, req, dealer, xpub and radio groups and the sender of a pair (it ends a sender early), not pair',
      `thresholds["send_lag{group:rx}"]: send_lag applies to groups that send (pub, push, req, dealer, xpub, radio, and the sender of a pair); "rx" is a pair receiver group`,
    ]);
  });
});

describe('RADIO and DISH', () => {
  it('plan: a dish tracks the radio groups it joined, whole names, and waits for the radio probes; udp counts no handshakes', () => {
    const plan = planTopology(scenarioOf(raw(TELEMETRY)));
    const [radio, temp, weather] = plan.roles;
    assert.deepEqual([radio!.sendsProbes, radio!.topics, radio!.socket.handshakes], [true, ['temp', 'temperature', 'pressure'], 0]);
    // stream i is topic i: temp is 0, temperature 1, pressure 2
    assert.deepEqual(
      [temp!.join, temp!.streams, temp!.probesFrom, temp!.socket.handshakes],
      [['temp'], [{ sourceId: 0, stream: 0 }], [0], 0],
    );
    assert.deepEqual(weather!.streams, [
      { sourceId: 0, stream: 1 },
      { sourceId: 0, stream: 2 },
    ]);
    // over tcp the same topology waits for its handshakes
    const tcp = planTopology(applyOverrides(scenarioOf(raw(TELEMETRY)), { transport: 'tcp' }));
    assert.deepEqual(
      tcp.roles.map((r) => r.socket.handshakes),
      [2, 1, 1],
    );
  });

  it('refuses udp for other types and the wrong way round, missing or doubled groups, and groups or messages udp cannot carry', () => {
    const long = 'g'.repeat(128);
    const problems = problemsOf(
      raw(
        file(
          'udp',
          'a, b, c',
          `
- { name: radio, type: radio, bind: a, size: 8100, topics: [x, ${long}] }
- { name: dish, type: dish, connect: a, join: [x, x] }
- { name: quiet, type: radio, connect: b }
- { name: deaf, type: dish, bind: b }
- { name: pub, type: pub, bind: c }
- { name: sub, type: sub, connect: c }
`,
        ),
      ),
    );
    assert.deepEqual(problems, [
      `topology.groups[0].topics[1]: must be at most 127 bytes of UTF-8 over udp (libzmq's udp engine reads a longer group's length as negative and the dish aborts), got 128`,
      `topology.groups[0].size: must be at most 8063 bytes over udp: a message and its group (the longest is 128 bytes) travel in one datagram of at most 8192 bytes, and libzmq does not check (a dish gets it cut short, or the radio's memory is overrun), got 8100`,
      'topology.groups[1].join[1]: must not name a group twice (libzmq refuses a second join of a group: EINVAL), got "x"',
      'topology.groups[2].topics: is required for a radio group: the groups its messages are sent to, in turn (a RADIO sends each message to one group)',
      'topology.groups[3].join: is required for a dish group: the groups it joins, whole names (a DISH receives only groups it joined)',
      `topology.groups[4].type: must be radio or dish with transport udp (libzmq's udp transport carries RADIO and DISH only), got "pub"`,
      `topology.groups[5].type: must be radio or dish with transport udp (libzmq's udp transport carries RADIO and DISH only), got "sub"`,
      `topology.groups[0].bind: cannot be used by a radio over udp: each DISH binds a udp port and RADIOs connect to it (libzmq refuses a RADIO's udp bind); use connect`,
      `topology.groups[1].connect: cannot be used by a dish over udp: each DISH binds a udp port and RADIOs connect to it (libzmq refuses a DISH's udp connect: ENOCOMPATPROTO); use bind`,
    ]);
  });

  it('refuses curve with udp, and a group name with NUL or over 255 bytes anywhere', () => {
    const s = raw(TELEMETRY);
    s['curve'] = true;
    assert.deepEqual(problemsOf(s), ['curve: CURVE needs tcp or ipc (udp has no security handshake), got transport "udp"']);
    const names = raw(TELEMETRY, (x) => {
      x['transport'] = 'tcp';
      x.topology.groups[1]!['join'] = ['a\u0000b', 'é'.repeat(128)];
    });
    assert.deepEqual(problemsOf(names), [
      'topology.groups[1].join[0]: must not contain a NUL character (libzmq takes a group as a C string), got "a\\u0000b"',
      'topology.groups[1].join[1]: must be at most 255 bytes of UTF-8 (ZMQ_GROUP_MAX_LENGTH), got 256',
    ]);
  });

  it('--transport udp: refused for other types and the wrong way round; a udp scenario runs over tcp as it is', async () => {
    const pipeline = scenarioOf(raw(PAIR));
    assert.deepEqual(await thrownProblems(() => applyOverrides(pipeline, { transport: 'udp' })), [
      `--transport udp cannot be used with scenario "p": group "tx" is pair (libzmq's udp transport carries RADIO and DISH only)`,
      `--transport udp cannot be used with scenario "p": group "rx" is pair (libzmq's udp transport carries RADIO and DISH only)`,
    ]);
    const radioBinds = scenarioOf(
      raw(TELEMETRY, (x) => {
        x['transport'] = 'tcp';
        x.topology.groups[0] = { name: 'radio', type: 'radio', bind: ['a', 'b'], topics: ['temp'] };
        x.topology.groups[1]!['connect'] = 'a';
        delete x.topology.groups[1]!['bind'];
        x.topology.groups[2]!['connect'] = 'b';
        delete x.topology.groups[2]!['bind'];
      }),
    );
    assert.deepEqual(await thrownProblems(() => applyOverrides(radioBinds, { transport: 'udp' })), [
      '--transport udp cannot be used with scenario "t": group "radio" is a radio that binds (over udp each DISH binds and RADIOs connect)',
      '--transport udp cannot be used with scenario "t": group "temp" is a dish that connects (over udp each DISH binds and RADIOs connect)',
      '--transport udp cannot be used with scenario "t": group "weather" is a dish that connects (over udp each DISH binds and RADIOs connect)',
    ]);
    assert.equal(applyOverrides(scenarioOf(raw(TELEMETRY)), { transport: 'tcp' }).transport, 'tcp');
  });

  it("udp as one endpoint's own transport: its rules hold at that endpoint only, and the other endpoints keep theirs", () => {
    const mixed = (work: string, dish: string) =>
      file(
        'tcp',
        '{ name: tele, transport: udp }, work',
        `
- { name: sensors, type: radio, connect: tele, rate: 100, topics: [temp] }
- { name: dish, type: dish, ${dish}: tele, join: [temp] }
- { name: pusher, type: push, bind: ${work}, rate: 100 }
- { name: puller, type: pull, connect: work }
`,
      );
    const s = scenarioOf(parse(mixed('work', 'bind')));
    assert.deepEqual(
      planTopology(s).roles.map((r) => r.socket.handshakes),
      [0, 0, 1, 1],
    );
    assert.deepEqual(problemsOf(parse(mixed('[work, tele]', 'connect'))), [
      'topology.groups[2].type: must be radio or dish with endpoint "tele" on udp (libzmq\'s udp transport carries RADIO and DISH only), got "push"',
      'topology.groups[0].connect: radio can only talk to dish, got push (group "pusher" binds endpoint "tele")',
      'topology.groups[1].connect: dish can only talk to radio, got push (group "pusher" binds endpoint "tele")',
      "topology.groups[1].connect: cannot be used by a dish over udp: each DISH binds a udp port and RADIOs connect to it (libzmq refuses a DISH's udp connect: ENOCOMPATPROTO); use bind",
    ]);
  });

  it('a build without the draft API refuses radio and dish groups, one line each with its path', () => {
    const s = scenarioOf(raw(TELEMETRY));
    const none = () => 'libzmq 4.3.5 was built without its draft API';
    assert.deepEqual(
      engineProblems(s, () => null, none),
      [0, 1, 2].map(
        (i) =>
          `t: topology.groups[${i}].type: ${i === 0 ? 'radio' : 'dish'} is a draft socket type (engine zeromq.js): libzmq 4.3.5 was built without its draft API`,
      ),
    );
    assert.deepEqual(
      engineProblems(scenarioOf(raw(PAIR)), () => null, none),
      [],
    );
  });

  it('counts a dish message under its group by whole name only', () => {
    const counts = new PrefixCounts(['temp', 'pressure'], true);
    for (const g of ['temp', 'temperature', 'pressure', 'temp', 'te']) counts.record(Buffer.from(g));
    assert.deepEqual(counts.report(), { counts: { temp: 2, pressure: 1 }, unmatched: 2 });
  });

  it('a dish binds a free udp port found before the bind', async () => {
    const udp = new EndpointAllocator();
    assert.equal(udp.upFrontAlways('udp'), true);
    assert.equal(udp.upFrontAlways('tcp'), false);
    assert.throws(() => udp.bindAddress('udp', 0, 0), /found before the bind/);
    const addresses = await udp.bindAddressesUpFront([
      ['udp', 0, 0],
      ['udp', 1, 0],
    ]);
    assert.equal(new Set(addresses).size, 2);
    for (const a of addresses) assert.match(a, /^udp:\/\/127\.0\.0\.1:\d+$/);
  });
});

describe('a scenario file with problems', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'zmq-bench-pair-radio-'));
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('is refused as invalid input (exit 104), one line per problem, its path first', async () => {
    const path = join(tmp, 'bad.yaml');
    writeFileSync(path, TELEMETRY.replace('transport: udp', 'transport: udp\ncurve: true').replace('join: [temp]', 'join: [temp, temp]'));
    assert.deepEqual(await thrownProblems(() => loadScenario(path)), [
      `${path}: curve: CURVE needs tcp or ipc (udp has no security handshake), got transport "udp"`,
      `${path}: topology.groups[1].join[1]: must not name a group twice (libzmq refuses a second join of a group: EINVAL), got "temp"`,
    ]);
  });
});
