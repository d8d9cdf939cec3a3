import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isBenchError } from '../../../src/core/errors.js';
import { ExitCode } from '../../../src/core/exit-codes.js';
import { parseScenarioText, scenarioFromRaw } from '../../../src/scenario/load.js';
import type { Scenario } from '../../../src/scenario/schema.js';
import {
  isLoopbackAddress,
  parseEndpointArgument,
  remoteTargetProblems,
  retargetExternal,
} from '../../../src/scenario/validate-external.js';
import { problemsOf, scenarioOf } from '../../support/validation.js';

const LOCAL = 'tcp://127.0.0.1:5555';
const TEMPLATE_FIELDS_TEXT = 'known: {{seq}}, {{now}}, {{source}}, {{group}}, {{instance}}';

/** A scenario with one external endpoint "svc" and these groups. */
function external(groups: Array<Record<string, unknown>>, address: unknown = LOCAL): Record<string, unknown> {
  return { name: 'ext', topology: { endpoints: [{ name: 'svc', external: address }], groups } };
}

const client = (extra: Record<string, unknown> = {}) => ({ name: 'clients', type: 'req', connect: 'svc', ...extra });
const listener = (extra: Record<string, unknown> = {}) => ({ name: 'listener', type: 'sub', connect: 'svc', ...extra });

/** The problems of the invalidInput error (exit 104) `fn` throws. */
function thrownProblems(fn: () => unknown): readonly string[] {
  try {
    fn();
  } catch (e) {
    if (!isBenchError(e)) throw e;
    assert.equal(e.exitCode, ExitCode.invalidInput);
    assert.equal(e.exitCode, 104);
    return e.problems;
  }
  return assert.fail('expected invalid input, nothing was thrown');
}

describe('validateScenario: payload, check and sequence', () => {
  it('refuses a payload on a group that does not send', () => {
    assert.deepEqual(problemsOf(external([listener({ payload: { string: 'hi' } })])), [
      'topology.groups[0].payload: is only for pub, push, req, dealer and xpub groups, not sub',
    ]);
  });

  it('refuses size together with payload', () => {
    assert.deepEqual(problemsOf(external([client({ size: 64, payload: { string: 'Hello' } })])), [
      'topology.groups[0].size: cannot be used with payload, which decides what is sent, got 64',
    ]);
  });

  it('names an unknown template field where it is, in a string or deep in JSON', () => {
    assert.deepEqual(problemsOf(external([client({ payload: { string: 'a {{foo}} b {{seq}}' } })])), [
      `topology.groups[0].payload.string: {{foo}} is not a template field; ${TEMPLATE_FIELDS_TEXT}`,
    ]);
    assert.deepEqual(
      problemsOf(external([client({ payload: { frames: [{ string: 'ok {{group}}' }, { json: { a: ['x', '{{ bar }}'] } }] } })])),
      [`topology.groups[0].payload.frames[1].json.a[1]: {{bar}} is not a template field; ${TEMPLATE_FIELDS_TEXT}`],
    );
  });

  it('refuses a check.matches that is not a regular expression', () => {
    assert.deepEqual(problemsOf(external([listener({ check: { matches: '(ab' } })])), [
      'topology.groups[0].check.matches: must be a regular expression: /(ab/: Unterminated group, got "(ab"',
    ]);
  });

  it('refuses a sequence with both json and offset', () => {
    assert.deepEqual(problemsOf(external([listener({ sequence: { json: 'seq', offset: 0 } })])), [
      'topology.groups[0].sequence: must be either { offset, type } or { json }, not both',
    ]);
    assert.deepEqual(problemsOf(external([listener({ sequence: { json: 'seq', type: 'u8' } })])), [
      'topology.groups[0].sequence: must be either { offset, type } or { json }, not both',
    ]);
  });

  it('refuses a sequence with neither offset nor json', () => {
    assert.deepEqual(problemsOf(external([listener({ sequence: { type: 'u32be' } })])), [
      'topology.groups[0].sequence.offset: required field is missing (with type, where the binary sequence number is)',
    ]);
  });
});

