import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { problemsOf, scenarioOf, thrownProblems } from '../../support/validation.js';
import { scenarioAsRun } from '../../../src/scenario/as-run.js';
import { applyOverrides } from '../../../src/scenario/overrides.js';
import { planTopology } from '../../../src/scenario/plan.js';
import { validateScenario } from '../../../src/scenario/validate.js';

/** An XSUB/XPUB proxy between publishers with topics and two subscriber groups. */
function forwarder(): { name: string; topology: { endpoints: string[]; groups: Array<Record<string, unknown>> }; events?: unknown[] } {
  return {
    name: 'fwd',
    topology: {
      endpoints: ['pubs', 'subs'],
      groups: [
        { name: 'publishers', type: 'xpub', count: 2, connect: 'pubs', rate: 100, topics: ['alpha', 'beta', 'gamma'] },
        { name: 'broker', type: 'proxy', frontend: { type: 'xsub', bind: 'pubs' }, backend: { type: 'xpub', bind: 'subs' } },
        { name: 'alphas', type: 'sub', count: 2, connect: 'subs', subscribe: ['alpha'] },
        { name: 'betas', type: 'xsub', connect: 'subs', subscribe: ['beta'] },
      ],
    },
  };
}

/** A PULL/PUSH streamer between two pushers and three pullers. */
function streamer(): ReturnType<typeof forwarder> {
  return {
    name: 'str',
    topology: {
      endpoints: ['tasks', 'work'],
      groups: [
        { name: 'vents', type: 'push', count: 2, connect: 'tasks', rate: 100 },
        { name: 'streamer', type: 'proxy', frontend: { type: 'pull', bind: 'tasks' }, backend: { type: 'push', bind: 'work' } },
        { name: 'workers', type: 'pull', count: 3, connect: 'work' },
      ],
    },
  };
}

const proxyAt = (s: ReturnType<typeof forwarder>) => s.topology.groups[1]!;

