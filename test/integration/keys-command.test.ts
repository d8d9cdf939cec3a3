import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

/** `zmq-bench keys <dir>` through the real CLI process: files, output, exit codes. */

const CLI = fileURLToPath(new URL('../../src/cli.js', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'zmq-bench-keys-cli-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const keys = (...args: string[]) => spawnSync(process.execPath, [CLI, 'keys', ...args], { encoding: 'utf8', timeout: 30_000 });
const NAMES = ['coordinator.public', 'coordinator.secret', 'agent.public', 'agent.secret'];

describe('zmq-bench keys', () => {
  it('writes the four files and names them (exit 0), refuses to overwrite (exit 104, each path), replaces with --force', () => {
    const dir = join(tmp, 'k');
    const first = keys(dir);
    assert.equal(first.status, 0, first.stderr);
    assert.equal(first.stderr, '');
    for (const name of NAMES) assert.match(first.stdout, new RegExp(`^written: ${join(dir, name)}$`, 'm'));
    assert.equal(statSync(join(dir, 'agent.secret')).mode & 0o777, 0o600);
    const secret = readFileSync(join(dir, 'coordinator.secret'), 'utf8');

    const again = keys(dir);
    assert.equal(again.status, 104);
    assert.equal(again.stdout, '');
    assert.deepEqual(
      again.stderr.trimEnd().split('\n'),
      NAMES.map((n) => `zmq-bench: ${join(dir, n)}: exists already; expected no key files there (--force replaces them)`),
    );
    assert.equal(readFileSync(join(dir, 'coordinator.secret'), 'utf8'), secret);

    const forced = keys(dir, '--force');
    assert.equal(forced.status, 0, forced.stderr);
    assert.notEqual(readFileSync(join(dir, 'coordinator.secret'), 'utf8'), secret);
  });

  it('exits 104 with one line when the folder is missing from the command or is a file', () => {
    const none = keys();
    assert.equal(none.status, 104);
    assert.equal(none.stderr, "zmq-bench: missing required argument 'dir'\n");
    assert.equal(keys(join(tmp, 'f')).status, 0);
    const onFile = keys(join(tmp, 'f', 'agent.public'));
    assert.equal(onFile.status, 104);
    assert.equal(onFile.stderr, `zmq-bench: ${join(tmp, 'f', 'agent.public')}: not a folder; expected a folder for the keys\n`);
  });
});
