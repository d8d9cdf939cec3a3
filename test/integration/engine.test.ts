import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { errorCode, type EngineSocket, type SocketEvent, type SocketSpec } from '../../src/engine/engine.js';
import { received, sent, spec, testedEngines } from '../support/engines.js';

/**
 * The engine contract, on real sockets: what roles rely on of any engine. Every engine is run
 * through the same cases (issue 19 adds the second one to ENGINES).
 */

const ENGINES = testedEngines('the engine contract');

let nextName = 0;
const inproc = () => `inproc://engine-test-${process.pid}-${nextName++}`;

for (const engine of ENGINES) {
  describe(`engine ${engine.name}`, () => {
    const opened: EngineSocket[] = [];
    const open = (s: SocketSpec, onEvent?: (e: SocketEvent) => void) => {
      const socket = engine.open(s, onEvent);
      opened.push(socket);
      return socket;
    };
    after(async () => {
      for (const s of opened) s.close();
      await Promise.all(opened.map((s) => s.released));
    });

    it('states its versions and makes CURVE key pairs', () => {
      assert.match(engine.versions.libzmq, /^\d+\.\d+\.\d+$/);
      assert.ok(engine.versions.zeromqJs.length > 0);
      const keys = engine.curveKeyPair();
      assert.equal(keys.publicKey.length, 40);
      assert.equal(keys.secretKey.length, 40);
      assert.notEqual(keys.publicKey, engine.curveKeyPair().publicKey);
    });

    it('passes single and multipart messages from push to pull', async () => {
      const address = inproc();
      const pull = open(spec('pull'));
      await pull.bind(address);
      const push = open(spec('push'));
      push.connect(address);
      await sent(push, Buffer.from('one'));
      await sent(push, [Buffer.from('a'), Buffer.alloc(1024, 7)]);
      assert.deepEqual((await received(pull)).map(String), ['one']);
      const two = await received(pull);
      assert.equal(two.length, 2);
      assert.equal(two[1]!.length, 1024);
    });

    it('sets options at open and reads them back, and tells the real endpoint of a wildcard bind', async () => {
      const pull = open(spec('pull', { rcvhwm: 7, linger: 0 }));
      assert.deepEqual(pull.readOptions(['rcvhwm', 'linger']), { rcvhwm: 7, linger: 0 });
      await pull.bind('tcp://127.0.0.1:*');
      assert.match(pull.lastEndpoint, /^tcp:\/\/127\.0\.0\.1:\d+$/);
      assert.doesNotMatch(pull.lastEndpoint, /\*/);
    });

    it('sets the liveness options and reads them back as libzmq keeps them', () => {
      const router = open(
        spec('router', {
          heartbeatIvl: 100,
          heartbeatTimeout: 300,
          heartbeatTtl: 2_550,
          reconnectIvl: 50,
          reconnectIvlMax: 800,
          tcpKeepalive: 1,
          tcpKeepaliveIdle: 30,
          tcpKeepaliveCnt: 4,
          tcpKeepaliveIntvl: 5,
          handshakeIvl: 2_000,
          connectTimeout: 700,
          handover: true,
          probeRouter: true,
          routingId: 'wörker-1',
          maxMsgSize: 5_000_000_000,
        }),
      );
      const readable = ['heartbeatIvl', 'heartbeatTimeout', 'heartbeatTtl', 'reconnectIvl', 'reconnectIvlMax'] as const;
      const more = ['tcpKeepalive', 'tcpKeepaliveIdle', 'tcpKeepaliveCnt', 'tcpKeepaliveIntvl', 'handshakeIvl', 'connectTimeout'] as const;
      assert.deepEqual(router.readOptions([...readable, ...more, 'routingId', 'maxMsgSize']), {
        heartbeatIvl: 100,
        heartbeatTimeout: 300,
        heartbeatTtl: 2_500, // libzmq keeps tenths of a second
        reconnectIvl: 50,
        reconnectIvlMax: 800,
        tcpKeepalive: 1,
        tcpKeepaliveIdle: 30,
        tcpKeepaliveCnt: 4,
        tcpKeepaliveIntvl: 5,
        handshakeIvl: 2_000,
        connectTimeout: 700,
        routingId: 'wörker-1',
        maxMsgSize: 5_000_000_000,
      });
    });

    it('reports monitor events: the connect and the handshake over tcp', async () => {
      const seen: SocketEvent[] = [];
      const pull = open(spec('pull'));
      await pull.bind('tcp://127.0.0.1:*');
      const push = open(spec('push'), (e) => seen.push(e));
      push.connect(pull.lastEndpoint);
      for (let i = 0; i < 200 && !seen.some((e) => e.type === 'handshake'); i++) await new Promise((r) => setTimeout(r, 10));
      assert.ok(
        seen.some((e) => e.type === 'connect' && e.address === pull.lastEndpoint),
        JSON.stringify(seen),
      );
      assert.ok(
        seen.some((e) => e.type === 'handshake'),
        JSON.stringify(seen),
      );
    });

    it('delivers only subscribed prefixes to a sub', async () => {
      const address = inproc();
      const pub = open(spec('pub'));
      await pub.bind(address);
      const sub = open(spec('sub'));
      sub.subscribe(['keep']);
      sub.connect(address);
      const deadline = Date.now() + 5000;
      let got: Buffer[] | null = null;
      // a subscription takes effect a little after the connect: publish until one arrives
      const reading = received(sub).then((f) => (got = f));
      while (got === null && Date.now() < deadline) {
        await sent(pub, [Buffer.from('drop'), Buffer.from('x')]);
        await sent(pub, [Buffer.from('keep'), Buffer.from('y')]);
        await new Promise((r) => setTimeout(r, 5));
      }
      await reading;
      assert.deepEqual(got!.map(String), ['keep', 'y']);
    });

    it('fails a send out of the REQ/REP order at once when it must not wait', async () => {
      const address = inproc();
      const rep = open(spec('rep'));
      await rep.bind(address);
      const req = open(spec('req'));
      req.connect(address);
      await sent(req, Buffer.from('ask'));
      const started = Date.now();
      await assert.rejects(
        async () => {
          const sending = req.sendNow(Buffer.from('again'));
          if (sending) await sending;
        },
        (e: unknown) => errorCode(e) === 'EFSM',
      );
      assert.ok(Date.now() - started < 1000);
      // the socket still works in order afterwards
      assert.deepEqual((await received(rep)).map(String), ['ask']);
      await sent(rep, Buffer.from('answer'));
      assert.deepEqual((await received(req)).map(String), ['answer']);
    });

    it('gives up a receive after the receive timeout with EAGAIN', async () => {
      const pull = open(spec('pull', { rcvtimeo: 20 }));
      await pull.bind(inproc());
      await assert.rejects(
        () => received(pull),
        (e: unknown) => errorCode(e) === 'EAGAIN',
      );
    });

    it('ends a pending receive when closed, and is released after', async () => {
      const pull = open(spec('pull'), () => {});
      await pull.bind('tcp://127.0.0.1:*');
      const pending = received(pull);
      pull.close();
      pull.close(); // twice is harmless
      assert.equal(pull.closed, true);
      await assert.rejects(pending);
      await pull.released;
    });

    it('keeps a send that may wait for ever waiting while its only peer comes and goes (trap 27)', async () => {
      // zeromq.js alone rejected 13 of 620,000 such sends with EAGAIN here (a puller every 5 ms).
      const push = open(spec('push', { sndhwm: 100 }));
      await push.bind('tcp://127.0.0.1:*');
      let stop = false;
      let sends = 0;
      const sending = (async () => {
        const payload = Buffer.alloc(64, 1);
        while (!stop) {
          await sent(push, payload);
          sends++;
        }
      })();
      for (let i = 0; i < 150; i++) {
        const pull = engine.open(spec('pull', { rcvhwm: 100 }));
        pull.connect(push.lastEndpoint);
        await new Promise((resolve) => setTimeout(resolve, 5));
        pull.close();
        await pull.released;
      }
      stop = true;
      const last = open(spec('pull'));
      last.connect(push.lastEndpoint);
      await sending; // rejects if one send gave up
      assert.ok(sends > 1000, `${sends} sends`);
    });

    it('makes received frames safe to send again without changing their bytes', () => {
      const small = Buffer.from('small');
      const large = Buffer.alloc(1024, 3);
      const [a, b] = engine.resendable([small, large]);
      assert.deepEqual(a, small);
      assert.deepEqual(b, large);
    });
  });
}
