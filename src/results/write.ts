import { rename, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { RunResult } from '../core/types.js';
import { makeFolder } from './output-paths.js';

export const RESULT_FILE = 'result.json';

/**
 * Writes `<dir>/result.json` (2-space JSON) and returns its path. The file is written under a
 * temporary name and renamed, so an exit in the middle never leaves half a result.json.
 */
export async function writeResult(dir: string, r: RunResult): Promise<string> {
  const path = join(dir, RESULT_FILE);
  await writeFileAtomically(path, `${JSON.stringify(r, null, 2)}\n`);
  return path;
}

/** Writes under a temporary name, then renames: readers see the old file or the whole new one. */
export async function writeFileAtomically(path: string, text: string): Promise<void> {
  await makeFolder(dirname(path));
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    await writeFile(tmp, text, 'utf8');
    await rename(tmp, path);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** `reports/<scenario>-<YYYYMMDD-HHMMSS>`, the time in UTC so folders sort the same everywhere. */
export function defaultOutDir(scenarioName: string, now: Date): string {
  const stamp =
    `${now.getUTCFullYear()}${pad2(now.getUTCMonth() + 1)}${pad2(now.getUTCDate())}-` +
    `${pad2(now.getUTCHours())}${pad2(now.getUTCMinutes())}${pad2(now.getUTCSeconds())}`;
  return join('reports', `${safeName(scenarioName)}-${stamp}`);
}

/**
 * Validated scenario names are already safe ([A-Za-z][A-Za-z0-9_-]*); this keeps any other
 * string from reaching outside the folder (no "/", no "..").
 */
export function safeName(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9_.-]/g, '_').replace(/^\.+/, '_');
  return cleaned === '' ? 'scenario' : cleaned;
}
