import { execFileSync, spawn } from 'node:child_process';
import { isIP } from 'node:net';
import { type Endpoint, type Flow, establishedConnections, flowOf, inNetns, isFlow } from './tcp-connections.js';

/**
 * Network faults on real tcp connections of this host (docs/faults.md, "Network faults: the
 * mechanism"): a silent partition (nftables drops on the receiving side), a cut (the kernel
 * aborts the sockets: `ss -K`), a slow link (tc: htb with a tbf per direction). Every nft rule
 * lives in one table of this object's own and every qdisc under one htb root of its own, so
 * removeAll (and the exit hook) take away exactly what was added. Root only.
 */

export interface Applied {
  /** Heals this fault; other faults stay. */
  remove(): Promise<void>;
}

export interface NetFaultsOptions {
  /** Act inside this network namespace (`ip netns exec`), e.g. a simulated host. */
  netns?: string;
}

let skipReason: string | null | undefined;

/** Why network faults cannot be made here (not Linux, not root, no nft/tc/ss), or null. */
export function netFaultsSkipReason(): string | null {
  if (skipReason === undefined) skipReason = probe();
  return skipReason;
}

function probe(): string | null {
  if (process.platform !== 'linux') return `network faults use Linux's nftables and tc; this is ${process.platform}`;
  if (process.getuid?.() !== 0) return `network faults need root (nftables, tc); running as uid ${process.getuid?.()}`;
  const tools: [string, string[], string][] = [
    ['nft', ['list', 'tables'], 'nft (Debian package nftables)'],
    ['tc', ['-V'], 'tc (iproute2)'],
    ['ss', ['-V'], 'ss (iproute2)'],
  ];
  for (const [cmd, args, what] of tools) {
    try {
      execFileSync(cmd, args, { stdio: 'pipe', timeout: 5000 });
    } catch (e) {
      return `network faults need ${what}: ${firstLine(e)}`;
    }
  }
  return null;
}

let instances = 0;

export class NetFaults {
  /** The nft table (family inet) holding every drop rule of this object. */
  readonly table: string;
  private readonly netns: string | undefined;
  private tableMade = false;
  private chains = 0;
  /** Devices with an htb root of ours: its major handle and the next free class/filter numbers. */
  private readonly shaped = new Map<string, { major: string; next: number; live: number }>();
  private readonly live = new Set<Applied>();
  private readonly exitHook = () => this.removeAllSync();
  private hooked = false;

  constructor(options: NetFaultsOptions = {}) {
    this.netns = options.netns;
    instances++;
    this.table = `zmqbench_${process.pid}_${instances}`;
  }

  /**
   * Silently drops every packet of the flows, both ways, where they arrive (prerouting): no RST,
   * no FIN, and the sending stack sees no local error, so tcp keeps retransmitting until healed.
   */
  async partition(flows: Flow[]): Promise<Applied> {
    return this.dropping(checkedFlows(flows).flatMap((f) => [dropRule(f.a, f.b), dropRule(f.b, f.a)]));
  }

  /**
   * A partition of listening addresses: every packet to or from each ip:port is dropped, new
   * connections (their SYNs) included, so a peer that reconnects gets no further than one whose
   * connection was there before. The run uses it where only the two groups meet at those addresses.
   */
  async partitionAddresses(addresses: Endpoint[]): Promise<Applied> {
    if (addresses.length === 0) throw new Error('a network fault needs at least one address');
    return this.dropping(
      addresses.flatMap((e) => {
        checkedFlows([{ a: e, b: e }]);
        const fam = isIP(e.ip) === 6 ? 'ip6' : 'ip';
        return [`${fam} daddr ${e.ip} tcp dport ${e.port} drop`, `${fam} saddr ${e.ip} tcp sport ${e.port} drop`];
      }),
    );
  }

  private async dropping(rules: string[]): Promise<Applied> {
    const chain = `p${++this.chains}`;
    const script = [
      `add table inet ${this.table}`,
      `add chain inet ${this.table} ${chain} { type filter hook prerouting priority raw; policy accept; }`,
      ...rules.map((r) => `add rule inet ${this.table} ${chain} ${r}`),
    ];
    this.hook();
    await this.run(['nft', '-f', '-'], `${script.join('\n')}\n`);
    this.tableMade = true;
    return this.track(async () => {
      await this.run(['nft', '-f', '-'], `flush chain inet ${this.table} ${chain}\ndelete chain inet ${this.table} ${chain}\n`);
    });
  }