describe('validateScenario: external endpoints', () => {
  it('refuses an external endpoint one group binds and another connects to', () => {
    assert.deepEqual(problemsOf(external([{ name: 'pubs', type: 'pub', bind: 'svc' }, listener()])), [
      'topology.groups[1].connect: endpoint "svc" is external and group "pubs" binds it: groups either all connect to an external endpoint or one binds it',
    ]);
  });

  it('refuses a group of two binding the one address of an external endpoint', () => {
    assert.deepEqual(problemsOf(external([{ name: 'pushers', type: 'push', bind: 'svc', count: 2 }])), [
      'topology.groups[0].count: must be 1: group "pushers" binds the one address of external endpoint "svc", got 2',
    ]);
  });

  it('refuses an address that is not tcp or ipc', () => {
    assert.deepEqual(problemsOf(external([listener()], 'udp://x')), [
      'topology.endpoints[0].external: must be a tcp://host:port or ipc://path address, got "udp://x"',
    ]);
  });

  it('refuses a port libzmq would wrap (70000 connected to 4464, 99999 bound 34463), and port 0 or host * for a connect', () => {
    const wrap = 'must be from 1 to 65535';
    assert.deepEqual(problemsOf(external([client()], 'tcp://127.0.0.1:70000')), [
      `topology.endpoints[0].external: the port ${wrap} (0 means any free port, which only a bind can use); this one is 70000, got "tcp://127.0.0.1:70000"`,
    ]);
    const binder = { name: 'pushers', type: 'push', bind: 'svc' };
    assert.deepEqual(problemsOf(external([binder], 'tcp://127.0.0.1:99999')), [
      `topology.endpoints[0].external: the port ${wrap} (or 0 for any free port); this one is 99999, got "tcp://127.0.0.1:99999"`,
    ]);
    // the old code waited 10 s for the barrier, then exited 97
    assert.deepEqual(problemsOf(external([client()], 'tcp://127.0.0.1:0')), [
      `topology.endpoints[0].external: the port ${wrap} (0 means any free port, which only a bind can use); this one is 0, got "tcp://127.0.0.1:0"`,
    ]);
    assert.deepEqual(problemsOf(external([client()], 'tcp://*:5555')), [
      'topology.endpoints[0].external: host * (every interface) is only for a bind; a connect needs a host name or address, got "tcp://*:5555"',
    ]);
    for (const ok of ['tcp://127.0.0.1:0', 'tcp://*:5555', 'tcp://127.0.0.1:65535'])
      assert.equal(scenarioOf(external([binder], ok)).external['svc'], ok);
    for (const ok of ['tcp://127.0.0.1:1', 'tcp://localhost:65535', 'tcp://[::1]:5555', 'tcp://127.0.0.1;127.0.0.1:5555'])
      assert.equal(scenarioOf(external([client()], ok)).external['svc'], ok);
  });

  it('refuses an ipc path longer than a Unix socket address holds, and a host that cannot be one', () => {
    const path = `/tmp/${'x'.repeat(103)}`;
    const [problem, ...more] = problemsOf(external([client()], `ipc://${path}`));
    assert.ok(
      problem!.startsWith(
        'topology.endpoints[0].external: the ipc path must be at most 107 bytes (the size of a Unix socket address); this one has 108, got "ipc:///tmp/xx',
      ),
      problem,
    );
    assert.deepEqual(more, []);
    assert.equal(scenarioOf(external([client()], `ipc://${path.slice(1)}`)).external['svc'], `ipc://${path.slice(1)}`);
    assert.deepEqual(problemsOf(external([client()], 'tcp://127.0.0.256:5555')), [
      'topology.endpoints[0].external: 127.0.0.256 is not an IPv4 address (four numbers from 0 to 255), got "tcp://127.0.0.256:5555"',
    ]);
    assert.deepEqual(problemsOf(external([client()], 'tcp://[::g]:5555')), [
      'topology.endpoints[0].external: [::g] is not an IPv6 address, got "tcp://[::g]:5555"',
    ]);
    assert.deepEqual(problemsOf(external([client()], 'tcp://a_b:5555')), [
      'topology.endpoints[0].external: "a_b" is not a host name or address, got "tcp://a_b:5555"',
    ]);
  });

  it('accepts a lone sub connecting to an external feed: the service sends', () => {
    const s = scenarioOf(external([listener()]));
    assert.deepEqual(s.external, { svc: LOCAL });
    assert.deepEqual(s.endpoints, ['svc']);
    assert.deepEqual(
      s.groups.map((g) => [g.name, g.connect, g.payload, g.check, g.sequence]),
      [['listener', ['svc'], null, null, null]],
    );
  });

  it('still wants a sending group without external endpoints', () => {
    assert.deepEqual(problemsOf({ name: 'x', topology: { endpoints: ['e'], groups: [{ name: 'l', type: 'sub', bind: 'e' }] } }), [
      'topology.groups: must include a sending group (pub, push, req, dealer, xpub, radio or pair with side: sender), got none',
      'topology.endpoints[0]: endpoint "e" is bound by group "l" but no group connects to it',
    ]);
  });

  it('normalizes external, payload, check and sequence, and gives a sender towards the service 100 msgs/s', () => {
    const s = scenarioOf({
      name: 'ext',
      topology: {
        endpoints: ['inside', { name: 'svc', external: LOCAL }, { name: 'feed', external: 'ipc:///tmp/feed.sock' }],
        groups: [
          {
            name: 'clients',
            type: 'req',
            connect: 'svc',
            payload: { frames: [{ string: 'n {{seq}}' }, { json: { n: '{{seq}}' } }, { random: '1KiB' }, { file: 'a.bin' }] },
            check: { equals: 'World' },
          },
          {
            name: 'fast',
            type: 'dealer',
            connect: 'svc',
            rate: 5000,
            payload: { random: 10 },
            check: { json: { field: 'a.b', equals: 1 } },
          },
          { name: 'feed', type: 'sub', connect: 'feed', check: { matches: '^x' }, sequence: { offset: 4 } },
          { name: 'numbered', type: 'sub', connect: 'feed', sequence: { json: 'meta.seq' } },
          { name: 'typed', type: 'sub', connect: 'feed', sequence: { offset: 0, type: 'u16le' } },
          { name: 'vent', type: 'push', bind: 'inside' },
          { name: 'work', type: 'pull', connect: 'inside' },
        ],
      },
    });
    assert.deepEqual(s.external, { svc: LOCAL, feed: 'ipc:///tmp/feed.sock' });
    assert.deepEqual(s.endpoints, ['inside', 'svc', 'feed']);
    const byName = new Map(s.groups.map((g) => [g.name, g]));
    const g = (name: string) => byName.get(name)!;
    assert.deepEqual(g('clients').payload, [
      { kind: 'string', template: 'n {{seq}}' },
      { kind: 'json', template: { n: '{{seq}}' } },
      { kind: 'random', bytes: 1024 },
      { kind: 'file', path: 'a.bin', base64: '', frame: 3 },
    ]);
    assert.deepEqual(g('clients').check, { kind: 'equals', text: 'World' });
    assert.deepEqual([g('clients').ratePerSec, g('clients').rateShape], [100, null]);
    assert.deepEqual(g('fast').payload, [{ kind: 'random', bytes: 10 }]);
    assert.deepEqual(g('fast').check, { kind: 'json', field: 'a.b', equals: 1 });
    assert.equal(g('fast').ratePerSec, 5000);
    assert.deepEqual(g('feed').check, { kind: 'matches', pattern: '^x' });
    assert.deepEqual(g('feed').sequence, { kind: 'binary', offset: 4, type: 'u64be' });
    assert.deepEqual(g('numbered').sequence, { kind: 'json', field: 'meta.seq' });
    assert.deepEqual(g('typed').sequence, { kind: 'binary', offset: 0, type: 'u16le' });
    // receivers get no rate; a sender inside the scenario keeps the unpaced default
    assert.deepEqual([g('feed').ratePerSec, g('vent').ratePerSec, g('vent').payload, g('work').check], [null, null, null, null]);
  });

  it('gives the default rate to a sender that binds an external endpoint too', () => {
    const s = scenarioOf(external([{ name: 'pubs', type: 'pub', bind: 'svc' }]));
    assert.equal(s.groups[0]!.ratePerSec, 100);
  });
});

