import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { spreadOf } from '../../../src/collect/spread.js';
import { parseSsInfo } from '../../../src/runtime/wire-bytes.js';
import { validateScenario } from '../../../src/scenario/validate.js';

describe('spreadOf (B9, B14, B15)', () => {
  it('an even spread has maxShare 1/n and no deviation', () => {
    assert.deepEqual(spreadOf({ 'w[0]': 10, 'w[1]': 10, 'w[2]': 10, 'w[3]': 10 }), {
      counts: { 'w[0]': 10, 'w[1]': 10, 'w[2]': 10, 'w[3]': 10 },
      maxShare: 0.25,
      maxDeviation: 0,
    });
  });
  it('one that took everything has maxShare 1 and deviates by n-1 means', () => {
    assert.deepEqual(spreadOf({ a: 40, b: 0, c: 0, d: 0 }), { counts: { a: 40, b: 0, c: 0, d: 0 }, maxShare: 1, maxDeviation: 3 });
  });
  it('uneven counts give the largest distance from the mean over the mean', () => {
    // mean 20; the farthest is 30 (or 10): 10 / 20
    assert.equal(spreadOf({ a: 30, b: 10, c: 20 })!.maxDeviation, 0.5);
    assert.equal(spreadOf({ a: 30, b: 10, c: 20 })!.maxShare, 0.5);
  });
  it('one socket, or nothing at all, has no spread to speak of', () => {
    assert.equal(spreadOf({ a: 5 }), undefined);
    assert.deepEqual(spreadOf({ a: 0, b: 0 }), { counts: { a: 0, b: 0 }, maxShare: 0, maxDeviation: 0 });
  });
});

describe('parseSsInfo (B8 wire bytes)', () => {
  it('sums bytes_sent and bytes_received over every connection of `ss -tinH`', () => {
    const text =
      '0      0      127.0.0.1:40017 127.0.0.1:33688\n\t bbr wscale:10,10 rto:208 bytes_sent:51591 bytes_acked:51591 bytes_received:104 segs_out:348\n' +
      '0      12     127.0.0.1:40017 127.0.0.1:33690\n\t cubic bytes_sent:1000 bytes_acked:988 bytes_received:96 segs_out:3\n';
    assert.deepEqual(parseSsInfo(text), { connections: 2, bytesSent: 52591, bytesReceived: 200 });
  });
  it('no connections: zeros', () => {
    assert.deepEqual(parseSsInfo(''), { connections: 0, bytesSent: 0, bytesReceived: 0 });
  });
});

describe('misuse (B1)', () => {
  const scenario = (serverMisuse: unknown, clientMisuse: unknown, pushMisuse?: unknown) => ({
    name: 'order',
    topology: {
      endpoints: ['svc', 'tasks'],
      groups: [
        { name: 'servers', type: 'rep', bind: 'svc', ...(serverMisuse === undefined ? {} : { misuse: serverMisuse }) },
        { name: 'clients', type: 'req', connect: 'svc', ...(clientMisuse === undefined ? {} : { misuse: clientMisuse }) },
        { name: 'pusher', type: 'push', bind: 'tasks', ...(pushMisuse === undefined ? {} : { misuse: pushMisuse }) },
        { name: 'puller', type: 'pull', connect: 'tasks' },
      ],
    },
  });
  it('req send-twice and rep reply-first are taken and normalized', () => {
    const r = validateScenario(scenario('reply-first', 'send-twice'));
    assert.ok('scenario' in r);
    assert.deepEqual(
      r.scenario.groups.map((g) => g.misuse),
      ['reply-first', 'send-twice', null, null],
    );
  });
  it('the wrong misuse for the type, or misuse on another type, is one problem each with its path', () => {
    const r = validateScenario(scenario('send-twice', 'reply-first', 'send-twice'));
    assert.ok('problems' in r);
    assert.deepEqual(r.problems, [
      'topology.groups[0].misuse: must be reply-first for a rep group, got "send-twice"',
      'topology.groups[1].misuse: must be send-twice for a req group, got "reply-first"',
      'topology.groups[2].misuse: is only for req and rep groups, not push',
    ]);
  });
});