  /**
   * Resets the flows' connections now: the kernel aborts each local end (`ss -K`), which sends an
   * RST to the other. The aborted end sees ECONNABORTED, an end that receives the RST ECONNRESET;
   * on loopback both ends are local, so both fail at once. Nothing stays in place: reconnects work.
   */
  async cut(flows: Flow[]): Promise<void> {
    for (const f of checkedFlows(flows)) {
      for (const [src, dst] of [
        [f.a, f.b],
        [f.b, f.a],
      ] as const) {
        for (const filter of ssFilters(src, dst)) await this.run(['ss', '-KHtn', 'state', 'established', ...filter]);
      }
    }
    const left = (await establishedConnections(this.netns)).filter((c) => flows.some((f) => isFlow(c, f)));
    if (left.length > 0) {
      const c = left[0]!;
      throw new Error(
        `ss -K left ${left.length} connection(s) open, e.g. ${hostPort(c.local)} ↔ ${hostPort(c.remote)} (does the kernel have CONFIG_INET_DIAG_DESTROY?)`,
      );
    }
  }

  /**
   * Limits each direction of the flows (together) to `bitsPerSecond` on `device`: an htb root
   * whose unclassified traffic goes out unshaped (its direct queue), one htb class per direction
   * with a tbf inside, and u32 filters on the exact 4-tuples.
   */
  async slow(flows: Flow[], bitsPerSecond: number, device = 'lo'): Promise<Applied> {
    const checked = checkedFlows(flows);
    if (!Number.isFinite(bitsPerSecond) || bitsPerSecond < 8) throw new Error(`slow: bitsPerSecond must be ≥ 8, got ${bitsPerSecond}`);
    if (!/^[A-Za-z0-9_.:-]{1,15}$/.test(device)) throw new Error(`slow: not a network device name: ${device}`);
    this.hook();
    const root = await this.shapedRoot(device);
    const mtu = await this.mtu(device);
    // tbf drops a packet larger than its burst for ever, and on lo one tcp segment is up to 64 KiB.
    const rateBytes = bitsPerSecond / 8;
    const burst = Math.max(mtu + 64, Math.ceil(rateBytes / 100));
    const limit = burst + Math.max(mtu + 64, Math.ceil(rateBytes * 0.2));
    const n = root.next++;
    root.live++;
    const classes = [`${root.major}:${(2 * n).toString(16)}`, `${root.major}:${(2 * n + 1).toString(16)}`];
    const prefs = [4 * n, 4 * n + 1, 4 * n + 2, 4 * n + 3].map(String);
    const remove = async () => {
      for (const pref of prefs) await this.tryRun(['tc', 'filter', 'del', 'dev', device, 'parent', `${root.major}:`, 'prio', pref]);
      for (const id of classes) await this.tryRun(['tc', 'class', 'del', 'dev', device, 'classid', id]);
      if (--root.live === 0) {
        this.shaped.delete(device);
        await this.tryRun(['tc', 'qdisc', 'del', 'dev', device, 'root', 'handle', `${root.major}:`]);
      }
    };
    // one `tc -batch` for every class, qdisc and filter: a process per command took seconds on a busy machine
    const batch: string[][] = [];
    for (const [i, id] of classes.entries()) {
      batch.push(['class', 'add', 'dev', device, 'parent', `${root.major}:`, 'classid', id, 'htb', 'rate', '100gbit', 'quantum', '200000']);
      batch.push([
        'qdisc',
        'add',
        'dev',
        device,
        'parent',
        id,
        'tbf',
        'rate',
        `${Math.round(bitsPerSecond)}bit`,
        'burst',
        `${burst}`,
        'limit',
        `${limit}`,
      ]);
      for (const f of checked) {
        const [src, dst] = i === 0 ? [f.a, f.b] : [f.b, f.a];
        const pref = prefs[2 * i + (isIP(src.ip) === 6 ? 1 : 0)]!;
        batch.push(['filter', 'add', 'dev', device, 'parent', `${root.major}:`, ...u32Match(src, dst, pref), 'flowid', id]);
      }
    }
    try {
      await this.run(['tc', '-batch', '-'], `${batch.map((c) => c.join(' ')).join('\n')}\n`);
    } catch (e) {
      await remove();
      throw e;
    }
    return this.track(remove);
  }

