import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

/**
 * A coordinator that dies without a word (SIGKILL: no exit handler runs) must not leave its
 * child processes behind: each one notices its IPC channel closing and ends itself. Nor may
 * it leave ipc socket files or folders: a run over ipc leaves its temporary folder as it found it.
 */

const CLI = fileURLToPath(new URL('../../src/cli.js', import.meta.url));

const scenario = (transport: 'tcp' | 'ipc') => `name: orphans
transport: ${transport}
duration: 30s
drain: 1s
topology:
  endpoints: [e]
  groups:
    - name: src
      type: push
      bind: e
      placement: process
      rate: 1000
    - name: dst
      type: pull
      connect: e
      placement: process
`;

/** pid → state letter, of every process whose parent is `ppid` (from /proc/<pid>/stat). */
async function childrenOf(ppid: number): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = await readStat(Number(name));
    if (stat && stat.ppid === ppid) out.set(Number(name), stat.state);
  }
  return out;
}

async function readStat(pid: number): Promise<{ state: string; ppid: number } | null> {
  try {
    const text = await readFile(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so split after the last ')'.
    const [state, ppid] = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { state: state!, ppid: Number(ppid) };
  } catch {
    return null; // gone
  }
}

/** Gone, or a zombie nobody reaps (a container's pid 1 may not): either way it runs no more. */
async function running(pid: number): Promise<boolean> {
  const stat = await readStat(pid);
  return stat !== null && stat.state !== 'Z' && stat.state !== 'X';
}

async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | null>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Everything under a folder, as relative paths (socket files included). */
async function entriesUnder(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true })).sort();
}

describe('orphans', () => {
  const cleanup: Array<() => Promise<void>> = [];
  after(async () => {
    for (const c of cleanup.reverse()) await c();
  });

  /**
   * Starts a process-placement run, waits until it measures with both children alive, stops
   * the coordinator with `stop`, and returns the children still running a few seconds later.
   * TMPDIR points at a folder of its own, so whatever the run puts in os.tmpdir() shows there.
   */
  async function runAndKill(transport: 'tcp' | 'ipc', stop: (coordinator: ChildProcess) => void, expectedSignal: NodeJS.Signals | null) {
    const dir = await mkdtemp(join(tmpdir(), 'zmq-bench-orphans-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    const file = join(dir, 'orphans.yaml');
    await writeFile(file, scenario(transport));
    const runTmp = join(dir, 'tmp');
    await mkdir(runTmp);

    const coordinator = spawn(process.execPath, [CLI, 'run', file, '--out', join(dir, 'out')], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, TMPDIR: runTmp },
    });
    const pid = coordinator.pid!;
    let childPids: number[] = [];
    // Whatever happens below: nothing of this test stays alive.
    cleanup.push(async () => {
      for (const p of [pid, ...childPids]) {
        try {
          process.kill(p, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    });
    let stderr = '';
    coordinator.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<NodeJS.Signals | null>((r) => coordinator.on('exit', (_code, signal) => r(signal)));

    // Measuring: both children run their sockets (with pending receives and sends).
    await waitFor('the run to measure', 20_000, async () => (stderr.includes('measuring') ? true : null));
    childPids = await waitFor('two children', 5_000, async () => {
      const live = [...(await childrenOf(pid))].filter(([, state]) => state !== 'Z').map(([p]) => p);
      return live.length === 2 ? live : null;
    });

    stop(coordinator);
    assert.equal(await exited, expectedSignal, stderr);

    const stillRunning = await waitFor('the children to end', 5_000, async () => {
      const left: number[] = [];
      for (const p of childPids) if (await running(p)) left.push(p);
      return left.length === 0 ? left : null;
    }).catch(async () => {
      const left: number[] = [];
      for (const p of childPids) if (await running(p)) left.push(p);
      return left;
    });
    const bound = /bound e=(\S+)/.exec(stderr)?.[1];
    return { stillRunning, stderr, leftInTmp: await entriesUnder(runTmp), bound };
  }

  it('children of a SIGKILLed coordinator end within a few seconds', async () => {
    const { stillRunning, stderr } = await runAndKill('tcp', (c) => c.kill('SIGKILL'), 'SIGKILL');
    assert.deepEqual(stillRunning, [], `children still running after their parent died: ${stillRunning.join(', ')}\n${stderr}`);
  });

  for (const [how, stop, signal] of [
    ['a SIGKILL', (c: ChildProcess) => c.kill('SIGKILL'), 'SIGKILL'],
    // the second Ctrl-C quits at once (exit 105), without the run's own clean-up
    ['a second Ctrl-C', (c: ChildProcess) => (c.kill('SIGINT'), setTimeout(() => c.kill('SIGINT'), 50)), null],
  ] as const) {
    it(`an ipc run stopped by ${how} leaves no socket file or folder in the temporary folder, and no child`, async () => {
      const { stillRunning, stderr, leftInTmp, bound } = await runAndKill('ipc', stop, signal);
      assert.deepEqual(stillRunning, [], `children still running after their parent died: ${stillRunning.join(', ')}\n${stderr}`);
      assert.ok(bound !== undefined && bound.startsWith('ipc://'), stderr);
      assert.deepEqual(leftInTmp, [], `left behind in TMPDIR by a run bound at ${bound}`);
      // abstract names (Linux) are no files; a path, where one is used, must be gone
      if (!bound.startsWith('ipc://@')) assert.equal(existsSync(bound.slice('ipc://'.length)), false, bound);
    });
  }
});
