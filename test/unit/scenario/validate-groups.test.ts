import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { allowedOptions } from '../../../src/scenario/socket-options.js';
import { groupProblems } from '../../../src/scenario/validate/groups.js';
import { pipeWith, topicLines } from '../../support/topic.js';

const groups = (change: Parameters<typeof pipeWith>[0]) => topicLines(groupProblems, pipeWith(change));
const group = (i: number, fields: Record<string, unknown>) => groups((s) => Object.assign(s.topology.groups[i]!, fields));

describe('validation topic: group fields', () => {
  it('finds nothing wrong with a sender and a receiver with fields of their own', () => {
    assert.deepEqual(
      groups((s) => Object.assign(s.topology.groups[1]!, { count: 4, threads: 2, delay: '1ms', options: { rcvhwm: 10 } })),
      [],
    );
  });

  it('wants unique names', () => {
    assert.deepEqual(group(1, { name: 'vent' }), ['topology.groups[1].name: must be unique (also topology.groups[0].name), got "vent"']);
  });

  it('keeps fields and socket options to the types that have them', () => {
    assert.deepEqual(group(0, { delay: '1ms' }), [
      'topology.groups[0].delay: is only for sub, pull, rep, router, xsub, dish and pair groups, not push',
    ]);
    assert.deepEqual(group(0, { options: { nodrop: true } }), [
      `topology.groups[0].options.nodrop: is not available on push sockets (they take ${allowedOptions('push').join(', ')})`,
    ]);
  });

  it('keeps the liveness options to the types zeromq.js defines them on', () => {
    assert.deepEqual(group(1, { options: { heartbeatIvl: 100, heartbeatTimeout: 300, maxMsgSize: 100, tcpKeepalive: 1 } }), []);
    assert.deepEqual(group(0, { options: { handover: true } }), [
      `topology.groups[0].options.handover: is not available on push sockets (they take ${allowedOptions('push').join(', ')})`,
    ]);
    assert.deepEqual(group(1, { options: { probeRouter: true, routingId: 'p1' } }), [
      `topology.groups[1].options.probeRouter: is not available on pull sockets (they take ${allowedOptions('pull').join(', ')})`,
      `topology.groups[1].options.routingId: is not available on pull sockets (they take ${allowedOptions('pull').join(', ')})`,
    ]);
  });

  it('refuses values libzmq or the kernel would refuse: a keepalive count of 0, a routing id over 255 bytes', () => {
    assert.deepEqual(group(1, { options: { tcpKeepaliveIdle: 0, tcpKeepaliveCnt: -1, tcpKeepaliveIntvl: 0 } }), [
      'topology.groups[1].options.tcpKeepaliveIdle: must be -1 (the OS default) or at least 1, got 0',
      'topology.groups[1].options.tcpKeepaliveIntvl: must be -1 (the OS default) or at least 1, got 0',
    ]);
    const wide = 'é'.repeat(200); // 200 characters, 400 bytes
    assert.deepEqual(
      groups((s) => Object.assign(s.topology.groups[1]!, { type: 'router', options: { routingId: wide } })),
      ['topology.groups[1].options.routingId: must be at most 255 bytes of UTF-8, got 400'],
    );
  });

  it('wants threads <= count, and a sending group', () => {
    assert.deepEqual(group(1, { threads: 2 }), ['topology.groups[1].threads: must be at most count (1), got 2']);
    assert.deepEqual(group(0, { type: 'pull' }), [
      'topology.groups: must include a sending group (pub, push, req, dealer, xpub, radio or pair with side: sender), got none',
    ]);
  });
});