  /** Resets every established connection of this host whose own end is one of the addresses (a group's bound addresses). */
  async cutAddresses(addresses: Endpoint[]): Promise<void> {
    const here = new Set(addresses.map((a) => `${a.ip}:${a.port}`));
    const flows = (await establishedConnections(this.netns)).filter((c) => here.has(`${c.local.ip}:${c.local.port}`)).map(flowOf);
    if (flows.length === 0) throw new Error(`no tcp connection of ${[...here].join(', ')} on this host`);
    await this.cut(flows);
  }

  /**
   * Slows the established connections of this host that have one end at one of the addresses (a
   * group's bound addresses), on the device each leaves by. Each host shapes what it sends: on
   * loopback both directions, across hosts the packets towards the peer, whose own host shapes
   * the way back. Connections made later are not shaped.
   */
  async slowConnections(addresses: Endpoint[], bitsPerSecond: number): Promise<Applied> {
    const at = new Set(addresses.map((a) => `${a.ip}:${a.port}`));
    const touches = (e: Endpoint) => at.has(`${e.ip}:${e.port}`);
    const flows: Flow[] = [];
    for (const c of await establishedConnections(this.netns)) {
      // on loopback both ends are here: one flow per connection
      if ((touches(c.local) || touches(c.remote)) && !flows.some((f) => isFlow(c, f))) flows.push(flowOf(c));
    }
    if (flows.length === 0) throw new Error(`no tcp connection of ${[...at].join(', ')} on this host`);
    const byDevice = new Map<string, Flow[]>();
    for (const f of flows) {
      const device = await this.deviceTowards(f.b.ip);
      byDevice.set(device, [...(byDevice.get(device) ?? []), f]);
    }
    const parts: Applied[] = [];
    try {
      for (const [device, list] of byDevice) parts.push(await this.slow(list, bitsPerSecond, device));
    } catch (e) {
      for (const p of parts) await p.remove();
      throw e;
    }
    return {
      remove: async () => {
        for (const p of parts) await p.remove();
      },
    };
  }

  /** The device packets to `ip` leave this host by (`ip route get`). */
  private async deviceTowards(ip: string): Promise<string> {
    const text = await this.run(['ip', '-o', 'route', 'get', ip]);
    const device = /\bdev (\S+)/.exec(text)?.[1];
    if (device === undefined) throw new Error(`no route to ${ip}: ${text.trim()}`);
    return device;
  }

  /** Heals every fault of this object: its nft table and its htb roots go. */
  async removeAll(): Promise<void> {
    for (const a of [...this.live]) await a.remove();
    if (this.tableMade) await this.tryRun(['nft', 'delete', 'table', 'inet', this.table]);
    this.tableMade = false;
    if (this.hooked) process.removeListener('exit', this.exitHook);
    this.hooked = false;
  }

  /** The same, synchronously: for process exit, when no promise will run any more. */
  removeAllSync(): void {
    const quiet = (argv: string[]) => {
      const [cmd, ...args] = inNetns(this.netns, argv);
      try {
        execFileSync(cmd!, args, { stdio: 'ignore', timeout: 5000 });
      } catch {
        // already gone
      }
    };
    if (this.tableMade) quiet(['nft', 'delete', 'table', 'inet', this.table]);
    for (const [device, root] of this.shaped) quiet(['tc', 'qdisc', 'del', 'dev', device, 'root', 'handle', `${root.major}:`]);
    this.tableMade = false;
    this.shaped.clear();
    this.live.clear();
  }

  private track(remove: () => Promise<void>): Applied {
    let done = false;
    const applied: Applied = {
      remove: async () => {
        if (done) return;
        done = true;
        this.live.delete(applied);
        await remove();
      },
    };
    this.live.add(applied);
    return applied;
  }

  private hook(): void {
    if (this.hooked) return;
    this.hooked = true;
    process.on('exit', this.exitHook);
  }

