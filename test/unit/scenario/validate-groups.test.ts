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
    assert.deepEqual(group(0, { delay: '1ms' }), ['topology.groups[0].delay: is only for sub, pull, rep and router groups, not push']);
    assert.deepEqual(group(0, { options: { nodrop: true } }), [
      `topology.groups[0].options.nodrop: is not available on push sockets (they take ${allowedOptions('push').join(', ')})`,
    ]);
  });

  it('wants threads <= count, and a sending group', () => {
    assert.deepEqual(group(1, { threads: 2 }), ['topology.groups[1].threads: must be at most count (1), got 2']);
    assert.deepEqual(group(0, { type: 'pull' }), ['topology.groups: must include a sending group (pub, push, req or dealer), got none']);
  });
});
