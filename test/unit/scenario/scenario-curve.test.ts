import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isBenchError } from '../../../src/core/errors.js';
import { isCurveKey, z85Decode, z85Encode } from '../../../src/scenario/curve.js';
import { scenarioAsRun } from '../../../src/scenario/as-run.js';
import { applyOverrides } from '../../../src/scenario/overrides.js';
import { planTopology, type CurveKeys } from '../../../src/scenario/plan.js';
import { PUSH_PULL, problemsOf, scenarioOf } from '../../support/validation.js';

/** Public keys of the example in ZeroMQ RFC 26 (CurveZMQ): valid Z85, 40 characters. */
const SERVER_PUBLIC = 'Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hID';
const CLIENT_PUBLIC = 'rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7';
/** Stand-ins for a run's keys: the plan only passes them on. */
const KEYS: CurveKeys = {
  server: { publicKey: SERVER_PUBLIC, secretKey: 'server-secret' },
  client: { publicKey: CLIENT_PUBLIC, secretKey: 'client-secret' },
};

const KEY_PROBLEM = 'must be a CURVE public key: 40 Z85 characters, as zmq.curveKeyPair() or curve_keygen print them';

const withCurve = (curve: unknown, extra: Record<string, unknown> = {}) => ({ ...PUSH_PULL, ...extra, curve });

describe('curve: validation', () => {
  it('is off by default, on with true or with a server key', () => {
    assert.deepEqual(scenarioOf(PUSH_PULL).curve, { enabled: false, serverPublicKey: null });
    assert.deepEqual(scenarioOf(withCurve(false)).curve, { enabled: false, serverPublicKey: null });
    assert.deepEqual(scenarioOf(withCurve(true)).curve, { enabled: true, serverPublicKey: null });
    assert.deepEqual(scenarioOf(withCurve(true, { transport: 'ipc' })).curve, { enabled: true, serverPublicKey: null });
    assert.deepEqual(scenarioOf(withCurve({ serverPublicKey: SERVER_PUBLIC })).curve, { enabled: true, serverPublicKey: SERVER_PUBLIC });
  });

  it('needs tcp or ipc: inproc has no handshake', () => {
    const inproc = 'curve: CURVE needs tcp or ipc (inproc has no security handshake), got transport "inproc"';
    assert.deepEqual(problemsOf(withCurve(true, { transport: 'inproc' })), [inproc]);
    assert.deepEqual(problemsOf(withCurve({ serverPublicKey: SERVER_PUBLIC }, { transport: 'inproc' })), [inproc]);
    // off is fine anywhere
    assert.equal(scenarioOf(withCurve(false, { transport: 'inproc' })).transport, 'inproc');
  });

  it('wants a server key of 40 Z85 characters that libzmq can decode', () => {
    assert.deepEqual(problemsOf(withCurve({ serverPublicKey: 'abc' })), [`curve.serverPublicKey: ${KEY_PROBLEM}, got "abc"`]);
    assert.deepEqual(problemsOf(withCurve({ serverPublicKey: `${SERVER_PUBLIC}x` })), [
      `curve.serverPublicKey: ${KEY_PROBLEM}, got "${SERVER_PUBLIC}x"`,
    ]);
    // a space is not in the alphabet
    const spaced = `${SERVER_PUBLIC.slice(0, 39)} `;
    assert.deepEqual(problemsOf(withCurve({ serverPublicKey: spaced })), [`curve.serverPublicKey: ${KEY_PROBLEM}, got "${spaced}"`]);
    // Z85 characters, but "#####" stands for more than 32 bits: libzmq refuses it (EINVAL)
    const overflow = '#'.repeat(40);
    assert.deepEqual(problemsOf(withCurve({ serverPublicKey: overflow })), [`curve.serverPublicKey: ${KEY_PROBLEM}, got "${overflow}"`]);
  });

  it('says what it takes when the value is of the wrong kind', () => {
    assert.deepEqual(problemsOf(withCurve('yes')), [
      'curve: must be true, false or { serverPublicKey: "<40-character Z85 key>" }, got "yes"',
    ]);
    assert.deepEqual(problemsOf(withCurve({})), ['curve.serverPublicKey: required field is missing']);
    assert.deepEqual(problemsOf(withCurve({ serverPublicKey: SERVER_PUBLIC, secretKey: 'x' })), ['curve.secretKey: unknown field']);
  });

  it('isCurveKey agrees with the examples', () => {
    assert.ok(isCurveKey(SERVER_PUBLIC));
    assert.ok(isCurveKey(CLIENT_PUBLIC));
    assert.ok(isCurveKey('0'.repeat(40)));
    assert.ok(!isCurveKey('#'.repeat(40)));
    assert.ok(!isCurveKey('0'.repeat(39)));
    assert.ok(!isCurveKey(''));
  });
});

