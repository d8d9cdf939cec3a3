import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { RunResult } from '../../src/core/types.js';
import { liveChildren } from '../../src/runtime/process-worker-handle.js';
import { runScenario } from '../../src/runtime/run.js';
import { scenarioOf } from '../support/validation.js';

/**
 * A socket that cannot bind, and a child process killed from outside, are each one problem
 * line that names the group, the socket index and the address (issue 17, item 13).
 */

const CLI = fileURLToPath(new URL('../../src/cli.js', import.meta.url));
const env = { ...process.env, NO_COLOR: '1' };

let tmp = '';
before(() => {
  tmp = mkdtempSync(join(tmpdir(), 'zb-failures-'));
});
after(() => rmSync(tmp, { recursive: true, force: true }));

/** A scenario whose one group binds an external address (a peer would connect to it), run through the CLI. */
function runBinding(name: string, address: string): { status: number | null; stdout: string; stderr: string; result: RunResult } {
  const file = join(tmp, `${name}.yaml`);
  writeFileSync(
    file,
    `name: ${name}
duration: 300ms
topology:
  endpoints:
    - { name: svc, external: "${address}" }
  groups:
    - { name: sink, type: pull, bind: svc }
`,
  );
  const out = join(tmp, `${name}-out`);
  const r = spawnSync(process.execPath, [CLI, 'run', file, '--out', out], { env, encoding: 'utf8', timeout: 60_000 });
  return {
    status: r.status,
    stdout: r.stdout,
    stderr: r.stderr,
    result: JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as RunResult,
  };
}

/** The problem lines of the console summary. */
function printedProblems(stdout: string): string[] {
  const lines = stdout.split('\n');
  const start = lines.indexOf('problems:');
  if (start < 0) return [];
  const out: string[] = [];
  for (const l of lines.slice(start + 1)) {
    if (!l.startsWith('  - ')) break;
    out.push(l.slice(4));
  }
  return out;
}

describe('a socket that cannot bind', () => {
  let holder: Server;
  let port = 0;
  before(async () => {
    holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    port = (holder.address() as AddressInfo).port;
  });
  after(() => holder.close());

  it('a tcp port already in use: one line naming the group, socket and address; exit 97', () => {
    const address = `tcp://127.0.0.1:${port}`;
    const r = runBinding('port-taken', address);
    const line = `sink[0] could not bind endpoint svc to ${address}: Address already in use`;
    assert.deepEqual(r.result.problems, [line]);
    assert.deepEqual(printedProblems(r.stdout), [line]);
    assert.equal(r.status, 97, 'a run that could not start is not a valid measurement');
    assert.doesNotMatch(r.stderr, /bound svc=/, 'no "bound" line for an endpoint that was not bound');
    assert.deepEqual(r.result.endpoints, { svc: [address] }, 'no empty address in the result');
  });

  it('an ipc path in a folder that does not exist: one line naming the folder', () => {
    const folder = join(tmp, 'no-such-folder');
    const address = `ipc://${join(folder, 'svc.ipc')}`;
    const r = runBinding('no-folder', address);
    assert.deepEqual(r.result.problems, [
      `sink[0] could not bind endpoint svc to ${address}: No such endpoint (folder ${folder} does not exist)`,
    ]);
    assert.equal(r.status, 97);
    assert.doesNotMatch(r.stderr, /bound svc=/);
  });
});

describe('a child process killed from outside', () => {
  it('is one problem line naming its group and socket', async () => {
    const scenario = scenarioOf({
      name: 'killed-child',
      transport: 'tcp',
      duration: '2s',
      drain: '500ms',
      topology: {
        endpoints: ['work'],
        groups: [
          { name: 'producer', type: 'push', bind: 'work', rate: 500 },
          { name: 'workers', type: 'pull', count: 2, placement: 'process', connect: 'work' },
        ],
      },
    });
    let killed: number | undefined;
    const result = await runScenario(scenario, {
      log: (line) => {
        if (!line.startsWith('measuring for')) return;
        killed = liveChildren()[0];
        // a moment into the measurement, as the OOM killer or a user would
        setTimeout(() => process.kill(killed!, 'SIGKILL'), 300);
      },
    });
    assert.ok(killed !== undefined, 'a child was killed');
    assert.equal(result.problems.length, 1, result.problems.join('\n'));
    assert.match(result.problems[0]!, new RegExp(`^workers\\[[01]\\]: its process ${killed} was killed by SIGKILL$`));
    assert.equal(result.complete, false);
    assert.deepEqual(liveChildren(), []);
  });
});
