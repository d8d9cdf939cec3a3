import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseAgentsArgument, parseTcpAddress } from '../../../src/agent/agent-args.js';
import { isLoopbackAddress } from '../../../src/scenario/validate-external.js';
import { agentRunOptions } from '../../../src/agent/agent-run-options.js';
import { PUSH_PULL, scenarioOf, thrownProblems } from '../../support/validation.js';

describe('agent arguments', () => {
  it('reads --agents label=tcp://host:port lists, repeated or not', () => {
    assert.deepEqual(parseAgentsArgument('a=tcp://198.18.0.2:7000,b=tcp://agent-1.svc:7000'), [
      { label: 'a', url: 'tcp://198.18.0.2:7000' },
      { label: 'b', url: 'tcp://agent-1.svc:7000' },
    ]);
    assert.deepEqual(parseAgentsArgument('c=tcp://[::1]:7', [{ label: 'a', url: 'tcp://127.0.0.1:1' }]).length, 2);
    assert.match(String(parseAgentsArgument('tcp://1.2.3.4:5')), /expected label=tcp/);
    assert.match(String(parseAgentsArgument('a=udp://1.2.3.4:5')), /^a: expected tcp:\/\/<address>:<port>/);
    assert.match(String(parseAgentsArgument('a=tcp://1.2.3.4:70000')), /port from 1 to 65535/);
    assert.equal(parseAgentsArgument('a=tcp://h:1,a=tcp://h:2'), 'a is given twice');
  });

  it('tells loopback from the rest', () => {
    assert.deepEqual(parseTcpAddress('tcp://127.0.0.1:7000'), { host: '127.0.0.1', port: 7000 });
    const on = (host: string) => isLoopbackAddress(`tcp://${host}:7000`);
    assert.ok(on('127.0.0.1') && on('localhost') && on('[::1]'));
    assert.ok(!on('198.18.0.2') && !on('0.0.0.0'));
  });

  it('checks --agents against the scenarios: labels they declare, keys off loopback', async () => {
    const s = scenarioOf({ ...PUSH_PULL, hosts: [{ label: 'a' }] });
    assert.deepEqual(
      await thrownProblems(() => agentRunOptions([s], [{ label: 'b', url: 'tcp://198.18.0.2:7000' }], undefined, undefined)),
      [
        '--agents b: no scenario of this run has a host labelled b (hosts: a)',
        '--agents b=tcp://198.18.0.2:7000 is not on loopback: --keys <dir> is required (make the keys with zmq-bench keys <dir>)',
      ],
    );
    assert.deepEqual(await agentRunOptions([s], [{ label: 'a', url: 'tcp://127.0.0.1:7000' }], undefined, undefined), {
      targets: [{ label: 'a', url: 'tcp://127.0.0.1:7000' }],
      keys: null,
      timeoutMs: 10_000,
    });
    assert.equal(await agentRunOptions([s], undefined, undefined, undefined), undefined);
    assert.deepEqual(await thrownProblems(() => agentRunOptions([s], undefined, '/tmp/keys', undefined)), [
      '--keys is for runs with --agents',
    ]);
  });
});