describe('curve: as run and overrides', () => {
  it('is written back as true or with its server key, and left out when off', () => {
    for (const curve of [true, { serverPublicKey: SERVER_PUBLIC }]) {
      const original = scenarioOf(withCurve(curve));
      const asRun = JSON.parse(JSON.stringify(scenarioAsRun(original))) as Record<string, unknown>;
      assert.deepEqual(asRun['curve'], curve);
      assert.deepEqual(scenarioOf(asRun), original);
    }
    const off = JSON.parse(JSON.stringify(scenarioAsRun(scenarioOf(withCurve(false))))) as Record<string, unknown>;
    assert.equal('curve' in off, false);
  });

  it('--transport inproc is refused on a curve scenario, naming the flag', () => {
    const s = scenarioOf(withCurve(true));
    assert.throws(
      () => applyOverrides(s, { transport: 'inproc' }),
      (e: unknown) =>
        isBenchError(e) &&
        e.exitCode === 104 &&
        e.problems.length === 1 &&
        e.problems[0] ===
          '--transport inproc cannot be used with scenario "p", which has curve on (CURVE needs tcp or ipc; inproc has no security handshake)',
    );
    assert.equal(applyOverrides(s, { transport: 'ipc' }).transport, 'ipc');
    assert.equal(applyOverrides(scenarioOf(PUSH_PULL), { transport: 'inproc' }).transport, 'inproc');
  });
});

describe('curve: the plan', () => {
  const stage = {
    name: 'stage',
    curve: true,
    topology: {
      endpoints: ['in', 'out'],
      groups: [
        { name: 'vent', type: 'push', bind: 'in' },
        { name: 'workers', type: 'pull', count: 2, connect: 'in', forward: { type: 'push', bind: 'out' } },
        { name: 'sink', type: 'pull', connect: 'out' },
      ],
    },
  };

  it('binders are servers, connectors clients, forwards included', () => {
    const plan = planTopology(scenarioOf(stage), KEYS);
    const server = { as: 'server', secretKey: 'server-secret' };
    const client = { as: 'client', serverKey: SERVER_PUBLIC, publicKey: CLIENT_PUBLIC, secretKey: 'client-secret' };
    assert.deepEqual(
      plan.roles.map((r) => [r.group, r.socket.curve, r.forward?.curve]),
      [
        ['vent', server, undefined],
        ['workers', client, server],
        ['workers', client, server],
        ['sink', client, undefined],
      ],
    );
  });

  it("clients get the scenario's server key when it has one", () => {
    const plan = planTopology(scenarioOf({ ...stage, curve: { serverPublicKey: CLIENT_PUBLIC } }), KEYS);
    const vent = plan.roles[0]!.socket.curve;
    const sink = plan.roles[3]!.socket.curve;
    assert.deepEqual(vent, { as: 'server', secretKey: 'server-secret' });
    assert.equal(sink?.as === 'client' && sink.serverKey, CLIENT_PUBLIC);
  });

  it('no CURVE without curve; a curve scenario cannot be planned without keys', () => {
    const plan = planTopology(scenarioOf({ ...stage, curve: false }), KEYS);
    assert.ok(plan.roles.every((r) => r.socket.curve === null && (r.forward === null || r.forward.curve === null)));
    assert.throws(() => planTopology(scenarioOf(stage)), /has curve on: its plan needs the run's CURVE keys/);
  });
});

describe('curve: Z85', () => {
  it('encodes and decodes the example of ZeroMQ RFC 32', () => {
    const bytes = Buffer.from([0x86, 0x4f, 0xd2, 0x6f, 0xb5, 0x59, 0xf7, 0x5b]);
    assert.equal(z85Encode(bytes), 'HelloWorld');
    assert.deepEqual(z85Decode('HelloWorld'), bytes);
  });

  it('gives back a key as it was, and its 32 bytes', () => {
    for (const key of [SERVER_PUBLIC, CLIENT_PUBLIC, '0'.repeat(40)]) {
      const bytes = z85Decode(key);
      assert.equal(bytes.length, 32);
      assert.equal(z85Encode(bytes), key);
    }
    assert.equal(z85Encode(Buffer.alloc(32, 0xff)), '%nSc0%nSc0%nSc0%nSc0%nSc0%nSc0%nSc0%nSc0');
  });

  it('refuses lengths and characters that are not Z85', () => {
    assert.throws(() => z85Encode(Buffer.alloc(3)), RangeError);
    assert.throws(() => z85Decode('abcd'), RangeError);
    assert.throws(() => z85Decode('abc~e'), /not a Z85 character/);
    assert.throws(() => z85Decode('#####'), /more than 32 bits/);
  });
});