describe('isLoopbackAddress', () => {
  it('accepts this machine', () => {
    for (const a of [
      'tcp://127.0.0.1:5555',
      'tcp://127.1.2.3:1',
      'tcp://localhost:80',
      'tcp://[::1]:5555',
      'ipc:///tmp/x.sock',
      'ipc://@abstract',
    ]) {
      assert.equal(isLoopbackAddress(a), true, a);
    }
  });

  it('refuses other hosts, wildcards included', () => {
    for (const a of [
      'tcp://10.0.0.5:5555',
      'tcp://example.com:80',
      'tcp://*:5555',
      'tcp://0.0.0.0:5555',
      'tcp://127.0.0.1.example.com:80',
      'tcp://[::2]:5555',
      'tcp://128.0.0.1:1',
    ]) {
      assert.equal(isLoopbackAddress(a), false, a);
    }
  });
});

describe('remoteTargetProblems', () => {
  const remote = (): Scenario =>
    scenarioOf({
      name: 'r',
      topology: {
        endpoints: [
          { name: 'near', external: LOCAL },
          { name: 'far', external: 'tcp://10.0.0.5:5555' },
        ],
        groups: [listener({ connect: ['near', 'far'] })],
      },
    });

  it('names each endpoint that leaves this machine', () => {
    assert.deepEqual(remoteTargetProblems(remote(), false), [
      'topology.endpoints[1].external: tcp://10.0.0.5:5555 is not on this machine; load-testing another host needs --allow-remote',
    ]);
  });

  it('finds nothing with --allow-remote or for local endpoints', () => {
    assert.deepEqual(remoteTargetProblems(remote(), true), []);
    assert.deepEqual(remoteTargetProblems(scenarioOf(external([listener()])), false), []);
  });
});

