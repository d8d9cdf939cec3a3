import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { reserveLoopbackPorts } from '../../src/transport/free-port.js';
import { CLI, startAgent } from '../support/agent-process.js';

/** `agent` and `run --agents` through the real CLI: bad arguments get one line each and exit 104; a run spans an agent. */

const SCENARIOS = fileURLToPath(new URL('../../../scenarios/', import.meta.url));
const DISTRIBUTED = join(SCENARIOS, 'distributed', 'slow-subscriber.yaml');
const tmp = mkdtempSync(join(tmpdir(), 'zmq-bench-agents-cli-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function cli(...args: string[]) {
  return spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 30_000 });
}

describe('zmq-bench agent and run --agents on the command line', () => {
  it('refuses an agent off loopback without keys, and a --listen that is not tcp://address:port', () => {
    const open = cli('agent', '--listen', 'tcp://198.18.0.9:7000');
    assert.equal(open.status, 104);
    assert.match(open.stderr, /^zmq-bench: --listen tcp:\/\/198\.18\.0\.9:7000 is not on loopback: --keys <dir> is required/);
    const bad = cli('agent', '--listen', 'ipc://@x');
    assert.equal(bad.status, 104);
    assert.equal(bad.stderr, 'zmq-bench: --listen: expected tcp://<address>:<port> with a port from 1 to 65535, got "ipc://@x"\n');
    const keys = cli('agent', '--listen', 'tcp://127.0.0.1:7000', '--keys', join(tmp, 'none'));
    assert.equal(keys.status, 104);
    assert.match(keys.stderr, /none\/agent\.public: missing/);
  });

  it('refuses --agents that are malformed, name no host of the scenario, or leave loopback without keys', () => {
    const malformed = cli('run', DISTRIBUTED, '--agents', 'publisher');
    assert.equal(malformed.status, 104);
    assert.match(malformed.stderr, /argument .publisher. is invalid. Expected label=tcp:\/\/<address>:<port>/);
    const unknown = cli('run', DISTRIBUTED, '--agents', 'elsewhere=tcp://127.0.0.1:7000,subscribers=tcp://198.18.0.9:7000');
    assert.equal(unknown.status, 104);
    assert.deepEqual(unknown.stderr.trim().split('\n'), [
      'zmq-bench: --agents elsewhere: no scenario of this run has a host labelled elsewhere (hosts: publisher, subscribers)',
      'zmq-bench: --agents subscribers=tcp://198.18.0.9:7000 is not on loopback: --keys <dir> is required (make the keys with zmq-bench keys <dir>)',
    ]);
  });

  it('an agent that does not answer fails the run before it starts (exit 97), naming it', async () => {
    const [port] = await reserveLoopbackPorts(1);
    const r = cli(
      'run',
      DISTRIBUTED,
      '--agents',
      `subscribers=tcp://127.0.0.1:${port}`,
      '--agent-timeout',
      '500ms',
      '--out',
      join(tmp, 'x'),
    );
    assert.equal(r.status, 97);
    assert.match(r.stderr, new RegExp(`zmq-bench: agent subscribers \\(tcp://127\\.0\\.0\\.1:${port}\\): no answer within 500ms`));
  });

  it('runs a scenario with one host on an agent and the other here, and says so', async () => {
    const [port] = await reserveLoopbackPorts(1);
    const agent = await startAgent({ listen: `tcp://127.0.0.1:${port}` });
    try {
      const out = join(tmp, 'run');
      const r = cli('run', DISTRIBUTED, '--agents', `subscribers=tcp://127.0.0.1:${port}`, '--duration', '500ms', '--out', out);
      assert.match(
        r.stderr,
        new RegExp(`agent subscribers \\(tcp://127\\.0\\.0\\.1:${port}\\): .+ clock offset -?[\\d.]+ ms ± [\\d.]+ ms`),
      );
      assert.match(r.stderr, /host publisher: no agent given \(--agents\), runs here/);
      assert.match(r.stdout, /hosts: subscribers · /);
      assert.equal(r.status, 0, r.stderr);
      await agent.waitFor(/a coordinator said hello/);
    } finally {
      await agent.stop();
    }
  });
});