  private async shapedRoot(device: string): Promise<{ major: string; next: number; live: number }> {
    const known = this.shaped.get(device);
    if (known) return known;
    const major = (((process.pid * 31 + instances) % 0xfff0) + 1).toString(16);
    try {
      await this.run(['tc', 'qdisc', 'add', 'dev', device, 'root', 'handle', `${major}:`, 'htb']);
    } catch (e) {
      throw new Error(`cannot shape ${device}: adding an htb root qdisc failed (does another run shape it?): ${firstLine(e)}`);
    }
    const root = { major, next: 1, live: 0 };
    this.shaped.set(device, root);
    return root;
  }

  private async mtu(device: string): Promise<number> {
    const text = await this.run(['cat', `/sys/class/net/${device}/mtu`]);
    const mtu = Number(text.trim());
    if (!Number.isInteger(mtu) || mtu <= 0) throw new Error(`cannot read the mtu of ${device}: ${text.trim()}`);
    return mtu;
  }

  private async tryRun(argv: string[]): Promise<void> {
    try {
      await this.run(argv);
    } catch {
      // already gone: healing twice is not an error
    }
  }

  private run(argv: string[], input?: string): Promise<string> {
    const [cmd, ...args] = inNetns(this.netns, argv);
    return new Promise((resolve, reject) => {
      const child = spawn(cmd!, args, { stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
      child.on('error', reject);
      child.on('close', (code) => {
        if (code === 0) resolve(out);
        else reject(Object.assign(new Error(`${argv.join(' ')}: ${err.trim() || `exit ${code}`}`), { stderr: err }));
      });
      child.stdin?.on('error', () => {}); // a command that exits without reading: its exit code tells
      child.stdin?.end(input);
    });
  }
}

function checkedFlows(flows: Flow[]): Flow[] {
  if (flows.length === 0) throw new Error('a network fault needs at least one flow');
  for (const f of flows) {
    for (const e of [f.a, f.b]) {
      if (isIP(e.ip) === 0) throw new Error(`not an IP address: ${e.ip}`);
      if (!Number.isInteger(e.port) || e.port < 1 || e.port > 65535) throw new Error(`not a tcp port: ${e.port}`);
    }
    if (isIP(f.a.ip) !== isIP(f.b.ip)) throw new Error(`a flow joins two addresses of one family: ${f.a.ip} ↔ ${f.b.ip}`);
  }
  return flows;
}

/** nft match of the packets from src to dst. */
function dropRule(src: Endpoint, dst: Endpoint): string {
  const fam = isIP(src.ip) === 6 ? 'ip6' : 'ip';
  return `${fam} saddr ${src.ip} ${fam} daddr ${dst.ip} tcp sport ${src.port} tcp dport ${dst.port} drop`;
}

/** ss filters for the socket whose local end is src: plain, and IPv4 as a dual-stack socket shows it. */
function ssFilters(src: Endpoint, dst: Endpoint): string[][] {
  const plain = ['src', hostPort(src), 'dst', hostPort(dst)];
  if (isIP(src.ip) === 6) return [plain];
  return [plain, ['src', `[::ffff:${src.ip}]:${src.port}`, 'dst', `[::ffff:${dst.ip}]:${dst.port}`]];
}

/** u32 selector of the packets from src to dst (no IP options assumed: tcp right after the fixed header). */
function u32Match(src: Endpoint, dst: Endpoint, pref: string): string[] {
  const v6 = isIP(src.ip) === 6;
  const [proto, m, bits] = v6 ? ['ipv6', 'ip6', 128] : ['ip', 'ip', 32];
  return [
    'protocol',
    proto,
    'prio',
    pref,
    'u32',
    'match',
    m,
    'src',
    `${src.ip}/${bits}`,
    'match',
    m,
    'dst',
    `${dst.ip}/${bits}`,
    'match',
    m,
    'sport',
    `${src.port}`,
    '0xffff',
    'match',
    m,
    'dport',
    `${dst.port}`,
    '0xffff',
  ];
}

function hostPort(e: Endpoint): string {
  return isIP(e.ip) === 6 ? `[${e.ip}]:${e.port}` : `${e.ip}:${e.port}`;
}

function firstLine(e: unknown): string {
  const stderr = (e as { stderr?: unknown }).stderr;
  const text = typeof stderr === 'string' && stderr.trim() ? stderr : e instanceof Error ? e.message : String(e);
  return text.trim().split('\n')[0] ?? '';
}
