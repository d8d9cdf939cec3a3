import { lstat, mkdir, open, stat, unlink } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { invalidInput, messageOf } from '../core/errors.js';
import { fileKind } from '../core/read-file.js';

/**
 * Output paths (--out, --junit, report -o, ...) are checked before anything runs, so a long
 * benchmark never ends by throwing its results away; and folders are made without Node's
 * recursive mkdir, which can spin for ever (makeFolder).
 */

export interface OutputPath {
  /** how the user gave it: "--junit", or what it is when it was not given ("the results folder") */
  flag: string;
  path: string;
  /** folder: files are written into it; file: replaced as a whole (written beside it, then renamed); append: appended to */
  kind: 'folder' | 'file' | 'append';
}

const code = (e: unknown): string | undefined => (e as NodeJS.ErrnoException | undefined)?.code;

/**
 * Can files be created in this existing folder? Creating one is the only test that holds for
 * root (access() says yes to root almost everywhere) and for /proc, which refuses every new name.
 */
async function writableProblem(dir: string): Promise<string | null> {
  const probe = join(dir, `.zmq-bench-write-check-${process.pid}-${Math.random().toString(36).slice(2)}`);
  try {
    await (await open(probe, 'wx')).close();
  } catch (e) {
    // "EACCES: permission denied, open '<probe>'": the probe's name would only confuse
    return `cannot create files in ${dir} (${messageOf(e).replace(/, open '.*'$/, '')})`;
  }
  await unlink(probe).catch(() => undefined);
  return null;
}

/** The nearest folder that exists at or above `path`, or why there is none to write in. */
async function nearestFolder(path: string): Promise<{ dir: string } | { problem: string }> {
  for (let p = path; ; p = dirname(p)) {
    let s: Stats;
    try {
      s = await stat(p);
    } catch (e) {
      if (code(e) !== 'ENOENT' && code(e) !== 'ENOTDIR') return { problem: `cannot look at ${p} (${messageOf(e)})` };
      // a symbolic link to nothing: mkdir would find it "existing" and still not get through
      if (
        await lstat(p).then(
          (l) => l.isSymbolicLink(),
          () => false,
        )
      )
        return { problem: `${p} is a symbolic link to something that does not exist` };
      if (dirname(p) === p) return { problem: `no folder of it exists` };
      continue;
    }
    if (!s.isDirectory()) return { problem: `${p} is ${fileKind(s)}, not a folder, so nothing can be made under it` };
    return { dir: p };
  }
}

/** What is wrong with one output path, or null when it can be written. */
export async function outputPathProblem(o: OutputPath): Promise<string | null> {
  const say = (what: string) => `${o.flag} ${o.path === '' ? '""' : o.path}: ${what}`;
  if (o.path === '') return say(`the path is empty; give ${o.kind === 'folder' ? 'a folder' : 'a file'}`);
  const abs = resolve(o.path);
  const existing = await stat(abs).catch(() => undefined);
  if (existing) {
    if (o.kind === 'folder' && !existing.isDirectory()) return say(`it is ${fileKind(existing)}; expected a folder`);
    if (o.kind === 'file' && !existing.isFile()) return say(`it is ${fileKind(existing)}; expected a file (it is replaced as a whole)`);
    if (o.kind === 'append' && existing.isDirectory()) return say('it is a folder; expected a file to append to');
  }
  if (existing && o.kind === 'append') {
    // appended in place: the file itself must open for writing
    const opened = await open(abs, 'a').then(
      (h) => h.close().then(() => null),
      (e: unknown) => messageOf(e),
    );
    return opened === null ? null : say(`cannot append to it (${opened})`);
  }
  const near = existing?.isDirectory() ? { dir: abs } : await nearestFolder(existing ? dirname(abs) : abs);
  if ('problem' in near) return say(near.problem);
  const problem = await writableProblem(near.dir);
  return problem === null ? null : say(problem);
}

/** Every problem of these output paths, one line each, thrown as invalid input (exit 104). */
export async function checkOutputPaths(outputs: readonly OutputPath[]): Promise<void> {
  const problems = (await Promise.all(outputs.map(outputPathProblem))).filter((p): p is string => p !== null);
  if (problems.length > 0) throw invalidInput(problems);
}

/**
 * `mkdir -p` with one mkdir per missing folder. Not `mkdir(dir, { recursive: true })`: Node's
 * recursive mkdir (MKDirpSync/MKDirpAsync in src/node_file.cc, Node 20.20 here) reads ENOENT
 * as "the parent is missing", makes the parent (EEXIST: fine) and tries the child again. A
 * parent that exists but refuses new names with ENOENT, as /proc does, makes that loop for
 * ever at full CPU: measured, `mkdir('/proc/zb-out', { recursive: true })` never returns,
 * sync or async. Here the second ENOENT is an error.
 */
export async function makeFolder(dir: string): Promise<void> {
  const missing: string[] = [];
  for (let p = resolve(dir); ; p = dirname(p)) {
    const s = await stat(p).catch((e: unknown) => {
      if (code(e) === 'ENOENT') return undefined;
      throw e;
    });
    if (s) {
      if (!s.isDirectory()) throw new Error(`${p} is ${fileKind(s)}, not a folder`);
      break;
    }
    if (dirname(p) === p) break;
    missing.push(p);
  }
  for (const p of missing.reverse()) {
    await mkdir(p).catch((e: unknown) => {
      if (code(e) !== 'EEXIST') throw e;
    });
  }
}
