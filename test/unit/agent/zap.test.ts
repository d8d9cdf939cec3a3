import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { answerZap } from '../../../src/agent/zap.js';
import { z85Decode } from '../../../src/scenario/curve.js';

/** ZAP 1.0 answers (RFC 27), without sockets: the frames a REP socket gets and sends back. */

const ALLOWED = 'Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hID';
const OTHER = 'rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7';

const request = (mechanism: string, ...credentials: Buffer[]) => [
  ...['1.0', '7', '', '198.18.1.2', 'id'].map((f) => Buffer.from(f)),
  Buffer.from(mechanism),
  ...credentials,
];
const text = (frames: Buffer[]) => frames.map((f) => f.toString());

describe('ZAP answers', () => {
  it('lets an allowed CURVE key in: 200, request id echoed, six frames', () => {
    const { reply, refusal } = answerZap(request('CURVE', z85Decode(ALLOWED)), new Set([ALLOWED]));
    assert.deepEqual(text(reply), ['1.0', '7', '200', 'OK', '', '']);
    assert.equal(refusal, null);
  });

  it('refuses another key with 400 and one log line naming the address', () => {
    const { reply, refusal } = answerZap(request('CURVE', z85Decode(OTHER)), new Set([ALLOWED]));
    assert.deepEqual(text(reply), ['1.0', '7', '400', 'CURVE key not allowed', '', '']);
    assert.equal(refusal, "refused a connection from 198.18.1.2: its CURVE key is not the coordinator's");
  });

  it('refuses what is not CURVE, a key of the wrong length, and a request that is not ZAP 1.0', () => {
    const allowed = new Set([ALLOWED]);
    const plain = answerZap(request('PLAIN', Buffer.from('user'), Buffer.from('pass')), allowed);
    assert.equal(text(plain.reply)[2], '400');
    assert.equal(plain.refusal, 'refused a connection from 198.18.1.2: it does not use CURVE');
    assert.equal(text(answerZap(request('CURVE', z85Decode(ALLOWED).subarray(0, 31)), allowed).reply)[2], '400');
    assert.equal(text(answerZap(request('CURVE'), allowed).reply)[2], '400');
    const old = answerZap([Buffer.from('0.9'), Buffer.from('1')], allowed);
    assert.deepEqual(text(old.reply), ['1.0', '1', '500', 'not a ZAP 1.0 request', '', '']);
    assert.equal(old.refusal, 'refused a malformed ZAP request');
  });
});
