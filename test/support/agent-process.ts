import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** dist/test/support → dist/src/cli.js */
export const CLI = fileURLToPath(new URL('../../src/cli.js', import.meta.url));

export interface AgentProcess {
  url: string;
  child: ChildProcess;
  /** what the agent wrote on stderr so far */
  log(): string;
  /** waits until the agent's log has a line matching `pattern` (at most `timeoutMs`) */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** SIGTERM, and waits for its exit (SIGKILL after 3 s) */
  stop(): Promise<void>;
  /** SIGKILL to the agent and whatever runs under it, as a crash would */
  kill(): void;
}

export interface AgentStart {
  listen: string;
  keys?: string;
  advertise?: string;
  /** a command the agent runs under, e.g. ['ip', 'netns', 'exec', 'ns1'] or ['unshare', '--time', ...]; empty: none */
  prefix?: string[];
}

/** A real `zmq-bench agent` in a child process, ready once it says it is listening. */
export async function startAgent(o: AgentStart): Promise<AgentProcess> {
  const args = [
    CLI,
    'agent',
    '--listen',
    o.listen,
    ...(o.keys ? ['--keys', o.keys] : []),
    ...(o.advertise ? ['--advertise', o.advertise] : []),
  ];
  const [command, ...rest] = [...(o.prefix ?? []), process.execPath, ...args];
  // A group of its own: a prefix such as `unshare --fork` puts the agent in a child of its own,
  // and a signal to the group reaches both.
  const child = spawn(command!, rest, { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  const signal = (s: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, s);
    } catch {
      // already gone
    }
  };
  process.once('exit', () => signal('SIGKILL'));
  let text = '';
  const waiters: Array<() => void> = [];
  child.stderr!.on('data', (d: Buffer) => {
    text += d.toString();
    for (const w of waiters.splice(0)) w();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const waitFor = async (pattern: RegExp, timeoutMs = 10_000): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    while (!pattern.test(text)) {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`agent exited: ${text}`);
      if (Date.now() > deadline) throw new Error(`agent did not log ${pattern} within ${timeoutMs} ms: ${text}`);
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, 100);
      });
    }
  };
  await waitFor(/listening on/);
  return {
    url: o.listen,
    child,
    log: () => text,
    waitFor,
    kill: () => signal('SIGKILL'),
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      signal('SIGTERM');
      const timer = setTimeout(() => signal('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** The pids of a process's children (none once an agent's run has ended). */
export function childrenOf(pid: number): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .filter(Boolean)
      .map(Number);
  } catch {
    return []; // pgrep exits 1 when there are none
  }
}

/** Waits (at most `ms`) until the process has no children; answers those left. */
export async function noChildrenWithin(pid: number, ms: number): Promise<number[]> {
  const deadline = Date.now() + ms;
  let left = childrenOf(pid);
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    left = childrenOf(pid);
  }
  return left;
}
