import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scenarioAsRun } from '../../../src/scenario/as-run.js';
import { applyOverrides, durationText } from '../../../src/scenario/overrides.js';
import { SOCKET_TYPES, type SocketType } from '../../../src/scenario/schema.js';
import { allowedOptions, toZmqOptions } from '../../../src/scenario/socket-options.js';
import { isBenchError } from '../../../src/core/errors.js';
import { scenarioOf } from '../../support/validation.js';
import { fixed, NO_DELAY, pipe } from '../../support/pipe-scenario.js';

/** What a valid scenario becomes: defaults, socket options, overrides and the scenario as run. */

describe('validateScenario: defaults', () => {
  it('fills every default', () => {
    const s = scenarioOf(pipe());
    assert.deepEqual(s, {
      name: 'pipe',
      description: '',
      transport: 'tcp',
      durationMs: 5000,
      warmupMs: 0,
      drainMs: 5000,
      sampleIntervalMs: 100,
      barrier: true,
      startOrder: 'bind-first',
      maxSendLagMs: null,
      curve: { enabled: false, serverPublicKey: null },
      thresholds: [],
      expect: null,
      endpoints: ['tasks'],
      external: {},
      endpointTransports: {},
      hosts: [],
      search: null,
      networkFaults: [],
      groups: [
        {
          name: 'vent',
          type: 'push',
          side: null,
          count: 1,
          threads: 1,
          placement: 'thread',
          engine: 'zeromq.js',
          hosts: [],
          bind: ['tasks'],
          connect: [],
          sizeBytes: 64,
          ratePerSec: null,
          rateShape: null,
          messages: null,
          giveUpAfterMs: null,
          delay: NO_DELAY,
          pauses: [],
          subscribe: [],
          topics: [],
          join: [],
          window: 0,
          retry: null,
          options: {},
          forward: null,
          payload: null,
          check: null,
          sequence: null,
          misuse: null,
          proxy: null,
        },
        {
          name: 'work',
          type: 'pull',
          side: null,
          count: 1,
          threads: 1,
          placement: 'thread',
          engine: 'zeromq.js',
          hosts: [],
          bind: [],
          connect: ['tasks'],
          sizeBytes: 64,
          ratePerSec: null,
          rateShape: null,
          messages: null,
          giveUpAfterMs: null,
          delay: NO_DELAY,
          pauses: [],
          subscribe: [],
          topics: [],
          join: [],
          window: 0,
          retry: null,
          options: {},
          forward: null,
          payload: null,
          check: null,
          sequence: null,
          misuse: null,
          proxy: null,
        },
      ],
      events: [],
    });
  });

  it('normalizes units, lists, rate and per-type defaults', () => {
    const s = scenarioOf({
      name: 'all',
      description: 'every field',
      transport: 'ipc',
      duration: '1.1s',
      warmup: '500ms',
      drain: '1m',
      barrier: false,
      topology: {
        endpoints: ['feed', { name: 'svc' }, 'out'],
        groups: [
          { name: 'news', type: 'pub', bind: 'feed', size: '1KiB', rate: 'max', topics: ['a', 'b'], options: { sndhwm: 10, nodrop: true } },
          { name: 'reader', type: 'sub', count: 2, threads: 2, connect: ['feed'], delay: '250us', forward: { type: 'pub', bind: 'out' } },
          { name: 'tail', type: 'sub', connect: 'out', subscribe: [''] },
          { name: 'client', type: 'dealer', connect: 'svc', rate: 100, messages: 50 },
          { name: 'asker', type: 'req', connect: 'svc' },
          { name: 'server', type: 'router', bind: 'svc', options: { mandatory: true } },
        ],
      },
    });
    assert.equal(s.transport, 'ipc');
    assert.deepEqual([s.durationMs, s.warmupMs, s.drainMs, s.barrier], [1100, 500, 60_000, false]);
    assert.deepEqual(s.endpoints, ['feed', 'svc', 'out']);
    const [news, reader, tail, client, asker] = s.groups;
    assert.deepEqual(
      [news!.sizeBytes, news!.ratePerSec, news!.topics, news!.options],
      [1024, null, ['a', 'b'], { sndhwm: 10, nodrop: true }],
    );
    assert.deepEqual(
      [reader!.subscribe, reader!.delay, reader!.forward],
      [[''], fixed(0.25), { type: 'pub', bind: ['out'], connect: [], options: {} }],
    );
    assert.deepEqual(tail!.subscribe, ['']);
    assert.deepEqual([client!.ratePerSec, client!.messages, client!.window], [100, 50, 100]);
    assert.equal(asker!.window, 1);
  });
});

