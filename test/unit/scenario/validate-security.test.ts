import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CURVE_KEY_MESSAGE } from '../../../src/scenario/curve.js';
import { securityProblems } from '../../../src/scenario/validate/security.js';
import { pipeWith, topicLines } from '../../support/topic.js';

const security = (fields: Record<string, unknown>) =>
  topicLines(
    securityProblems,
    pipeWith((s) => Object.assign(s, fields)),
  );

describe('validation topic: security', () => {
  it('finds nothing wrong with CURVE over tcp or ipc, or with a key libzmq takes', () => {
    assert.deepEqual(security({ curve: true }), []);
    assert.deepEqual(security({ curve: true, transport: 'ipc' }), []);
    assert.deepEqual(security({ curve: { serverPublicKey: '0'.repeat(40) } }), []);
    assert.deepEqual(security({ curve: false, transport: 'inproc' }), []);
  });

  it('wants a transport with a handshake', () => {
    assert.deepEqual(security({ curve: true, transport: 'inproc' }), [
      'curve: CURVE needs tcp or ipc (inproc has no security handshake), got transport "inproc"',
    ]);
  });

  it('refuses a key of Z85 characters that stands for more than 32 bytes', () => {
    const overflow = '#'.repeat(40);
    assert.deepEqual(security({ curve: { serverPublicKey: overflow } }), [
      `curve.serverPublicKey: ${CURVE_KEY_MESSAGE}, got "${overflow}"`,
    ]);
  });
});
