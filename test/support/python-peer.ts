import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/**
 * The seeds' Python peers under test/peers, run by Debian's /usr/bin/python3 (the one that
 * sees python3-zmq; the first python3 on PATH may be another interpreter). Each binds the
 * address it is given, says `ready <endpoint>`, and prints one JSON line when stopped.
 */
export const PYTHON = '/usr/bin/python3';
const peersDir = fileURLToPath(new URL('../../../test/peers/', import.meta.url));

/** Why the peers cannot run here, or undefined when they can. */
export function pythonZmqProblem(): string | undefined {
  const r = spawnSync(PYTHON, ['-c', 'import zmq'], { encoding: 'utf8' });
  if (r.error) return `${PYTHON} cannot run: ${r.error.message} (install Debian's python3 and python3-zmq; .ci/run does)`;
  if (r.status !== 0) return `${PYTHON} cannot import zmq (apt-get install python3-zmq; .ci/run does): ${r.stderr.trim()}`;
  return undefined;
}

export interface PythonPeer {
  /** the address it bound, e.g. tcp://127.0.0.1:41234 */
  endpoint: string;
  /** stops it (SIGTERM) and returns its JSON summary */
  stop(): Promise<Record<string, unknown>>;
}

export async function startPeer(script: string, address: string, args: readonly string[] = []): Promise<PythonPeer> {
  const child: ChildProcess = spawn(PYTHON, ['-u', `${peersDir}${script}`, address, '--lifetime', '60', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const lines = createInterface({ input: child.stdout! });
  const queue: string[] = [];
  let wake: (() => void) | null = null;
  lines.on('line', (l) => {
    queue.push(l);
    wake?.();
  });
  const exited = once(child, 'exit');
  const nextLine = async (what: string): Promise<string> => {
    const deadline = Date.now() + 10_000;
    while (queue.length === 0) {
      if (child.exitCode !== null) throw new Error(`${script} exited (${child.exitCode}) before ${what}: ${stderr}`);
      if (Date.now() > deadline) throw new Error(`${script} said nothing within 10s (${what}): ${stderr}`);
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, 100);
      });
      wake = null;
    }
    return queue.shift()!;
  };
  const ready = await nextLine('ready');
  if (!ready.startsWith('ready ')) throw new Error(`${script}: expected "ready <endpoint>", got ${ready}`);
  return {
    endpoint: ready.slice('ready '.length),
    async stop() {
      child.kill('SIGTERM');
      const summary = await nextLine('its summary');
      await exited;
      return JSON.parse(summary) as Record<string, unknown>;
    },
  };
}

/**
 * Starts a peer, runs `use` against its endpoint, and stops the peer whatever happened;
 * returns what `use` returned and the peer's own summary, so a test compares both sides.
 */
export async function withPeer<T>(
  script: string,
  address: string,
  args: readonly string[],
  use: (endpoint: string) => Promise<T>,
): Promise<{ ours: T; theirs: Record<string, unknown> }> {
  const peer = await startPeer(script, address, args);
  let ours: T;
  try {
    ours = await use(peer.endpoint);
  } catch (e) {
    await peer.stop().catch(() => undefined);
    throw e;
  }
  return { ours, theirs: await peer.stop() };
}