describe('socket options', () => {
  it('follow what zeromq.js 6 defines on each class', () => {
    const liveness =
      'heartbeatIvl heartbeatTimeout heartbeatTtl reconnectIvl reconnectIvlMax tcpKeepalive tcpKeepaliveIdle tcpKeepaliveCnt tcpKeepaliveIntvl handshakeIvl connectTimeout';
    const expected: Record<SocketType, string> = {
      pub: `sndhwm linger immediate conflate sndtimeo sndbuf nodrop backlog ${liveness} maxMsgSize`,
      sub: `rcvhwm linger immediate conflate rcvtimeo rcvbuf backlog ${liveness} maxMsgSize`,
      push: `sndhwm linger immediate conflate sndtimeo sndbuf backlog ${liveness} maxMsgSize`,
      pull: `rcvhwm linger immediate conflate rcvtimeo rcvbuf backlog ${liveness} maxMsgSize`,
      req: `sndhwm rcvhwm linger immediate sndtimeo rcvtimeo sndbuf rcvbuf backlog ${liveness} probeRouter routingId maxMsgSize`,
      rep: `sndhwm rcvhwm linger immediate sndtimeo rcvtimeo sndbuf rcvbuf backlog ${liveness} routingId maxMsgSize`,
      dealer: `sndhwm rcvhwm linger immediate conflate sndtimeo rcvtimeo sndbuf rcvbuf backlog ${liveness} probeRouter routingId maxMsgSize`,
      router: `sndhwm rcvhwm linger immediate sndtimeo rcvtimeo sndbuf rcvbuf mandatory backlog ${liveness} handover probeRouter routingId maxMsgSize`,
      xpub: `sndhwm rcvhwm linger immediate sndtimeo rcvtimeo sndbuf rcvbuf nodrop backlog ${liveness} maxMsgSize xpubVerbose xpubVerboser xpubWelcomeMsg`,
      xsub: `sndhwm rcvhwm linger immediate sndtimeo rcvtimeo sndbuf rcvbuf backlog ${liveness} maxMsgSize`,
      pair: `sndhwm rcvhwm linger immediate sndtimeo rcvtimeo sndbuf rcvbuf backlog ${liveness} maxMsgSize`,
      radio: `sndhwm linger immediate sndtimeo sndbuf backlog ${liveness} maxMsgSize`,
      dish: `rcvhwm linger immediate rcvtimeo rcvbuf backlog ${liveness} maxMsgSize`,
    };
    for (const type of SOCKET_TYPES) assert.equal(allowedOptions(type).join(' '), expected[type], type);
  });

  it('map to zeromq.js property names', () => {
    assert.deepEqual(
      toZmqOptions('router', {
        sndhwm: 1,
        rcvhwm: 2,
        linger: 0,
        immediate: true,
        sndtimeo: 3,
        rcvtimeo: 4,
        sndbuf: 5,
        rcvbuf: 6,
        mandatory: true,
        backlog: 7,
      }),
      {
        sendHighWaterMark: 1,
        receiveHighWaterMark: 2,
        linger: 0,
        immediate: true,
        sendTimeout: 3,
        receiveTimeout: 4,
        sendBufferSize: 5,
        receiveBufferSize: 6,
        mandatory: true,
        backlog: 7,
      },
    );
    assert.deepEqual(toZmqOptions('pub', { conflate: false, nodrop: true }), { conflate: false, noDrop: true });
    assert.deepEqual(
      toZmqOptions('router', {
        heartbeatIvl: 1,
        heartbeatTimeout: 2,
        heartbeatTtl: 300,
        reconnectIvl: 4,
        reconnectIvlMax: 5,
        tcpKeepalive: 1,
        tcpKeepaliveIdle: 6,
        tcpKeepaliveCnt: 7,
        tcpKeepaliveIntvl: 8,
        handshakeIvl: 9,
        connectTimeout: 10,
        handover: true,
        probeRouter: true,
        routingId: 'r1',
        maxMsgSize: 11,
      }),
      {
        heartbeatInterval: 1,
        heartbeatTimeout: 2,
        heartbeatTimeToLive: 300,
        reconnectInterval: 4,
        reconnectMaxInterval: 5,
        tcpKeepalive: 1,
        tcpKeepaliveIdle: 6,
        tcpKeepaliveCount: 7,
        tcpKeepaliveInterval: 8,
        handshakeInterval: 9,
        connectTimeout: 10,
        handover: true,
        probeRouter: true,
        routingId: 'r1',
        maxMessageSize: 11,
      },
    );
    assert.throws(() => toZmqOptions('push', { rcvhwm: 1 }), /rcvhwm is not available on push/);
  });
});

