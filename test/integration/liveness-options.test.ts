import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RunResult, TimelineEntry } from '../../src/core/types.js';
import { engineUnavailable } from '../../src/engine/availability.js';
import { runScenario } from '../../src/runtime/run.js';
import type { EngineName } from '../../src/scenario/schema.js';
import { scenarioOf } from '../support/validation.js';

/**
 * The liveness options (issue 21) on real sockets in a run, with each engine: every option set
 * is in result.json as the socket reports it, and one of them visibly acts: a PULL with
 * maxMsgSize 100 drops the connection of a PUSH sending 1 KiB messages and receives nothing.
 * Runs of 300 ms over tcp on loopback.
 */

const SERVER = {
  heartbeatIvl: 100,
  heartbeatTimeout: 300,
  heartbeatTtl: 1_050,
  tcpKeepalive: 1,
  tcpKeepaliveIdle: 30,
  handover: true,
  mandatory: true, // its zeromq.js getter throws EINVAL: reported as set (trap 29)
  maxMsgSize: 65_536,
};
const CLIENT = {
  routingId: 'client-a',
  reconnectIvl: 50,
  reconnectIvlMax: 400,
  handshakeIvl: 2_000,
  connectTimeout: 500,
  tcpKeepaliveCnt: 3,
  tcpKeepaliveIntvl: 5,
};

const socketEvents = (r: RunResult, groupName: string, event: string): TimelineEntry[] =>
  (r.timeline ?? []).filter((e) => e.kind === 'socket' && e.group === groupName && e.event === event);

for (const engine of ['zeromq.js', 'native'] as EngineName[]) {
  const unavailable = engineUnavailable(engine);
  describe(`liveness options, engine ${engine}`, { skip: unavailable ?? false }, () => {
    it('reports each option set as the socket reads it back (write-only ones as set)', async () => {
      const r = await runScenario(
        scenarioOf({
          name: 'liveness-options',
          transport: 'tcp',
          engine,
          duration: '300ms',
          drain: '1s',
          topology: {
            endpoints: ['service'],
            groups: [
              { name: 'server', type: 'router', bind: 'service', options: SERVER },
              { name: 'client', type: 'dealer', connect: 'service', window: 10, size: 64, rate: 200, options: CLIENT },
            ],
          },
        }),
      );
      assert.deepEqual(r.problems, []);
      const options = (name: string) => r.groups.find((g) => g.name === name)!.options;
      // heartbeatTtl: libzmq keeps tenths of a second; handover cannot be read, so it is as set
      assert.deepEqual(options('server'), { router: { ...SERVER, heartbeatTtl: 1_000 } });
      assert.deepEqual(options('client'), { dealer: CLIENT });
      const client = r.groups.find((g) => g.name === 'client')!;
      assert.ok(client.received > 0, `the dealer got replies: ${client.received}`);
    });

    it('maxMsgSize on a pull: a 1 KiB message drops the connection and nothing is received', async () => {
      const r = await runScenario(
        scenarioOf({
          name: 'max-msg-size',
          transport: 'tcp',
          engine,
          duration: '300ms',
          drain: '300ms',
          topology: {
            endpoints: ['sink'],
            groups: [
              { name: 'sink', type: 'pull', bind: 'sink', options: { maxMsgSize: 100 } },
              { name: 'source', type: 'push', connect: 'sink', size: 1024, rate: 50, options: { sndtimeo: 0 } },
            ],
          },
        }),
      );
      const sink = r.groups.find((g) => g.name === 'sink')!;
      assert.equal(sink.received, 0, 'the pull received nothing');
      assert.deepEqual(sink.options, { pull: { maxMsgSize: 100 } });
      const disconnects = socketEvents(r, 'sink', 'disconnect').length + socketEvents(r, 'source', 'disconnect').length;
      assert.ok(disconnects > 0, `a disconnect is seen: ${JSON.stringify(r.timeline?.filter((e) => e.kind === 'socket'))}`);
    });
  });
}
