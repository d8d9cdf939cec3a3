import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AbFigures } from './compare.js';

/**
 * One run of bench/ab.ts: a build's own CLI (`node <root>/dist/src/cli.js run <file> --json
 * --quiet --out <tmp> --duration … [--transport …]`) in a child process, so each build runs
 * with its own code and nothing of one run stays in the process of the next; the figures come
 * from the result.json it prints.
 */

export interface CliRun {
  /** the build's root: its dist/src/cli.js is run */
  root: string;
  /** absolute path of the scenario file */
  file: string;
  /** --duration, as the CLI reads it (e.g. 2s) */
  duration: string;
  /** --transport, or the scenario's own */
  transport?: string;
}

interface Totals {
  complete?: boolean;
  problems?: string[];
  totals?: { throughput?: { msgsPerSec?: number }; latency?: { count?: number; p50?: number; p99?: number } };
}

/** The figures of a result.json; throws when the run was not complete or had problems. */
export function figuresOf(result: Totals): AbFigures {
  if (result.complete !== true || (result.problems ?? []).length > 0)
    throw new Error((result.problems ?? []).join('; ') || 'incomplete run');
  const t = result.totals;
  const latency = t?.latency && (t.latency.count ?? 0) > 0 ? t.latency : null;
  return { throughput: t?.throughput?.msgsPerSec ?? null, p50: latency?.p50 ?? null, p99: latency?.p99 ?? null };
}

/** Runs it; `signal` stops the child (SIGTERM) and rejects. The results folder is removed either way. */
export async function runCli(o: CliRun, signal: AbortSignal): Promise<AbFigures> {
  signal.throwIfAborted();
  const out = mkdtempSync(join(tmpdir(), 'zmq-bench-ab-run-'));
  const args = [join(o.root, 'dist/src/cli.js'), 'run', o.file, '--json', '--quiet', '--out', out, '--duration', o.duration];
  if (o.transport) args.push('--transport', o.transport);
  try {
    const child = spawn(process.execPath, args, { cwd: o.root, stdio: ['ignore', 'pipe', 'pipe'], signal });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    let failure = null as Error | null;
    // On abort the child emits 'error' (AbortError), then 'close' once it has exited: wait for
    // both. A child that never started has no pid and may never close.
    const code = await new Promise<number | null>((resolve) => {
      child.once('error', (e) => {
        failure = e;
        if (child.pid === undefined) resolve(null);
      });
      child.once('close', resolve);
    });
    signal.throwIfAborted();
    if (failure) throw failure;
    let result: Totals;
    try {
      result = JSON.parse(stdout) as Totals;
    } catch {
      throw new Error(`exit ${code}, no result on stdout: ${stderr.trim().slice(-500)}`);
    }
    return figuresOf(result);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
