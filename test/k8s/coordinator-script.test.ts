import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { coordinatorScript } from '../../src/k8s/coordinator.js';

/**
 * The coordinator's shell script, run by the real /bin/sh with a stand-in `zmq-bench` on PATH:
 * the pod ends with the run's exit code, stays for --keep, and passes a SIGTERM on to the run.
 */

const tmp = mkdtempSync(join(tmpdir(), 'zmq-bench-k8s-sh-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** A `zmq-bench` that records its arguments and runs `body` (sh). */
function fakeCli(dir: string, body: string): void {
  const path = join(dir, 'zmq-bench');
  writeFileSync(path, `#!/bin/sh\necho "$@" > ${join(dir, 'args')}\n${body}\n`);
  chmodSync(path, 0o755);
}

interface Ended {
  code: number | null;
  out: string;
  ms: number;
}

/** Runs the script as the pod would (sh -c), calling `during` once the stand-in says "started". */
function runScript(dir: string, keepSeconds: number, during?: (pid: number) => void): Promise<Ended> {
  const script = coordinatorScript({ scenarioFile: 's.yaml', agents: 'a=tcp://h-0.s:7000', keepSeconds });
  const started = Date.now();
  // a process group of its own, so that what the script left (its sleep) is ended with it
  const child = spawn('sh', ['-c', script], { env: { ...process.env, PATH: `${dir}:${process.env.PATH}` }, detached: true });
  let out = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    if (during && out.includes('started')) {
      const act = during;
      during = undefined;
      act(child.pid!);
    }
  });
  const killGroup = () => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // nothing left in the group
    }
  };
  const timer = setTimeout(killGroup, 20_000);
  let ms = 0;
  // when the script exits, what it left behind goes too; then its output is complete
  child.on('exit', () => {
    ms = Date.now() - started;
    killGroup();
  });
  return new Promise((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out, ms });
    }),
  );
}

describe("k8s render: the coordinator's script", () => {
  it('runs zmq-bench run with the arguments rendered and exits with its code', async () => {
    const dir = mkdtempSync(join(tmp, 'code-'));
    fakeCli(dir, 'exit 99');
    const ended = await runScript(dir, 0);
    assert.equal(ended.code, 99);
    assert.equal(
      readFileSync(join(dir, 'args'), 'utf8'),
      'run /scenario/s.yaml --agents a=tcp://h-0.s:7000 --keys /keys --agent-timeout 5m --out /results/run\n',
    );
    assert.match(ended.out, /the run exited 99; its results stay in \/results\/run for 0s/);
  });

  it('passes SIGTERM to the run, waits for it to write its results, then keeps the pod until a second SIGTERM', async () => {
    const dir = mkdtempSync(join(tmp, 'term-'));
    // as zmq-bench run: a SIGTERM stops the run, which writes what it has and exits 105
    fakeCli(dir, `trap 'sleep 0.2; echo wrote > ${join(dir, 'results')}; exit 105' TERM\necho started\nsleep 30 & wait $!`);
    const ended = await runScript(dir, 30, (pid) => {
      process.kill(pid, 'SIGTERM');
      // the second one ends the time kept for kubectl cp
      setTimeout(() => {
        try {
          process.kill(pid, 'SIGTERM');
        } catch {
          // already ended: the assertions below say why
        }
      }, 1000);
    });
    assert.equal(ended.code, 105);
    assert.equal(readFileSync(join(dir, 'results'), 'utf8'), 'wrote\n', 'the run finished writing before the script went on');
    assert.match(ended.out, /the run exited 105; its results stay in \/results\/run for 30s/);
    assert.ok(ended.ms < 10_000, `ended ${ended.ms} ms after it started, not after --keep`);
  });
});
