import { createPrivateKey, createPublicKey } from 'node:crypto';
import { lstat, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { invalidInput } from '../core/errors.js';
import { curveKeyPair } from '../engine/current.js';
import type { CurveKeyPair } from '../scenario/plan.js';
import { isCurveKey, z85Decode, z85Encode } from '../scenario/curve.js';

/**
 * The CURVE keys of agents and their coordinator, as `zmq-bench keys <dir>` writes them: four
 * files of one Z85 key (40 characters) and a newline each. One agent key pair is shared by every
 * agent; an agent reads agent.public, agent.secret and coordinator.public, a coordinator reads
 * coordinator.public, coordinator.secret and agent.public.
 */

export const KEY_FILES = {
  coordinatorPublic: 'coordinator.public',
  coordinatorSecret: 'coordinator.secret',
  agentPublic: 'agent.public',
  agentSecret: 'agent.secret',
} as const;

export type KeyFile = (typeof KEY_FILES)[keyof typeof KEY_FILES];

/** What each side reads: its own pair, then the other side's public key. */
export const AGENT_KEY_FILES: readonly [KeyFile, KeyFile, KeyFile] = [
  KEY_FILES.agentPublic,
  KEY_FILES.agentSecret,
  KEY_FILES.coordinatorPublic,
];
export const COORDINATOR_KEY_FILES: readonly [KeyFile, KeyFile, KeyFile] = [
  KEY_FILES.coordinatorPublic,
  KEY_FILES.coordinatorSecret,
  KEY_FILES.agentPublic,
];

export interface AgentKeys {
  publicKey: string;
  secretKey: string;
  coordinatorPublicKey: string;
}

export interface CoordinatorKeys {
  publicKey: string;
  secretKey: string;
  agentPublicKey: string;
}

const SECRET_MODE = 0o600;
const PUBLIC_MODE = 0o644;

/**
 * Writes a new coordinator key pair and a new agent key pair into `dir` (created, 0700, if
 * missing) and returns the paths written. Existing key files are refused, every one named,
 * unless `force`: they are then removed first, so that a secret is never written into a file
 * that others can read.
 */
export async function writeKeys(dir: string, opts: { force?: boolean } = {}): Promise<string[]> {
  await mkdir(dir, { recursive: true, mode: 0o700 }).catch((e: unknown) => {
    const code = codeOf(e);
    throw invalidInput([
      `${dir}: ${code === 'EEXIST' ? 'not a folder' : `cannot create the folder (${code})`}; expected a folder for the keys`,
    ]);
  });
  const files = Object.values(KEY_FILES).map((name) => join(dir, name));
  const existing = (await Promise.all(files.map(async (f) => ((await lstat(f).catch(() => null)) ? f : null)))).filter(
    (f): f is string => f !== null,
  );
  if (existing.length > 0 && !opts.force) {
    throw invalidInput(existing.map((f) => `${f}: exists already; expected no key files there (--force replaces them)`));
  }
  await Promise.all(existing.map((f) => rm(f, { force: true })));
  const pairs: Record<'coordinator' | 'agent', CurveKeyPair> = { coordinator: curveKeyPair(), agent: curveKeyPair() };
  const contents: Array<[KeyFile, string, number]> = [
    [KEY_FILES.coordinatorPublic, pairs.coordinator.publicKey, PUBLIC_MODE],
    [KEY_FILES.coordinatorSecret, pairs.coordinator.secretKey, SECRET_MODE],
    [KEY_FILES.agentPublic, pairs.agent.publicKey, PUBLIC_MODE],
    [KEY_FILES.agentSecret, pairs.agent.secretKey, SECRET_MODE],
  ];
  const written: string[] = [];
  for (const [name, key, mode] of contents) {
    const path = join(dir, name);
    // 'wx': never through a file (or link) that appeared meanwhile
    await writeFile(path, `${key}\n`, { flag: 'wx', mode }).catch((e: unknown) => {
      throw invalidInput([`${path}: cannot be written (${codeOf(e)})`]);
    });
    written.push(path);
  }
  return written;
}

/** What an agent needs: its key pair and the coordinator's public key. */
export async function readAgentKeys(dir: string): Promise<AgentKeys> {
  const keys = await readKeyFiles(dir, AGENT_KEY_FILES);
  return { publicKey: keys[0], secretKey: keys[1], coordinatorPublicKey: keys[2] };
}

/** What a coordinator needs: its key pair and the agents' public key. */
export async function readCoordinatorKeys(dir: string): Promise<CoordinatorKeys> {
  const keys = await readKeyFiles(dir, COORDINATOR_KEY_FILES);
  return { publicKey: keys[0], secretKey: keys[1], agentPublicKey: keys[2] };
}

/**
 * A key pair's public file, its secret file and the peer's public file, all checked: every
 * problem is reported at once, one line each, with the file's path.
 */
async function readKeyFiles(dir: string, names: readonly [KeyFile, KeyFile, KeyFile]): Promise<[string, string, string]> {
  const read = await Promise.all(names.map((name) => readKeyFile(join(dir, name))));
  const problems = read.flatMap((r) => (typeof r === 'string' ? [] : [r.problem]));
  const keys = read.map((r) => (typeof r === 'string' ? r : ''));
  const [publicKey, secretKey] = keys;
  if (problems.length === 0 && publicKeyOf(secretKey!) !== publicKey) {
    problems.push(`${join(dir, names[1])}: not the secret key of ${join(dir, names[0])}; expected the pair that zmq-bench keys wrote`);
  }
  if (problems.length > 0) throw invalidInput(problems);
  return keys as [string, string, string];
}

const EXPECTED = 'expected one CURVE key (40 Z85 characters) and a newline, as zmq-bench keys writes it';

async function readKeyFile(path: string): Promise<string | { problem: string }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = codeOf(e);
    return { problem: code === 'ENOENT' ? `${path}: missing; ${EXPECTED}` : `${path}: cannot be read (${code}); ${EXPECTED}` };
  }
  // Any surrounding whitespace is forgiven: a key pasted into a Kubernetes Secret often lacks the newline.
  const key = text.trim();
  return isCurveKey(key) ? key : { problem: `${path}: not a CURVE key; ${EXPECTED}` };
}

/** PKCS#8 DER of an X25519 private key, up to its 32 raw bytes (RFC 8410). */
const X25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b656e04220420', 'hex');

/** The public key of a CURVE secret key (both Z85): CURVE keys are X25519 keys. */
export function publicKeyOf(secretKey: string): string {
  const privateKey = createPrivateKey({ key: Buffer.concat([X25519_PKCS8_PREFIX, z85Decode(secretKey)]), format: 'der', type: 'pkcs8' });
  const jwk = createPublicKey(privateKey).export({ format: 'jwk' });
  return z85Encode(Buffer.from(jwk.x ?? '', 'base64url'));
}

function codeOf(e: unknown): string {
  return typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string' ? e.code : String(e);
}
