import assert from 'node:assert/strict';
import { execFileSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { makeHosts, netnsSkipReason, type Hosts } from '../support/netns.js';

/**
 * The simulated hosts of test/support/netns.ts, checked with plain node:net (no ZeroMQ): one host
 * reaches another over tcp, a cut link makes a connect time out and a restored one heals, a time
 * namespace skews CLOCK_MONOTONIC, and remove() leaves nothing behind.
 */

const PORT = 7070;

/** A tcp server in node: answers each connection with "pong" and closes it. */
const SERVER = `require('node:net').createServer((s) => s.end('pong')).listen(${PORT}, process.argv[1], () => console.log('listening'))`;
/** A tcp client in node: exit 0 with "pong", 2 after its timeout, 3 on an error (printed). */
const CLIENT = `
const s = require('node:net').connect(${PORT}, process.argv[1]);
s.setTimeout(Number(process.argv[2]), () => process.exit(2));
let got = '';
s.on('data', (d) => (got += d)).on('end', () => process.exit(got === 'pong' ? 0 : 4));
s.on('error', (e) => { console.log(e.code); process.exit(3); });`;

/** Output and exit code of a process. */
async function finished(child: ChildProcess): Promise<{ code: number | null; out: string }> {
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, out: out.trim() };
}

const skip = netnsSkipReason();

describe('simulated hosts (network namespaces)', { skip: skip ?? false }, () => {
  let net: Hosts;
  let server: ChildProcess;
  before(async () => {
    net = makeHosts(2, { prefix: 'zt' });
    const b = net.hosts[1]!;
    server = net.spawnIn(b, process.execPath, ['-e', SERVER, b.address], { stdio: ['ignore', 'pipe', 'inherit'] });
    await once(server.stdout!, 'data');
  });
  after(() => net?.remove());

  const connect = (timeoutMs: number) =>
    finished(
      net.spawnIn(net.hosts[0]!, process.execPath, ['-e', CLIENT, net.hosts[1]!.address, String(timeoutMs)], {
        stdio: ['ignore', 'pipe', 'inherit'],
      }),
    );

  it('gives each host its own address on one 198.18.<k>.0/24, and names of at most 15 characters', () => {
    const [a, b] = net.hosts;
    const k = net.bridgeAddress.split('.')[2];
    assert.match(net.bridgeAddress, /^198\.18\.\d+\.1$/);
    assert.equal(a!.address, `198.18.${k}.2`);
    assert.equal(b!.address, `198.18.${k}.3`);
    assert.notEqual(a!.name, b!.name);
    for (const name of [a!.name, b!.name, a!.link, b!.link, net.bridge]) assert.ok(name.length <= 15, name);
    const bridged = execFileSync('ip', ['-o', 'link', 'show', 'master', net.bridge], { encoding: 'utf8' });
    const names = bridged.split('\n').flatMap((l) => /^\d+: ([^:@]+)/.exec(l)?.[1] ?? []);
    assert.deepEqual(names, [a!.link, b!.link], 'both veths are on the bridge in the root namespace');
  });

  it('a process on one host reaches a server on the other over tcp', async () => {
    assert.deepEqual(await connect(2000), { code: 0, out: '' });
  });

  it('cut: a connect gets no answer (no RST); restore: it works again', async () => {
    net.cut(net.hosts[1]!);
    const cut = await connect(700);
    assert.equal(cut.code, 2, `timed out, not refused (${cut.out})`);
    net.restore(net.hosts[1]!);
    assert.deepEqual(await connect(3000), { code: 0, out: '' });
  });

  it('monotonicOffsetS: the process reads CLOCK_MONOTONIC that many seconds ahead', async () => {
    const script = 'console.log(String(process.hrtime.bigint()))';
    const before = process.hrtime.bigint();
    const skewed = await finished(
      net.spawnIn(net.hosts[0]!, process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'], monotonicOffsetS: 5 }),
    );
    const elapsed = process.hrtime.bigint() - before;
    const aheadS = Number(BigInt(skewed.out) - before) / 1e9;
    assert.equal(skewed.code, 0);
    assert.ok(aheadS >= 5 && aheadS <= 5 + Number(elapsed) / 1e9, `${aheadS.toFixed(3)} s ahead`);
  });

  it('remove() kills what it started and leaves no namespace or link behind', async () => {
    const names = [...net.hosts.flatMap((h) => [h.name, h.link]), net.bridge];
    const exited = once(server, 'exit');
    net.remove();
    await exited;
    const namespaces = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' });
    const links = execFileSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' });
    for (const name of names) {
      assert.ok(!namespaces.split('\n').some((l) => l.split(' ')[0] === name), `${name} is no namespace any more`);
      assert.ok(!links.includes(`: ${name}:`) && !links.includes(`: ${name}@`), `${name} is no link any more`);
    }
    net.remove(); // twice is harmless
  });
});