describe('retargetExternal', () => {
  const base = (): Scenario => scenarioOf(external([listener()]));

  it('applies an override without touching the scenario it was given', () => {
    const s = base();
    const r = retargetExternal([s], { svc: 'tcp://127.0.0.1:6000' }, false);
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.scenarios[0]!.external, { svc: 'tcp://127.0.0.1:6000' });
    assert.deepEqual(s.external, { svc: LOCAL });
  });

  it('returns scenarios unchanged without overrides', () => {
    const s = base();
    const r = retargetExternal([s], {}, false);
    assert.deepEqual(r, { scenarios: [s], problems: [] });
    assert.equal(r.scenarios[0], s);
  });

  it('names an override that matches no external endpoint, listing the known ones', () => {
    assert.deepEqual(retargetExternal([base()], { sv: LOCAL }, false).problems, [
      `--endpoint sv=${LOCAL}: no scenario has an external endpoint "sv" (external endpoints: svc)`,
    ]);
    const plain = scenarioOf({
      name: 'p',
      topology: {
        endpoints: ['e'],
        groups: [
          { name: 'a', type: 'push', bind: 'e' },
          { name: 'b', type: 'pull', connect: 'e' },
        ],
      },
    });
    assert.deepEqual(retargetExternal([plain], { e: LOCAL }, false).problems, [
      `--endpoint e=${LOCAL}: no scenario has an external endpoint "e"`,
    ]);
  });

  it('refuses a bad address', () => {
    assert.deepEqual(retargetExternal([base()], { svc: 'udp://x' }, false).problems, [
      '--endpoint svc=udp://x: must be a tcp://host:port or ipc://path address',
    ]);
    assert.deepEqual(retargetExternal([base()], { svc: 'ipc://' }, false).problems, [
      '--endpoint svc=ipc://: must be a tcp://host:port or ipc://path address',
    ]);
  });

  it("refuses a port out of range, or 0 for an endpoint the scenario connects to, and leaves the file's address", () => {
    const r = retargetExternal([base()], { svc: 'tcp://127.0.0.1:70000' }, false);
    assert.deepEqual(r.problems, [
      '--endpoint svc=tcp://127.0.0.1:70000: the port must be from 1 to 65535 (0 means any free port, which only a bind can use); this one is 70000',
    ]);
    assert.deepEqual(r.scenarios[0]!.external, { svc: LOCAL });
    assert.deepEqual(retargetExternal([base()], { svc: 'tcp://127.0.0.1:0' }, false).problems, [
      '--endpoint svc=tcp://127.0.0.1:0: the port must be from 1 to 65535 (0 means any free port, which only a bind can use); this one is 0',
    ]);
    const bound = scenarioOf(external([{ name: 'pushers', type: 'push', bind: 'svc' }]));
    assert.deepEqual(retargetExternal([bound], { svc: 'tcp://127.0.0.1:0' }, false).problems, [], 'a bind may take any free port');
    assert.deepEqual(retargetExternal([bound], { svc: 'tcp://127.0.0.1:99999' }, false).problems, [
      '--endpoint svc=tcp://127.0.0.1:99999: the port must be from 1 to 65535 (or 0 for any free port); this one is 99999',
    ]);
    assert.deepEqual(retargetExternal([bound], { svc: `ipc:///tmp/${'y'.repeat(200)}` }, false).problems, [
      `--endpoint svc=ipc:///tmp/${'y'.repeat(200)}: the ipc path must be at most 107 bytes (the size of a Unix socket address); this one has 205`,
    ]);
  });

  it('refuses a remote target without allowRemote, naming the scenario, and allows it with', () => {
    assert.deepEqual(retargetExternal([base()], { svc: 'tcp://192.168.1.9:5555' }, false).problems, [
      'ext: topology.endpoints[0].external: tcp://192.168.1.9:5555 is not on this machine; load-testing another host needs --allow-remote',
    ]);
    const allowed = retargetExternal([base()], { svc: 'tcp://192.168.1.9:5555' }, true);
    assert.deepEqual(allowed.problems, []);
    assert.deepEqual(allowed.scenarios[0]!.external, { svc: 'tcp://192.168.1.9:5555' });
  });

  it('checks remote addresses written in the file too', () => {
    const s = scenarioOf(external([listener()], 'tcp://example.com:5555'));
    assert.deepEqual(retargetExternal([s], {}, false).problems, [
      'ext: topology.endpoints[0].external: tcp://example.com:5555 is not on this machine; load-testing another host needs --allow-remote',
    ]);
    assert.deepEqual(retargetExternal([s], { svc: LOCAL }, false).problems, []);
  });
});

