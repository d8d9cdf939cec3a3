import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** dist/bench/agents → dist/src/cli.js */
const CLI = fileURLToPath(new URL('../../src/cli.js', import.meta.url));

/** A `zmq-bench agent` started by a benchmark, listening on loopback without keys. */
export interface BenchAgent {
  url: string;
  pid: number;
  /** what the agent wrote on stderr so far */
  log(): string;
  /** SIGTERM (the agent ends its run's processes first), SIGKILL after 3 s; resolves once it exited */
  stop(): Promise<void>;
}

const started = new Set<ChildProcess>();
// An agent must not outlive the benchmark, whatever ends it.
process.once('exit', () => {
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

/** Starts `zmq-bench agent --listen <url>` with this checkout's dist/ and waits until it listens (at most 10 s). */
export async function startBenchAgent(url: string): Promise<BenchAgent> {
  const child = spawn(process.execPath, [CLI, 'agent', '--listen', url], { stdio: ['ignore', 'ignore', 'pipe'] });
  started.add(child);
  let text = '';
  child.stderr!.on('data', (d: Buffer) => {
    text += d.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 10_000;
  while (!/listening on/.test(text)) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`agent on ${url} exited: ${text.trim()}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`agent on ${url} did not say it listens within 10 s: ${text.trim()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url,
    pid: child.pid!,
    log: () => text,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
        await exited;
        clearTimeout(timer);
      }
      started.delete(child);
    },
  };
}
