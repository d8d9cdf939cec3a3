import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { describe, it } from 'node:test';
import { firstMessageMs } from '../../../src/collect/aggregate.js';
import type { RoleReport } from '../../../src/protocol/control.js';
import { groupNotes } from '../../../src/report/result-notes.js';
import { scenarioAsRun } from '../../../src/scenario/as-run.js';
import { applyOverrides } from '../../../src/scenario/overrides.js';
import type { TransportName } from '../../../src/scenario/schema.js';
import { EndpointAllocator } from '../../../src/transport/endpoints.js';
import { portsBelowEphemeral, reserveLoopbackPorts } from '../../../src/transport/free-port.js';
import { group } from '../../support/sample-result.js';
import { PUSH_PULL, problemsOf, scenarioOf } from '../../support/validation.js';

/**
 * start: connect-first (B2): the scenario field, the addresses known before any bind, and
 * the time to the first message. The runs themselves: test/integration/connect-first.test.ts.
 */

describe('start: validation and normalization', () => {
  it('defaults to bind-first and keeps connect-first', () => {
    assert.equal(scenarioOf(PUSH_PULL).startOrder, 'bind-first');
    assert.equal(scenarioOf({ ...PUSH_PULL, start: 'bind-first' }).startOrder, 'bind-first');
    assert.equal(scenarioOf({ ...PUSH_PULL, start: 'connect-first' }).startOrder, 'connect-first');
  });

  it('refuses other values and names a misspelt key', () => {
    assert.deepEqual(problemsOf({ ...PUSH_PULL, start: 'connect-fist' }), [
      'start: must be "bind-first" or "connect-first", got "connect-fist"',
    ]);
    assert.deepEqual(problemsOf({ ...PUSH_PULL, start: true }), ['start: must be "bind-first" or "connect-first", got true']);
    assert.deepEqual(problemsOf({ ...PUSH_PULL, strat: 'connect-first' }), ['strat: unknown field (did you mean "start"?)']);
  });

  it('goes with CURVE, inproc, external endpoints and no barrier (CURVE handshakes complete once the server binds)', () => {
    for (const extra of [
      { curve: true, transport: 'tcp' },
      { curve: true, transport: 'ipc' },
      { transport: 'inproc' },
      { barrier: false },
    ]) {
      assert.equal(scenarioOf({ ...PUSH_PULL, ...extra, start: 'connect-first' }).startOrder, 'connect-first', JSON.stringify(extra));
    }
    const external = {
      name: 'ext',
      start: 'connect-first',
      topology: {
        endpoints: [{ name: 'svc', external: 'tcp://127.0.0.1:5555' }],
        groups: [{ name: 'clients', type: 'req', connect: 'svc' }],
      },
    };
    assert.equal(scenarioOf(external).startOrder, 'connect-first');
  });

  it('is written into the scenario as run, which validates to the same scenario; overrides keep it', () => {
    const s = scenarioOf({ ...PUSH_PULL, start: 'connect-first' });
    const asRun = scenarioAsRun(s);
    assert.equal(asRun.start, 'connect-first');
    assert.deepEqual(scenarioOf(asRun), s);
    assert.equal(scenarioAsRun(scenarioOf(PUSH_PULL)).start, 'bind-first');
    assert.equal(applyOverrides(s, { transport: 'ipc' }).startOrder, 'connect-first');
  });
});

