import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { open, stat } from 'node:fs/promises';

/**
 * Reading the files a scenario names (the scenario and suite files, payload files) without ever
 * hanging or filling memory: only regular files are read, and never more than a bound.
 *
 * A FIFO blocks open() and read() until a writer comes (for ever, and a synchronous read also
 * blocks signal handling); /dev/zero never ends; opening some devices does something by itself.
 * So the path is stat'ed before it is opened, opened without blocking, checked again on the open
 * handle (the path may have changed in between) and read to at most `limit` + 1 bytes, whatever
 * size stat claims (files in /proc claim 0).
 */

/** A file refused for what it is or how large it is; the message follows the path. */
export class FileRefused extends Error {}

// O_NONBLOCK: opening a FIFO returns at once instead of waiting for a writer. O_NOCTTY: a
// terminal never becomes the process's controlling terminal. Both are 0 where they do not exist.
const FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0);
const CHUNK = 64 * 1024;

/** What a path is, in words: "a folder", "a FIFO", "a character device", ... */
export function fileKind(s: Stats): string {
  if (s.isDirectory()) return 'a folder';
  if (s.isFile()) return 'a file';
  if (s.isCharacterDevice()) return 'a character device';
  if (s.isBlockDevice()) return 'a block device';
  if (s.isFIFO()) return 'a FIFO';
  if (s.isSocket()) return 'a socket';
  return 'not a file or folder';
}

/** Throws unless `s` is a regular file; `what` names what the file should have been. */
function refuseSpecial(s: Stats, what: string): void {
  if (s.isFile()) return;
  if (s.isDirectory()) throw new FileRefused(`is a directory, not a ${what}`);
  throw new FileRefused(`is not a regular file (${fileKind(s)}); only regular files are read`);
}

export interface Bounded {
  bytes: Buffer;
  /** more than `limit` bytes were there: `bytes` holds only the first limit + 1 */
  tooLarge: boolean;
}

function bounded(chunks: Buffer[], length: number, limit: number): Bounded {
  return { bytes: Buffer.concat(chunks, length), tooLarge: length > limit };
}

/** The first `limit` + 1 bytes at most of a regular file. Errors: FileRefused, or the system's (ENOENT...). */
export async function readRegularFile(path: string, limit: number, what: string): Promise<Bounded> {
  refuseSpecial(await stat(path), what);
  const handle = await open(path, FLAGS);
  try {
    refuseSpecial(await handle.stat(), what);
    const chunks: Buffer[] = [];
    let length = 0;
    while (length <= limit) {
      const chunk = Buffer.alloc(Math.min(CHUNK, limit + 1 - length));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      length += bytesRead;
    }
    return bounded(chunks, length, limit);
  } finally {
    await handle.close();
  }
}

/**
 * The same, synchronously: for payload files, read while a scenario is validated. Blocking is
 * short and bounded, as only a regular file is ever read, and at most `limit` + 1 bytes of it.
 */
export function readRegularFileSync(path: string, limit: number, what: string): Bounded {
  refuseSpecial(statSync(path), what);
  const fd = openSync(path, FLAGS);
  try {
    refuseSpecial(fstatSync(fd), what);
    const chunks: Buffer[] = [];
    let length = 0;
    while (length <= limit) {
      const chunk = Buffer.alloc(Math.min(CHUNK, limit + 1 - length));
      const bytesRead = readSync(fd, chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      length += bytesRead;
    }
    return bounded(chunks, length, limit);
  } finally {
    closeSync(fd);
  }
}

/** A failed read in the user's words, to follow the path. */
export function readProblem(e: unknown): string {
  if (e instanceof FileRefused) return e.message;
  const code = (e as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return 'file not found';
    case 'EACCES':
    case 'EPERM':
      return 'cannot read the file (permission denied)';
    case 'ENOTDIR':
      return 'file not found (a part of the path is a file, not a folder)';
    default:
      return `cannot read the file (${code ?? (e instanceof Error ? e.message : String(e))})`;
  }
}

/** Result and index files: a day-long run's time series stays far below this. */
export const RESULT_FILE_LIMIT = 512 * 1024 * 1024;

/** A saved result or index as text: a regular file of at most RESULT_FILE_LIMIT bytes, or a thrown problem in the user's words. */
export async function readResultText(path: string): Promise<string> {
  let read: Bounded;
  try {
    read = await readRegularFile(path, RESULT_FILE_LIMIT, 'result file');
  } catch (e) {
    throw new FileRefused(readProblem(e));
  }
  if (read.tooLarge) throw new FileRefused(`is more than ${RESULT_FILE_LIMIT} bytes`);
  return read.bytes.toString('utf8');
}