describe('proxies: the scenario format', () => {
  it('keeps a proxy as a stage: its frontend is the group’s own socket, its backend the forward', () => {
    const s = scenarioOf(forwarder());
    const broker = s.groups[1]!;
    assert.equal(broker.type, 'proxy');
    assert.deepEqual(
      [broker.bind, broker.connect, broker.forward],
      [['pubs'], [], { type: 'xpub', bind: ['subs'], connect: [], options: {} }],
    );
    assert.deepEqual(broker.proxy, { frontend: 'xsub', capture: null });
    assert.deepEqual(s.groups[3]!.subscribe, ['beta'], 'an xsub subscribes like a sub');
    // written back as frontend and backend, and read again to the same scenario
    const asRun = scenarioAsRun(s);
    assert.deepEqual(asRun.topology.groups[1], {
      name: 'broker',
      type: 'proxy',
      count: 1,
      threads: 1,
      placement: 'thread',
      engine: 'zeromq.js',
      frontend: { type: 'xsub', bind: ['pubs'] },
      backend: { type: 'xpub', bind: ['subs'] },
    });
    assert.deepEqual(scenarioOf(asRun), s);
  });

  it('refuses what a proxy cannot be, one line per problem with its path', () => {
    const s = forwarder();
    Object.assign(proxyAt(s), {
      count: 2,
      rate: 10,
      options: { sndhwm: 10 },
      frontend: { type: 'xsub', bind: 'pubs', options: { nodrop: true } },
      backend: { type: 'push', bind: 'subs' },
      capture: { type: 'sub', bind: 'tap' },
    });
    s.topology.endpoints.push('tap');
    s.topology.groups.push({ name: 'tapper', type: 'pull', connect: 'tap' });
    assert.deepEqual(problemsOf(s), [
      'topology.groups[1].rate: is only for pub, push, req, dealer, xpub, radio and pair groups, not proxy',
      "topology.groups[1].options: is not for proxy groups (a proxy's sockets have their own: frontend.options, backend.options)",
      'topology.groups[1].backend.type: must be xpub to go with a xsub frontend (the pairs are xsub/xpub, router/dealer, pull/push), got "push"',
      'topology.groups[1].capture.type: must be pub or push (a capture socket only sends), got "sub"',
      "topology.groups[1].capture: needs engine native (zeromq.js's Proxy takes no capture socket), got engine zeromq.js (the scenario's)",
      'topology.groups[1].count: must be 1: a proxy is one frontend and one backend (two proxies between the same endpoints would deliver each message twice), got 2',
      'topology.groups[1].frontend.options.nodrop: is not available on xsub sockets (they take sndhwm, rcvhwm, linger, immediate, sndtimeo, rcvtimeo, sndbuf, rcvbuf, backlog, heartbeatIvl, heartbeatTimeout, heartbeatTtl, reconnectIvl, reconnectIvlMax, tcpKeepalive, tcpKeepaliveIdle, tcpKeepaliveCnt, tcpKeepaliveIntvl, handshakeIvl, connectTimeout, maxMsgSize)',
      'topology.groups[2].connect: sub can only talk to pub or xpub, got push (the backend of group "broker" binds endpoint "subs")',
      'topology.groups[3].connect: xsub can only talk to pub or xpub, got push (the backend of group "broker" binds endpoint "subs")',
      'topology.groups[4].connect: pull can only talk to push, got sub (the capture of group "broker" binds endpoint "tap")',
    ]);
  });

  it('refuses a proxy without a backend, a frontend no device has, and a pause', () => {
    const s = forwarder();
    Object.assign(proxyAt(s), { frontend: { type: 'pub', bind: 'pubs' }, backend: undefined });
    s.events = [{ at: '1s', pause: 'broker' }];
    const problems = problemsOf(s);
    assert.ok(
      problems.includes('topology.groups[1]: must have a frontend and a backend (a proxy passes messages between them), got no backend'),
    );
    assert.ok(
      problems.includes(
        'topology.groups[1].frontend.type: must be xsub, router or pull (the pairs are xsub/xpub, router/dealer, pull/push), got "pub"',
      ),
    );
    assert.match(problems.find((p) => p.startsWith('events[0].pause')) ?? '', /^events\[0\]\.pause: cannot pause a proxy: libzmq 4\.3\.5/);
  });

  it('wants a topic prefix behind a proxy only when every publisher before it sends topics', () => {
    const s = forwarder();
    delete s.topology.groups[0]!['topics'];
    assert.deepEqual(problemsOf(s), [
      'topology.groups[2].subscribe[0]: must be "" because the backend of group "broker" sends no topics (a prefix would be matched against the binary header), got "alpha"',
      'topology.groups[3].subscribe[0]: must be "" because the backend of group "broker" sends no topics (a prefix would be matched against the binary header), got "beta"',
    ]);
  });

  it('lets at most 3 proxies run in threads of one process, and a capture reader read nothing else', () => {
    // vents → s0 → s1 → s2 → s3 → workers, four streamers in threads; s3 also has a capture
    const link = (i: number, from: string, to: string, extra: Record<string, unknown> = {}) => ({
      name: `s${i}`,
      type: 'proxy',
      frontend: { type: 'pull', [i === 0 ? 'bind' : 'connect']: from },
      backend: { type: 'push', bind: to },
      ...extra,
    });
    const s = {
      name: 'chain',
      topology: {
        endpoints: ['tasks', 'a', 'b', 'c', 'work', 'tap', 'extra'],
        groups: [
          { name: 'vents', type: 'push', connect: 'tasks', rate: 100 },
          link(0, 'tasks', 'a'),
          link(1, 'a', 'b'),
          link(2, 'b', 'c'),
          link(3, 'c', 'work', { engine: 'native', capture: { type: 'push', bind: 'tap' } }),
          { name: 'workers', type: 'pull', count: 3, connect: 'work' },
          { name: 'other', type: 'push', bind: 'extra', rate: 100 },
          { name: 'tap-reader', type: 'pull', connect: ['tap', 'extra'] },
        ],
      },
    };
    assert.deepEqual(problemsOf(s), [
      `topology.groups[7].connect[1]: must not be used beside endpoint "tap", where group "tap-reader" reads the capture of group "s3": a capture's copies cannot be told from the streams they copy, got "extra"`,
      "topology.groups[4]: must be process: at most 3 proxies run in threads of one process (each holds one of libuv's 4 threadpool threads while it runs, and a 4th leaves none for file work), got 4 in threads",
    ]);
    const fixed = structuredClone(s) as { name: string; topology: { endpoints: string[]; groups: Array<Record<string, unknown>> } };
    Object.assign(fixed.topology.groups[4]!, { placement: 'process' });
    fixed.topology.groups[7]!['connect'] = 'tap';
    fixed.topology.groups[6]!['bind'] = 'extra';
    fixed.topology.groups.push({ name: 'sink', type: 'pull', connect: 'extra' });
    const ok = scenarioOf(fixed);
    assert.deepEqual(
      ok.groups.filter((g) => g.proxy).map((g) => g.placement),
      ['thread', 'thread', 'thread', 'process'],
    );
  });

  it('checks the overrides a proxy cannot take: another engine for a capture, thread placement for too many', async () => {
    const s = forwarder();
    Object.assign(proxyAt(s), { engine: 'native', capture: { type: 'pub', bind: 'tap' } });
    s.topology.endpoints.push('tap');
    s.topology.groups.push({ name: 'tapper', type: 'sub', connect: 'tap' });
    const problems = await thrownProblems(() => applyOverrides(scenarioOf(s), { engine: 'zeromq.js' }));
    assert.deepEqual(problems, [
      `--engine zeromq.js cannot be used with scenario "fwd": proxy "broker" has a capture socket, which needs engine native (zeromq.js's Proxy takes none)`,
    ]);
    const four = streamer();
    const link = (i: number) => ({
      name: `extra${i}`,
      type: 'proxy',
      placement: 'process',
      frontend: { type: 'pull', bind: `in${i}` },
      backend: { type: 'push', bind: `out${i}` },
    });
    for (const i of [1, 2, 3]) {
      four.topology.endpoints.push(`in${i}`, `out${i}`);
      four.topology.groups.push(
        link(i),
        { name: `v${i}`, type: 'push', connect: `in${i}` },
        { name: `w${i}`, type: 'pull', connect: `out${i}` },
      );
    }
    assert.deepEqual(await thrownProblems(() => applyOverrides(scenarioOf(four), { placement: 'thread' })), [
      `--placement thread cannot be used with scenario "str": it has 4 proxies, and at most 3 run in threads of one process (each holds one of libuv's 4 threadpool threads)`,
    ]);
  });
});