describe('overrides and the scenario as run', () => {
  it('applyOverrides returns a changed copy and leaves the input alone', () => {
    const s = scenarioOf(pipe());
    const o = applyOverrides(s, { transport: 'inproc', durationMs: 250 });
    assert.deepEqual([o.transport, o.durationMs], ['inproc', 250]);
    assert.deepEqual([s.transport, s.durationMs], ['tcp', 5000]);
    o.groups[0]!.bind.push('x');
    assert.deepEqual(s.groups[0]!.bind, ['tasks']);
    assert.deepEqual(applyOverrides(s, {}), s);
  });

  it('applyOverrides refuses an impossible duration or transport', () => {
    const s = scenarioOf(pipe());
    assert.throws(
      () => applyOverrides(s, { durationMs: 0 }),
      (e: unknown) => isBenchError(e) && e.exitCode === 104 && e.problems[0] === 'duration: must be from 1us to 24h, got 0ms',
    );
    assert.throws(
      () => applyOverrides(s, { transport: 'pgm' as 'tcp' }),
      /transport: must be one of "inproc", "ipc", "tcp", "udp", got "pgm"/,
    );
  });

  it('scenarioAsRun writes delays, pauses and give-up so that they validate the same', () => {
    const original = scenarioOf({
      name: 'slow',
      topology: {
        endpoints: ['a', 'b', 'c', 'd'],
        groups: [
          { name: 'vent', type: 'push', bind: 'a', whenBlocked: 'give-up', giveUpAfter: '20ms' },
          {
            name: 'phased',
            type: 'pull',
            connect: 'a',
            delay: [
              { for: '100us', delay: '0s' },
              { for: '200us', delay: { uniform: { min: '1ms', max: '2ms' } } },
              { for: '5s', delay: '1ms' },
            ],
          },
          { name: 'news', type: 'pub', bind: 'b', whenBlocked: 'give-up' },
          {
            name: 'reader',
            type: 'sub',
            connect: 'b',
            delay: { exponential: { mean: '1.5ms' } },
            pauses: [
              { at: '2s', for: '1s' },
              { at: '3s', for: '250us' },
            ],
          },
          { name: 'asker', type: 'req', connect: 'c' },
          { name: 'server', type: 'router', bind: 'c', delay: [{ delay: { uniform: { min: '0s', max: '1ms' } } }] },
          { name: 'client', type: 'dealer', connect: 'd', whenBlocked: 'wait' },
          { name: 'echo', type: 'rep', bind: 'd', delay: [{ for: '1s', delay: '0s' }, { delay: '2ms' }] },
        ],
      },
    });
    const asRun = JSON.parse(JSON.stringify(scenarioAsRun(original))) as { topology: { groups: Record<string, unknown>[] } };
    assert.deepEqual(scenarioOf(asRun), original);
    const [vent, phased, news, reader, asker, server, , echo] = asRun.topology.groups;
    assert.deepEqual([vent!['whenBlocked'], vent!['giveUpAfter']], ['give-up', '20ms']);
    assert.deepEqual([news!['whenBlocked'], news!['giveUpAfter']], ['give-up', '0s']);
    assert.deepEqual([asker!['whenBlocked'], asker!['giveUpAfter']], ['wait', undefined]);
    assert.deepEqual(phased!['delay'], [
      { for: '100us', delay: '0s' },
      { for: '200us', delay: { uniform: { min: '1ms', max: '2ms' } } },
      { for: '5s', delay: '1ms' },
    ]);
    assert.deepEqual(reader!['delay'], { exponential: { mean: '1500us' } });
    assert.deepEqual(reader!['pauses'], [
      { at: '2s', for: '1s' },
      { at: '3s', for: '250us' },
    ]);
    assert.deepEqual(server!['delay'], { uniform: { min: '0s', max: '1ms' } });
    assert.deepEqual(echo!['delay'], [{ for: '1s', delay: '0s' }, { delay: '2ms' }]);
  });

  it('durationText writes durations that parse back exactly', () => {
    assert.deepEqual([0, 0.25, 1.5, 999, 1000, 1100, 60_000, 90_000, 7_200_000].map(durationText), [
      '0s',
      '250us',
      '1500us',
      '999ms',
      '1s',
      '1100ms',
      '1m',
      '90s',
      '2h',
    ]);
  });

  it('scenarioAsRun is a valid scenario file that validates to the same scenario', () => {
    const original = scenarioOf({
      name: 'all',
      duration: '1.1s',
      warmup: '250us',
      topology: {
        endpoints: ['feed', 'svc', 'out'],
        groups: [
          { name: 'news', type: 'pub', bind: 'feed', size: '1KiB', topics: ['a', 'b'], options: { sndhwm: 10 } },
          {
            name: 'reader',
            type: 'sub',
            count: 2,
            connect: 'feed',
            delay: '1.5ms',
            subscribe: ['a'],
            forward: { type: 'pub', bind: 'out', options: { linger: 0 } },
          },
          { name: 'tail', type: 'sub', connect: 'out' },
          { name: 'client', type: 'dealer', connect: 'svc', rate: 100, messages: 50, window: 7 },
          { name: 'server', type: 'rep', bind: 'svc' },
        ],
      },
    });
    const asRun = JSON.parse(JSON.stringify(scenarioAsRun(original))) as unknown;
    assert.deepEqual(scenarioOf(asRun), original);
    assert.deepEqual((asRun as { topology: { groups: unknown[] } }).topology.groups[4], {
      name: 'server',
      type: 'rep',
      count: 1,
      threads: 1,
      placement: 'thread',
      engine: 'zeromq.js',
      bind: ['svc'],
      delay: '0s',
      pauses: [],
    });
    assert.deepEqual((asRun as { topology: { groups: unknown[] } }).topology.groups[3], {
      name: 'client',
      type: 'dealer',
      count: 1,
      threads: 1,
      placement: 'thread',
      engine: 'zeromq.js',
      connect: ['svc'],
      size: 64,
      rate: 100,
      messages: 50,
      whenBlocked: 'wait',
      window: 7,
    });
  });
});
