import { execFileSync, spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

/**
 * Simulated hosts for tests, with Linux network namespaces (root only): a bridge in the root
 * namespace with 198.18.<k>.1/24 (RFC 2544's benchmarking range), and per host a namespace joined
 * to it by a veth pair, with 198.18.<k>.<i+2>/24 on its eth0 and lo up. No default route: a host
 * reaches the others and the bridge address, nothing else.
 *
 * Names carry the process id (base 36) and a counter, so parallel test files never collide,
 * and a set whose process died (SIGKILL leaves no time to clean up) is removed by the next one.
 */

export interface Host {
  /** the network namespace's name */
  name: string;
  /** its IPv4 address on the bridge */
  address: string;
  /** its veth's end in the root namespace, on the bridge (e.g. for `tc qdisc ... tbf` towards it) */
  link: string;
}

export interface SpawnInOptions extends SpawnOptions {
  /** seconds added to CLOCK_MONOTONIC in a time namespace of the process's own */
  monotonicOffsetS?: number;
}

export interface Hosts {
  hosts: Host[];
  /** the bridge's link name in the root namespace */
  bridge: string;
  /** the root namespace's address on the bridge (198.18.<k>.1) */
  bridgeAddress: string;
  /** Runs a command in a host's namespace; remove() kills it. */
  spawnIn(host: Host, command: string, args: readonly string[], opts?: SpawnInOptions): ChildProcess;
  /** Takes the host's link down: a silent partition (packets dropped, no RST, no ICMP). */
  cut(host: Host): void;
  /** Brings the host's link up again. */
  restore(host: Host): void;
  /** Kills every process in the namespaces, deletes them, their veths and the bridge. Harmless twice. */
  remove(): void;
}

const MAX_LINK_NAME = 15; // IFNAMSIZ - 1

function ip(...args: string[]): string {
  return execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function tryIp(...args: string[]): void {
  try {
    ip(...args);
  } catch {
    // already gone
  }
}

let skipReason: string | null | undefined;

/** Why network-namespace tests cannot run here (not root, no `ip`, namespaces refused), or null. */
export function netnsSkipReason(): string | null {
  if (skipReason !== undefined) return skipReason;
  skipReason = probeNetns();
  return skipReason;
}

function probeNetns(): string | null {
  if (process.platform !== 'linux') return `network namespaces are Linux's; this is ${process.platform}`;
  if (process.getuid?.() !== 0) return `network namespaces need root; running as uid ${process.getuid?.()}`;
  try {
    ip('-V');
  } catch {
    return 'network namespaces need the ip command (iproute2), not found';
  }
  const probe = `zbprobe${process.pid.toString(36)}`;
  try {
    ip('netns', 'add', probe);
    ip('link', 'add', `${probe}v`, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', probe);
    ip('link', 'add', `${probe}b`, 'type', 'bridge');
    return null;
  } catch (e) {
    return `cannot make a network namespace, veth pair and bridge here: ${firstLine(e)}`;
  } finally {
    tryIp('link', 'del', `${probe}b`);
    tryIp('link', 'del', `${probe}v`);
    tryIp('netns', 'del', probe);
  }
}

function firstLine(e: unknown): string {
  const stderr = (e as { stderr?: unknown }).stderr;
  const text = typeof stderr === 'string' && stderr.trim() !== '' ? stderr : e instanceof Error ? e.message : String(e);
  return text.trim().split('\n')[0] ?? '';
}

let sets = 0;
const live = new Set<Hosts>();

/** n hosts on a bridge of their own. `prefix` (≤ 4 characters) starts every name made. */
export function makeHosts(n: number, opts: { prefix: string }): Hosts {
  if (n < 1 || n > 200) throw new RangeError(`makeHosts: 1 to 200 hosts, not ${n}`);
  if (!/^[a-z][a-z0-9]{0,3}$/.test(opts.prefix)) throw new RangeError(`makeHosts: prefix ${opts.prefix}: 1 to 4 letters and digits`);
  removeStale(opts.prefix);
  // '-' is no base-36 digit: the pid can be read back (removeStale)
  const tag = `${opts.prefix}${process.pid.toString(36)}-${(sets++).toString(36)}`;
  const bridge = `${tag}b`;
  const veth = (i: number) => `${tag}v${i}`;
  if (veth(n - 1).length > MAX_LINK_NAME) throw new RangeError(`makeHosts: names such as ${veth(n - 1)} are longer than 15 characters`);
  const created = { bridge: false, namespaces: [] as string[] };
  const children = new Set<ChildProcess>();
  let removed = false;
  const hostsOf: Host[] = [];

  const remove = () => {
    if (removed) return;
    removed = true;
    live.delete(set);
    for (const c of children) c.kill('SIGKILL');
    for (const ns of created.namespaces) {
      // every process in the namespace, children of what was spawned too
      for (const pid of listPids(ns)) killQuietly(pid);
      tryIp('link', 'del', veth(created.namespaces.indexOf(ns)));
      tryIp('netns', 'del', ns);
    }
    if (created.bridge) tryIp('link', 'del', bridge);
  };

  const set: Hosts = {
    hosts: hostsOf,
    bridge,
    bridgeAddress: '',
    spawnIn(host, command, args, spawnOpts = {}) {
      const { monotonicOffsetS, ...rest } = spawnOpts;
      const timeNs = monotonicOffsetS === undefined ? [] : ['unshare', '--time', '--monotonic', String(monotonicOffsetS), '--kill-child'];
      const child = spawn('ip', ['netns', 'exec', host.name, ...timeNs, command, ...args], rest);
      children.add(child);
      child.once('exit', () => children.delete(child));
      return child;
    },
    cut: (host) => void ip('link', 'set', linkOf(host), 'down'),
    restore: (host) => void ip('link', 'set', linkOf(host), 'up'),
    remove,
  };
  const linkOf = (host: Host) => {
    if (!hostsOf.some((h) => h.name === host.name)) throw new Error(`${host.name} is not one of these hosts`);
    return host.link;
  };

  live.add(set);
  watchExit();
  try {
    ip('link', 'add', bridge, 'type', 'bridge');
    created.bridge = true;
    const k = claimSubnet(bridge);
    set.bridgeAddress = `198.18.${k}.1`;
    ip('link', 'set', bridge, 'up');
    for (let i = 0; i < n; i++) {
      const ns = `${tag}h${i}`;
      ip('netns', 'add', ns);
      created.namespaces.push(ns);
      ip('link', 'add', veth(i), 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns);
      ip('link', 'set', veth(i), 'master', bridge, 'up');
      const address = `198.18.${k}.${i + 2}`;
      ip('-n', ns, 'addr', 'add', `${address}/24`, 'dev', 'eth0');
      ip('-n', ns, 'link', 'set', 'eth0', 'up');
      ip('-n', ns, 'link', 'set', 'lo', 'up');
      hostsOf.push({ name: ns, address, link: veth(i) });
    }
  } catch (e) {
    remove();
    throw e;
  }
  return set;
}

/**
 * A 198.18.<k>.0/24 no other link of the root namespace has, from a start that differs by
 * process. The address is added first and checked after, so two processes that pick the same k
 * at the same moment both see it and both move on.
 */
function claimSubnet(bridge: string): number {
  const start = process.pid % 254;
  for (let step = 0; step < 254; step++) {
    const k = ((start + step) % 254) + 1;
    if (subnetHolders(k).length > 0) continue;
    ip('addr', 'add', `198.18.${k}.1/24`, 'dev', bridge);
    if (subnetHolders(k).every((link) => link === bridge)) return k;
    ip('addr', 'del', `198.18.${k}.1/24`, 'dev', bridge);
  }
  throw new Error('makeHosts: every 198.18.<k>.0/24 is taken in the root namespace');
}

/** The links of the root namespace with an address in 198.18.<k>.0/24. */
function subnetHolders(k: number): string[] {
  return ip('-4', '-o', 'addr', 'show')
    .split('\n')
    .filter((line) => line.includes(` 198.18.${k}.`))
    .map((line) => line.split(/\s+/)[1] ?? '');
}

function listPids(ns: string): number[] {
  try {
    return ip('netns', 'pids', ns)
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map(Number);
  } catch {
    return [];
  }
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // gone already
  }
}

/** Namespaces and links of this prefix whose process is dead: left by a test killed outright. */
function removeStale(prefix: string): void {
  const pattern = new RegExp(`^${prefix}([0-9a-z]+)-[0-9a-z]+?[hvb]\\d*$`);
  const dead = (name: string) => {
    const pid = Number.parseInt(pattern.exec(name)?.[1] ?? '', 36);
    if (!Number.isInteger(pid) || pid === process.pid) return false;
    try {
      process.kill(pid, 0);
      return false;
    } catch (e) {
      return (e as NodeJS.ErrnoException).code === 'ESRCH';
    }
  };
  for (const ns of ip('netns', 'list')
    .split('\n')
    .map((l) => l.split(' ')[0] ?? '')) {
    if (!dead(ns)) continue;
    for (const pid of listPids(ns)) killQuietly(pid);
    tryIp('netns', 'del', ns);
  }
  for (const line of ip('-o', 'link', 'show').split('\n')) {
    const link = (line.split(': ')[1] ?? '').split('@')[0] ?? '';
    if (dead(link)) tryIp('link', 'del', link);
  }
}

let watching = false;

/** Every set is removed when the process ends: normally, or on SIGINT/SIGTERM (then the signal goes on). */
function watchExit(): void {
  if (watching) return;
  watching = true;
  const removeAll = () => {
    for (const set of [...live]) set.remove();
  };
  process.once('exit', removeAll);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      removeAll();
      process.kill(process.pid, signal);
    });
  }
}