describe('addresses known before the bind', () => {
  it('reserves distinct free loopback ports that can be listened on at once', async () => {
    const ports = await reserveLoopbackPorts(5);
    assert.equal(ports.length, 5);
    assert.equal(new Set(ports).size, 5, 'no port twice');
    for (const port of ports) {
      assert.ok(Number.isInteger(port) && port > 0 && port < 65536, String(port));
      // closed again: free for zmq to bind
      const server = createServer();
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen({ host: '127.0.0.1', port, exclusive: true }, () => resolve());
      });
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    assert.deepEqual(await reserveLoopbackPorts(0), []);
  });

  it('takes ports below the ephemeral range, so a dialling socket is never given one as its own source port', async () => {
    const range = portsBelowEphemeral();
    const ephemeralFirst = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    assert.ok(range.last < ephemeralFirst && range.first <= range.last, JSON.stringify(range));
    for (const port of await reserveLoopbackPorts(20)) assert.ok(port >= range.first && port <= range.last, String(port));
  });

  it('reads the range from the kernel setting, and keeps a sane range when it is odd or missing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'zb-ports-'));
    const file = (text: string) => {
      writeFileSync(join(dir, 'range'), text);
      return join(dir, 'range');
    };
    try {
      assert.deepEqual(portsBelowEphemeral(file('32768\t60999\n')), { first: 20000, last: 32767 });
      assert.deepEqual(portsBelowEphemeral(file('10000 60999')), { first: 9000, last: 9999 });
      assert.deepEqual(portsBelowEphemeral(file('1500 2000')), { first: 1024, last: 1499 });
      assert.deepEqual(portsBelowEphemeral(join(dir, 'missing')), { first: 20000, last: 32767 });
      assert.deepEqual(portsBelowEphemeral(file('garbage')), { first: 20000, last: 32767 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('skips a port that is taken, and says so when none is left', async () => {
    const taken = createServer();
    const port = await new Promise<number>((resolve) =>
      taken.listen({ host: '127.0.0.1', port: 0 }, () => resolve((taken.address() as { port: number }).port)),
    );
    try {
      // a range of two ports, one of them taken: the other, every time (its neighbour on the side that is free now)
      const other = await reserveLoopbackPorts(1, { first: port + 1, last: port + 1 }).then(
        () => port + 1,
        () => port - 1,
      );
      const range = { first: Math.min(port, other), last: Math.max(port, other) };
      for (let i = 0; i < 5; i++) assert.deepEqual(await reserveLoopbackPorts(1, range), [other]);
      await assert.rejects(
        reserveLoopbackPorts(1, { first: port, last: port }),
        new RegExp(`no free loopback port between ${port} and ${port}`),
      );
    } finally {
      await new Promise<void>((resolve) => taken.close(() => resolve()));
    }
  });

  it('tcp gets a fixed port instead of *; ipc and inproc the addresses they bind anyway', async () => {
    const binders = [
      [0, 0],
      [0, 1],
      [1, 0],
    ] as const;
    const over = (t: TransportName) => binders.map(([e, i]) => [t, e, i] as const);
    const tcp = new EndpointAllocator();
    const tcpAddresses = await tcp.bindAddressesUpFront(over('tcp'));
    assert.equal(tcpAddresses.length, 3);
    for (const a of tcpAddresses) assert.match(a, /^tcp:\/\/127\.0\.0\.1:[1-9][0-9]*$/);
    assert.equal(new Set(tcpAddresses).size, 3);
    assert.equal(tcp.bindAddress('tcp', 0, 0), 'tcp://127.0.0.1:*', 'bind-first still lets the OS choose at bind time');

    // without an abstract namespace (not Linux): files in a temporary folder
    const ipc = new EndpointAllocator(false);
    try {
      const ipcAddresses = await ipc.bindAddressesUpFront(over('ipc'));
      assert.deepEqual(
        ipcAddresses,
        binders.map(([e, i]) => ipc.bindAddress('ipc', e, i)),
      );
      assert.ok(ipc.ipcFolder !== undefined && existsSync(ipc.ipcFolder));
      for (const a of ipcAddresses) assert.ok(a.startsWith(`ipc://${ipc.ipcFolder}/`) && a.length - 'ipc://'.length <= 107, a);
    } finally {
      ipc.dispose();
    }

    // a process that ends with process.exit() (a second Ctrl-C) still removes its ipc folder
    const endpoints = new URL('../../../src/transport/endpoints.js', import.meta.url).href;
    const exited = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const { EndpointAllocator } = await import(${JSON.stringify(endpoints)}); const a = new EndpointAllocator(false); a.bindAddress('ipc', 0, 0); console.log(a.ipcFolder); process.exit(105);`,
      ],
      { encoding: 'utf8', timeout: 10_000 },
    );
    assert.equal(exited.status, 105, exited.stderr);
    const folder = exited.stdout.trim();
    assert.ok(folder.length > 0);
    assert.equal(existsSync(folder), false, `${folder} was removed at exit`);

    // Linux: abstract names, no folder at all
    const abstract = new EndpointAllocator(true);
    const abstractAddresses = await abstract.bindAddressesUpFront(over('ipc'));
    assert.deepEqual(
      abstractAddresses,
      binders.map(([e, i]) => abstract.bindAddress('ipc', e, i)),
    );
    assert.equal(abstract.ipcFolder, undefined);
    assert.equal(new Set(abstractAddresses).size, 3);
    for (const a of abstractAddresses) assert.ok(/^ipc:\/\/@zb-[0-9a-z]+-\d+-\d+$/.test(a) && a.length - 'ipc://'.length <= 107, a);

    const inproc = new EndpointAllocator();
    assert.deepEqual(
      await inproc.bindAddressesUpFront(over('inproc')),
      binders.map(([e, i]) => inproc.bindAddress('inproc', e, i)),
    );
  });

  it('gives each binder an address over its own endpoint transport, in order', async () => {
    const mixed = new EndpointAllocator(true);
    const addresses = await mixed.bindAddressesUpFront([
      ['inproc', 0, 0],
      ['tcp', 1, 0],
      ['ipc', 2, 0],
      ['tcp', 3, 0],
    ]);
    assert.match(addresses[0]!, /^inproc:\/\/zb-[0-9a-z]+-0-0$/);
    assert.match(addresses[1]!, /^tcp:\/\/127\.0\.0\.1:[1-9][0-9]*$/);
    assert.match(addresses[2]!, /^ipc:\/\/@zb-[0-9a-z]+-2-0$/);
    assert.match(addresses[3]!, /^tcp:\/\/127\.0\.0\.1:[1-9][0-9]*$/);
    assert.notEqual(addresses[1], addresses[3]);
    assert.equal(mixed.bindAddress('inproc', 0, 0), addresses[0]);
  });
});

describe('time to the first message', () => {
  const report = (firstArrivalNs?: bigint): RoleReport =>
    ({ roleId: 0, group: 'g', ...(firstArrivalNs === undefined ? {} : { firstArrivalNs: String(firstArrivalNs) }) }) as RoleReport;

  it('is ms from the start command to the earliest first arrival of the group', () => {
    const start = 10_000_000_000n;
    assert.equal(firstMessageMs([report(start + 5_500_000n), report(start + 2_250_000n), report()], start), 2.25);
    // beyond 2^53 ns the difference is still exact: BigInt until the subtraction
    const late = 9_007_199_254_740_993n;
    assert.equal(firstMessageMs([report(late + 1_000n)], late), 0.001);
  });

  it('is absent when nothing arrived or the senders never started', () => {
    assert.equal(firstMessageMs([report(), report()], 1n), undefined);
    assert.equal(firstMessageMs([], 1n), undefined);
    assert.equal(firstMessageMs([report(5n)], undefined), undefined);
  });

  it('is a console note for connect-first runs, or when it came late', () => {
    const subs = group({ name: 'subs', type: 'sub', direction: 'receives', firstMessageMs: 1.5 }, { received: 10 });
    const pub = group({ name: 'pub', type: 'pub', direction: 'sends' }, { sent: 10 });
    assert.deepEqual(groupNotes([pub, subs], 'connect-first'), [
      'first message after the start: subs 1.50ms (connect-first: the connecting sockets connected before the binds)',
    ]);
    assert.deepEqual(groupNotes([pub, subs], 'bind-first'), []);
    assert.deepEqual(groupNotes([pub, subs]), []);
    const late = { ...subs, firstMessageMs: 250 };
    assert.deepEqual(groupNotes([pub, late], 'bind-first'), ['first message after the start: subs 250ms']);
    assert.deepEqual(groupNotes([pub], 'connect-first'), [], 'nothing received: no note');
  });
});