describe('parseEndpointArgument', () => {
  it('splits at the first =', () => {
    assert.deepEqual(parseEndpointArgument(`svc=${LOCAL}`), { name: 'svc', address: LOCAL });
    assert.deepEqual(parseEndpointArgument('a=b=c'), { name: 'a', address: 'b=c' });
    assert.deepEqual(parseEndpointArgument('a='), { name: 'a', address: '' });
  });

  it('is undefined without a name before =', () => {
    assert.equal(parseEndpointArgument('svc'), undefined);
    assert.equal(parseEndpointArgument('=tcp://127.0.0.1:1'), undefined);
    assert.equal(parseEndpointArgument(''), undefined);
  });
});

describe('load: payload files', () => {
  let dir = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'zmq-bench-payload-'));
    writeFileSync(join(dir, 'hello.bin'), Buffer.from([0x00, 0x01, 0xfe, 0xff]));
    mkdirSync(join(dir, 'data'));
    writeFileSync(join(dir, 'data', 'text.txt'), 'Hello');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const yaml = (payload: string) => `
name: files
topology:
  endpoints:
    - { name: svc, external: "${LOCAL}" }
  groups:
    - name: clients
      type: req
      connect: svc
      payload: ${payload}
`;

  it('reads a file relative to the scenario file into base64', () => {
    const s = parseScenarioText(yaml('{ file: hello.bin }'), join(dir, 'svc.yaml'));
    assert.deepEqual(s.groups[0]!.payload, [{ kind: 'file', path: 'hello.bin', base64: 'AAH+/w==' }]);
  });

  it('reads every file of a multipart payload, from subfolders too', () => {
    const s = scenarioFromRaw(
      external([client({ payload: { frames: [{ string: 'topic' }, { file: 'data/text.txt' }, { file: 'hello.bin' }] } })]),
      join(dir, 'svc.json'),
    );
    assert.deepEqual(s.groups[0]!.payload, [
      { kind: 'string', template: 'topic' },
      { kind: 'file', path: 'data/text.txt', base64: Buffer.from('Hello').toString('base64'), frame: 1 },
      { kind: 'file', path: 'hello.bin', base64: 'AAH+/w==', frame: 2 },
    ]);
  });

  it('names a missing file and where the scenario asks for it', () => {
    const source = join(dir, 'svc.yaml');
    assert.deepEqual(
      thrownProblems(() => parseScenarioText(yaml('{ file: nope.bin }'), source)),
      [`${source}: topology.groups[0].payload.file: ${join(dir, 'nope.bin')} file not found`],
    );
  });

  it('reports every missing file of a multipart payload', () => {
    const source = join(dir, 'svc.yaml');
    assert.deepEqual(
      thrownProblems(() => parseScenarioText(yaml('{ frames: [{ file: hello.bin }, { file: a.bin }, { file: b/c.bin }] }'), source)),
      [
        `${source}: topology.groups[0].payload.frames[1].file: ${join(dir, 'a.bin')} file not found`,
        `${source}: topology.groups[0].payload.frames[2].file: ${join(dir, 'b', 'c.bin')} file not found`,
      ],
    );
  });

  it('a one-frame multipart payload is still named by its frame', () => {
    const source = join(dir, 'svc.yaml');
    assert.deepEqual(
      thrownProblems(() => parseScenarioText(yaml('{ frames: [{ file: nope.bin }] }'), source)),
      [`${source}: topology.groups[0].payload.frames[0].file: ${join(dir, 'nope.bin')} file not found`],
    );
  });

  it('reports validation problems before reading files', () => {
    const source = join(dir, 'svc.yaml');
    assert.deepEqual(
      thrownProblems(() => parseScenarioText(yaml('{ file: nope.bin }').replace('type: req', 'type: req\n      size: 64'), source)),
      [`${source}: topology.groups[0].size: cannot be used with payload, which decides what is sent, got 64`],
    );
  });
});
