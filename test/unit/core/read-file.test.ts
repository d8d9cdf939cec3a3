import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FileRefused, readProblem, readRegularFile, readRegularFileSync } from '../../../src/core/read-file.js';

/** The message a read fails with, as it follows the path in a problem line. */
async function refusal(read: () => unknown): Promise<string> {
  try {
    await read();
  } catch (e) {
    return readProblem(e);
  }
  return assert.fail('expected the read to be refused');
}

describe('readRegularFile and readRegularFileSync', () => {
  let dir = '';
  let server: Server | undefined;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'zb-read-'));
    writeFileSync(join(dir, 'ten.bin'), '0123456789');
    mkdirSync(join(dir, 'folder'));
    // A unix socket in the file system: a path that stat() says is a socket.
    const s = createServer();
    await new Promise<void>((resolve) => s.listen(join(dir, 'sock'), resolve));
    server = s;
  });
  after(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  for (const [name, read] of [
    ['async', readRegularFile],
    ['sync', readRegularFileSync],
  ] as const) {
    it(`${name}: reads a regular file whole, or at most limit + 1 bytes of it`, async () => {
      assert.deepEqual(await read(join(dir, 'ten.bin'), 10, 'file'), { bytes: Buffer.from('0123456789'), tooLarge: false });
      assert.deepEqual(await read(join(dir, 'ten.bin'), 4, 'file'), { bytes: Buffer.from('01234'), tooLarge: true });
    });

    it(`${name}: does not trust stat's size (files in /proc say 0 and hold text)`, {
      skip: process.platform !== 'linux' && 'Linux /proc',
    }, async () => {
      const { bytes, tooLarge } = await read('/proc/self/status', 1024 * 1024, 'file');
      assert.equal(tooLarge, false);
      assert.match(bytes.toString(), /^Name:/);
    });

    it(`${name}: refuses devices, sockets and folders by what they are, without reading`, async () => {
      assert.equal(
        await refusal(() => read('/dev/zero', 1024, 'payload file')),
        'is not a regular file (a character device); only regular files are read',
      );
      assert.equal(
        await refusal(() => read(join(dir, 'sock'), 1024, 'payload file')),
        'is not a regular file (a socket); only regular files are read',
      );
      assert.equal(await refusal(() => read(join(dir, 'folder'), 1024, 'payload file')), 'is a directory, not a payload file');
      assert.equal(await refusal(() => read(join(dir, 'missing'), 1024, 'payload file')), 'file not found');
    });
  }

  it('a refusal is a FileRefused, a missing file the system error', async () => {
    await assert.rejects(readRegularFile('/dev/null', 1, 'file'), FileRefused);
    await assert.rejects(readRegularFile(join(dir, 'missing'), 1, 'file'), { code: 'ENOENT' });
  });
});
