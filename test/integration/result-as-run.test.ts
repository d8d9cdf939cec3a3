import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { RunResult } from '../../src/core/types.js';
import { pythonZmqProblem, withPeer } from '../support/python-peer.js';

/**
 * result.json holds the scenario as it ran, which runs again (issue 17, item 12): a run
 * against an external service, through the CLI, keeps the external endpoint, the payload and
 * the check, the block validates again, and the report's topology shows what was sent.
 */

const CLI = fileURLToPath(new URL('../../src/cli.js', import.meta.url));
const env = { ...process.env, NO_COLOR: '1' };

async function cli(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const [status] = (await once(child, 'exit')) as [number | null];
  return { status, stdout, stderr };
}

let tmp = '';
before(() => {
  const problem = pythonZmqProblem();
  if (problem) throw new Error(problem);
  tmp = mkdtempSync(join(tmpdir(), 'zb-as-run-'));
});
after(() => rmSync(tmp, { recursive: true, force: true }));

describe('result.json of a run against an external service', () => {
  it('holds the external endpoint, payload and check; validates again with exit 0; the topology shows them', async () => {
    writeFileSync(join(tmp, 'hello.txt'), 'Hello');
    const scenario = join(tmp, 'ext.yaml');
    writeFileSync(
      scenario,
      `name: ext
topology:
  endpoints:
    - { name: server, external: "tcp://127.0.0.1:5555" }
  groups:
    - { name: clients, type: req, connect: server, rate: 100, payload: { file: hello.txt }, check: { equals: World } }
`,
    );
    const out = join(tmp, 'out');
    const { ours: run, theirs } = await withPeer('hello_world_server.py', 'tcp://127.0.0.1:*', [], async (endpoint) => ({
      endpoint,
      ...(await cli(['run', scenario, '--endpoint', `server=${endpoint}`, '--duration', '500ms', '--out', out])),
    }));
    assert.equal(run.status, 0, run.stderr);
    assert.ok(Number(theirs['answered']) > 0, 'the server was asked');

    const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as RunResult;
    const block = result.scenario as { topology: { endpoints: unknown[]; groups: Array<Record<string, unknown>> } };
    assert.deepEqual(block.topology.endpoints, [{ name: 'server', external: run.endpoint }], 'the address the run was pointed at');
    const clients = block.topology.groups[0]!;
    assert.deepEqual(clients['payload'], { file: 'hello.txt' });
    assert.deepEqual(clients['check'], { equals: 'World' });
    assert.equal(clients['size'], undefined, 'no size beside a payload');

    // beside the scenario file, so the payload path resolves as it did
    const again = join(tmp, 'again.json');
    writeFileSync(again, JSON.stringify(result.scenario));
    const validated = await cli(['validate', again]);
    assert.equal(validated.status, 0, validated.stdout + validated.stderr);

    const html = readFileSync(join(out, 'report.html'), 'utf8');
    const svg = /<svg[^>]*class="topo"[\s\S]*?<\/svg>/.exec(html)?.[0] ?? '';
    assert.ok(svg.includes('server (external)'), 'the endpoint is marked external');
    assert.ok(svg.includes(run.endpoint), 'with the address it ran against');
    assert.ok(svg.includes('file hello.txt at 100/s'), 'the group says what it sends');
    assert.ok(!svg.includes('64 B'), 'and no size it did not send');
  });
});
