import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

/**
 * A coordinator that dies without a word (SIGKILL: no exit handler runs) must not leave its
 * child processes behind: each one notices its IPC channel closing and ends itself.
 */

const CLI = fileURLToPath(new URL('../../src/cli.js', import.meta.url));

const SCENARIO = `name: orphans
transport: tcp
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

describe('orphans', () => {
  const cleanup: Array<() => Promise<void>> = [];
  after(async () => {
    for (const c of cleanup.reverse()) await c();
  });

  it('children of a SIGKILLed coordinator end within a few seconds', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'zmq-bench-orphans-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    const file = join(dir, 'orphans.yaml');
    await writeFile(file, SCENARIO);

    const coordinator = spawn(process.execPath, [CLI, 'run', file, '--out', join(dir, 'out')], { stdio: ['ignore', 'ignore', 'pipe'] });
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
    coordinator.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<NodeJS.Signals | null>((r) => coordinator.on('exit', (_code, signal) => r(signal)));

    // Measuring: both children run their sockets (with pending receives and sends).
    await waitFor('the run to measure', 20_000, async () => (stderr.includes('measuring') ? true : null));
    childPids = await waitFor('two children', 5_000, async () => {
      const live = [...(await childrenOf(pid))].filter(([, state]) => state !== 'Z').map(([p]) => p);
      return live.length === 2 ? live : null;
    });

    coordinator.kill('SIGKILL');
    assert.equal(await exited, 'SIGKILL');

    const stillRunning = await waitFor('the children to end', 5_000, async () => {
      const left: number[] = [];
      for (const p of childPids) if (await running(p)) left.push(p);
      return left.length === 0 ? left : null;
    }).catch(async () => {
      const left: number[] = [];
      for (const p of childPids) if (await running(p)) left.push(p);
      return left;
    });
    assert.deepEqual(stillRunning, [], `children still running after their parent died: ${stillRunning.join(', ')}\n${stderr}`);
  });
});
