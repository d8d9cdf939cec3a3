import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { errorCode, type EngineSocket, type SocketSpec } from '../../src/engine/engine.js';
import { reserveLoopbackPorts } from '../../src/transport/free-port.js';
import { received, sent, spec, testedEngines } from '../support/engines.js';

/**
 * PAIR, RADIO and DISH through both engines, on real sockets: exact counts in order where
 * nothing can be lost (PAIR waits; a few datagrams on loopback fit the kernel's buffer), each
 * DISH getting only the groups it joined, whole names, over udp and tcp.
 */

const ENGINES = testedEngines('pair, radio and dish');

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** [group, body] of each message, as text, up to the one whose body is `end` (left out), leaving out probes. */
async function readToEnd(socket: EngineSocket): Promise<string[][]> {
  const out: string[][] = [];
  for (;;) {
    const message = (await received(socket)).map(String);
    if (message[1] === 'end') return out;
    if (message[1] !== 'probe') out.push(message);
  }
}

let nextName = 0;
const name = () => `${process.pid}-${nextName++}`;

for (const engine of ENGINES) {
  describe(`engine ${engine.name}: pair, radio and dish`, () => {
    const opened: EngineSocket[] = [];
    const open = (s: SocketSpec) => {
      const socket = engine.open(s);
      opened.push(socket);
      return socket;
    };
    after(async () => {
      for (const s of opened) s.close();
      await Promise.all(opened.map((s) => s.released));
    });

    for (const transport of ['inproc', 'ipc', 'tcp'] as const) {
      it(`PAIR over ${transport}: every message, in order, both ways`, async () => {
        const address = { inproc: `inproc://pair-${name()}`, ipc: `ipc://@zb-pair-${name()}`, tcp: 'tcp://127.0.0.1:*' }[transport];
        // receive timeouts only so that a lost message fails the test instead of holding it
        const a = open(spec('pair', { sndhwm: 10, rcvhwm: 10, rcvtimeo: 2000 }));
        await a.bind(address);
        const b = open(spec('pair', { sndhwm: 10, rcvhwm: 10, rcvtimeo: 2000 }));
        b.connect(a.lastEndpoint);
        // more than both HWMs: the sender waits instead of dropping
        const n = 300;
        const reading = (async () => {
          const got: string[] = [];
          for (let i = 0; i < n; i++) got.push(String((await received(a))[0]));
          return got;
        })();
        for (let i = 0; i < n; i++) await sent(b, Buffer.from(String(i)));
        assert.deepEqual(
          await reading,
          Array.from({ length: n }, (_, i) => String(i)),
        );
        await sent(a, Buffer.from('back'));
        assert.deepEqual((await received(b)).map(String), ['back']);
      });
    }

    it('RADIO/DISH over udp: each dish gets exactly the groups it joined, whole names, with the udp:// endpoint', async () => {
      const ports = await reserveLoopbackPorts(2, undefined, 'udp');
      // a receive timeout only so that a lost datagram fails the test instead of holding it
      const temp = open(spec('dish', { rcvtimeo: 2000 }));
      temp.join(['temp']);
      await temp.bind(`udp://127.0.0.1:${ports[0]}`);
      assert.equal(temp.lastEndpoint, `udp://127.0.0.1:${ports[0]}`, 'libzmq reports a udp endpoint without its scheme');
      const weather = open(spec('dish', { rcvtimeo: 2000 }));
      weather.join(['temperature', 'humidity']);
      await weather.bind(`udp://127.0.0.1:${ports[1]}`);
      const radio = open(spec('radio'));
      radio.connect(temp.lastEndpoint);
      radio.connect(weather.lastEndpoint);
      await pause(50);
      const groups = ['temp', 'temperature', 'humidity', 'pressure'];
      const readings = [readToEnd(temp), readToEnd(weather)];
      for (let i = 0; i < 40; i++) await sent(radio, [Buffer.from(groups[i % 4]!), Buffer.from(`r${i}`)]);
      for (const group of ['pressure', 'temp', 'temperature']) await sent(radio, [Buffer.from(group), Buffer.from('end')]);
      const [gotTemp, gotWeather] = await Promise.all(readings);
      const expected = (joined: string[]) =>
        Array.from({ length: 40 }, (_, i) => [groups[i % 4]!, `r${i}`]).filter(([g]) => joined.includes(g!));
      assert.deepEqual(gotTemp, expected(['temp']));
      assert.deepEqual(gotWeather, expected(['temperature', 'humidity']));
    });

    it('RADIO/DISH over tcp: the radio binds, the dish connects and gets its group only', async () => {
      const radio = open(spec('radio'));
      await radio.bind('tcp://127.0.0.1:*');
      const dish = open(spec('dish', { rcvtimeo: 2000 }));
      dish.join(['b']);
      dish.connect(radio.lastEndpoint);
      // the join reaches the radio after the handshake: until then the radio drops, so probe first
      const first = received(dish);
      let arrived = false;
      void first.then(() => (arrived = true));
      for (let i = 0; i < 400 && !arrived; i++) {
        await sent(radio, [Buffer.from('b'), Buffer.from('probe')]);
        await pause(5);
      }
      assert.deepEqual((await first).map(String), ['b', 'probe']);
      const reading = readToEnd(dish);
      for (let i = 0; i < 30; i++) await sent(radio, [Buffer.from(i % 2 === 0 ? 'b' : 'bb'), Buffer.from(`m${i}`)]);
      await sent(radio, [Buffer.from('b'), Buffer.from('end')]);
      assert.deepEqual(
        await reading,
        Array.from({ length: 15 }, (_, i) => ['b', `m${2 * i}`]),
      );
    });

    it('a bound DISH takes a connection, and sends its joins, only once the application calls it (trap 36)', async () => {
      const dish = open(spec('dish', { rcvtimeo: 100 }));
      dish.join(['g']);
      await dish.bind('tcp://127.0.0.1:*');
      const radio = open(spec('radio'));
      radio.connect(dish.lastEndpoint);
      await pause(100); // the tcp connection and handshake are long made
      for (let i = 0; i < 5; i++) await sent(radio, [Buffer.from('g'), Buffer.from(`lost${i}`)]);
      // this receive is the dish's first call since the bind: the radio had no join for it, and dropped all five
      await assert.rejects(
        () => received(dish),
        (e: unknown) => errorCode(e) === 'EAGAIN',
      );
      await sent(radio, [Buffer.from('g'), Buffer.from('kept')]);
      assert.deepEqual((await received(dish)).map(String), ['g', 'kept']);
    });

    it('refuses a radio message that is not [group, body]', async () => {
      const radio = open(spec('radio'));
      radio.connect(`udp://127.0.0.1:${(await reserveLoopbackPorts(1, undefined, 'udp'))[0]}`);
      await assert.rejects(async () => sent(radio, Buffer.from('no group')), /a radio message is \[group, body\]/);
    });
  });
}
