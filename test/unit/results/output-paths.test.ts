import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { checkOutputPaths, makeFolder, outputPathProblem } from '../../../src/results/output-paths.js';
import { writeFileAtomically } from '../../../src/results/write.js';

const tmp = mkdtempSync(join(tmpdir(), 'zmq-bench-output-paths-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const aFile = join(tmp, 'a-file');
writeFileSync(aFile, 'x');

describe('makeFolder', () => {
  it('makes every missing folder, and accepts one that exists', async () => {
    const deep = join(tmp, 'one', 'two', 'three');
    await makeFolder(deep);
    assert.ok(statSync(deep).isDirectory());
    await makeFolder(deep);
  });

  it("fails at once where Node's recursive mkdir loops for ever (/proc), and under a file", { timeout: 5_000 }, async () => {
    await assert.rejects(makeFolder('/proc/zmq-bench-never/out'), { code: 'ENOENT' });
    await assert.rejects(writeFileAtomically('/proc/zmq-bench-never/result.json', '{}'), { code: 'ENOENT' });
    await assert.rejects(makeFolder(join(aFile, 'sub')), { code: 'ENOTDIR' });
  });

  it('writeFileAtomically leaves no temporary file when the rename fails', async () => {
    const dir = join(tmp, 'rename-fails');
    mkdirSync(join(dir, 'target'), { recursive: true });
    await assert.rejects(writeFileAtomically(join(dir, 'target'), 'text'));
    assert.deepEqual(readdirSync(dir), ['target']);
  });
});

describe('outputPathProblem', () => {
  const problem = (kind: 'folder' | 'file' | 'append', path: string) => outputPathProblem({ flag: '--x', path, kind });

  it('accepts folders and files that can be written, existing or not', async () => {
    assert.equal(await problem('folder', tmp), null);
    assert.equal(await problem('folder', join(tmp, 'new', 'deeper')), null);
    assert.equal(await problem('file', aFile), null);
    assert.equal(await problem('file', join(tmp, 'new', 'x.xml')), null);
    assert.equal(await problem('append', aFile), null);
    assert.equal(existsSync(join(tmp, 'new')), false, 'checking makes nothing');
    assert.deepEqual(
      readdirSync(tmp).filter((f) => f.startsWith('.zmq-bench')),
      [],
      'the probe file is gone',
    );
  });

  it('names the flag, the path and what is wrong', async () => {
    assert.equal(await problem('folder', ''), '--x "": the path is empty; give a folder');
    assert.equal(await problem('file', ''), '--x "": the path is empty; give a file');
    assert.equal(await problem('folder', aFile), `--x ${aFile}: it is a file; expected a folder`);
    assert.equal(await problem('file', tmp), `--x ${tmp}: it is a folder; expected a file (it is replaced as a whole)`);
    assert.equal(
      await problem('file', '/dev/null'),
      '--x /dev/null: it is a character device; expected a file (it is replaced as a whole)',
    );
    assert.equal(await problem('append', tmp), `--x ${tmp}: it is a folder; expected a file to append to`);
    assert.equal(
      await problem('file', join(aFile, 'a', 'b.xml')),
      `--x ${join(aFile, 'a', 'b.xml')}: ${aFile} is a file, not a folder, so nothing can be made under it`,
    );
    assert.equal(
      await problem('folder', '/proc/zmq-bench-out'),
      '--x /proc/zmq-bench-out: cannot create files in /proc (ENOENT: no such file or directory)',
    );
    const dangling = join(tmp, 'dangling');
    symlinkSync(join(tmp, 'nowhere'), dangling);
    assert.equal(
      await problem('folder', join(dangling, 'out')),
      `--x ${join(dangling, 'out')}: ${dangling} is a symbolic link to something that does not exist`,
    );
  });

  it('checkOutputPaths throws every problem at once as invalid input', async () => {
    await assert.rejects(
      checkOutputPaths([
        { flag: '--out', path: '', kind: 'folder' },
        { flag: '--junit', path: tmp, kind: 'file' },
        { flag: '--bmf', path: join(tmp, 'fine.json'), kind: 'file' },
      ]),
      {
        exitCode: 104,
        problems: [
          '--out "": the path is empty; give a folder',
          `--junit ${tmp}: it is a folder; expected a file (it is replaced as a whole)`,
        ],
      },
    );
  });
});