describe('proxies: routes and plan', () => {
  it('a subscriber behind an XSUB/XPUB proxy expects its topics of every publisher before it, and waits for their probes', () => {
    const plan = planTopology(scenarioOf(forwarder()));
    const [pub0, pub1, broker, alpha0, , beta] = plan.roles;
    assert.deepEqual(
      [broker!.proxy, broker!.socket.type, broker!.forward?.type, broker!.capture, broker!.tracking],
      [true, 'xsub', 'xpub', null, 'none'],
    );
    // topics in turn: alpha is stream 0 of each publisher, beta stream 1
    assert.deepEqual(alpha0!.streams, [
      { sourceId: pub0!.roleId, stream: 0 },
      { sourceId: pub1!.roleId, stream: 0 },
    ]);
    assert.deepEqual(beta!.streams, [
      { sourceId: pub0!.roleId, stream: 1 },
      { sourceId: pub1!.roleId, stream: 1 },
    ]);
    assert.deepEqual(alpha0!.probesFrom, [pub0!.roleId, pub1!.roleId]);
    assert.equal(broker!.sendsProbes, false, 'a proxy passes its publishers’ probes on and sends none');
    assert.deepEqual([pub0!.sendsProbes, beta!.socket.type, beta!.tracking], [true, 'xsub', 'exclusive']);
    // the proxy's frontend waits for both publishers' connections, its backend for the three subscribers'
    assert.deepEqual([broker!.socket.handshakes, broker!.forward?.handshakes, alpha0!.socket.handshakes], [2, 3, 1]);
    assert.deepEqual(plan.binders, { pubs: [broker!.roleId], subs: [broker!.roleId] });
    assert.deepEqual(
      Object.entries(plan.terminal)
        .filter(([, t]) => t)
        .map(([g]) => g),
      ['alphas', 'betas'],
    );
  });

  it('pullers behind a streamer share every pusher’s stream; welcome messages go to subscribers; a capture reader tracks nothing', () => {
    const plan = planTopology(scenarioOf(streamer()));
    const workers = plan.roles.filter((r) => r.group === 'workers');
    assert.deepEqual(
      workers.map((w) => w.tracking),
      ['shared', 'shared', 'shared'],
    );
    assert.deepEqual(workers[0]!.streams, [
      { sourceId: 0, stream: 0 },
      { sourceId: 1, stream: 0 },
    ]);

    const s = forwarder();
    Object.assign(proxyAt(s), {
      engine: 'native',
      backend: { type: 'xpub', bind: 'subs', options: { xpubWelcomeMsg: 'alpha: hello', xpubVerbose: true } },
      capture: { type: 'pub', bind: 'tap' },
    });
    s.topology.endpoints.push('tap');
    s.topology.groups.push({ name: 'tapper', type: 'sub', connect: 'tap' });
    const checked = validateScenario(s);
    assert.ok('scenario' in checked, JSON.stringify(checked));
    const taps = planTopology(checked.scenario);
    const of = (group: string) => taps.roles.find((r) => r.group === group)!;
    assert.deepEqual(of('alphas').welcomes, ['alpha: hello']);
    assert.deepEqual(of('publishers').welcomes, []);
    assert.deepEqual([of('tapper').tracking, of('tapper').streams, taps.terminal['tapper']], ['none', [], false]);
    assert.equal(of('broker').capture?.type, 'pub');
    assert.deepEqual(taps.binders['tap'], [of('broker').roleId]);
  });
});
