import { join } from 'node:path';
import { invalidInput } from '../core/errors.js';
import { readProblem, readRegularFile } from '../core/read-file.js';

/**
 * The CURVE keys of a run on Kubernetes, as `zmq-bench keys <dir>` writes them: one Z85 key
 * (40 characters) and a newline per file. The Secret holds the four; each pod mounts only the
 * three it needs (an agent never sees the coordinator's secret key, nor the coordinator an agent's).
 */

export const KEY_FILES = ['coordinator.public', 'coordinator.secret', 'agent.public', 'agent.secret'] as const;
export type KeyFile = (typeof KEY_FILES)[number];
export type RunKeys = Record<KeyFile, string>;

/** What each side mounts from the Secret. */
export const AGENT_KEY_FILES: readonly KeyFile[] = ['agent.public', 'agent.secret', 'coordinator.public'];
export const COORDINATOR_KEY_FILES: readonly KeyFile[] = ['coordinator.public', 'coordinator.secret', 'agent.public'];

/** Z85 (ZeroMQ RFC 32): 85 characters; a 32-byte CURVE key is 40 of them. */
const Z85_KEY = /^[0-9a-zA-Z.\-:+=^!/*?&<>()[\]{}@%$#]{40}$/;

/** Keys made here: a coordinator pair and one agent pair shared by all agents. */
export function keysFromPairs(
  coordinator: { publicKey: string; secretKey: string },
  agent: { publicKey: string; secretKey: string },
): RunKeys {
  return {
    'coordinator.public': coordinator.publicKey,
    'coordinator.secret': coordinator.secretKey,
    'agent.public': agent.publicKey,
    'agent.secret': agent.secretKey,
  };
}

/** A key file's text → its key, or what is wrong with it. */
export function keyOfText(text: string): { key: string } | { problem: string } {
  const key = text.replace(/\r?\n$/, '');
  if (Z85_KEY.test(key)) return { key };
  return {
    problem: `must hold one Z85 CURVE key (40 characters) and a newline, as zmq-bench keys writes it; got ${text.length} characters`,
  };
}

/** The four key files of `dir`; every problem (a missing file, a bad key) at once, exit 104. */
export async function readKeyDir(dir: string): Promise<RunKeys> {
  const problems: string[] = [];
  const keys: Partial<RunKeys> = {};
  for (const file of KEY_FILES) {
    const path = join(dir, file);
    try {
      // a key file is 41 bytes; anything past 1 KiB is not one
      const read = await readRegularFile(path, 1024, 'key file');
      const found = read.tooLarge ? { problem: 'is larger than 1 KiB: not a key file' } : keyOfText(read.bytes.toString('utf8'));
      if ('key' in found) keys[file] = found.key;
      else problems.push(`--keys: ${path}: ${found.problem}`);
    } catch (e) {
      problems.push(`--keys: ${path}: ${readProblem(e)}`);
    }
  }
  if (problems.length > 0) throw invalidInput(problems);
  return keys as RunKeys;
}
