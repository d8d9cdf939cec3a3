/**
 * The bare loops in C against the system's libzmq (bench/native/zmqperf.c), for
 * bench/overhead.ts: built with gcc into a temporary folder when gcc and the libzmq headers
 * (Debian's libzmq3-dev) are there; otherwise `{ skipped: why }` and the caller goes on without.
 *
 * Run alone: `node dist/bench/native.js` runs every case once and prints one JSON line each.
 */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The header libzmq3-dev installs; without it there is nothing to compile against. */
export const ZMQ_HEADER = '/usr/include/zmq.h';
/** The C source: tsc does not copy it to dist/, so it is read from the repository. */
export const NATIVE_SOURCE = fileURLToPath(new URL('../../bench/native/zmqperf.c', import.meta.url));

export interface NativeBuild {
  /** the compiled zmqperf */
  binary: string;
  /** version of the libzmq it runs against (zmq_version) */
  libzmq: string;
  /** removes the temporary folder with the binary */
  dispose(): void;
}

export interface NativeSkipped {
  skipped: string;
}

export interface NativeOptions {
  pattern: 'push-pull' | 'req-rep';
  transport: 'inproc' | 'ipc' | 'tcp';
  sizeBytes: number;
  warmupMs: number;
  durationMs: number;
}

/** What zmqperf prints (one JSON line). */
export interface NativeResult {
  pattern: 'push-pull' | 'req-rep';
  transport: string;
  sizeBytes: number;
  /** push-pull: messages received in the measured time / its length */
  msgsPerSec?: number;
  /** req-rep: round trips in the measured time / its length */
  roundTripsPerSec?: number;
  /** req-rep: round trip percentiles and mean, µs */
  p50Us?: number;
  p99Us?: number;
  meanUs?: number;
  libzmq: string;
}

/** Compiles zmqperf.c, or says why it cannot. Never throws. */
export function buildNative(): NativeBuild | NativeSkipped {
  const gcc = spawnSync('gcc', ['--version'], { encoding: 'utf8' });
  if (gcc.error || gcc.status !== 0) return { skipped: 'gcc is not installed (apt-get install gcc)' };
  if (!existsSync(ZMQ_HEADER)) return { skipped: `libzmq3-dev is not installed (no ${ZMQ_HEADER}): apt-get install libzmq3-dev` };
  if (!existsSync(NATIVE_SOURCE)) return { skipped: `the C source ${NATIVE_SOURCE} is missing` };
  const dir = mkdtempSync(join(tmpdir(), 'zmq-bench-native-'));
  const dispose = () => rmSync(dir, { recursive: true, force: true });
  const binary = join(dir, 'zmqperf');
  const cc = spawnSync('gcc', ['-O2', '-o', binary, NATIVE_SOURCE, '-lzmq', '-lpthread'], { encoding: 'utf8' });
  if (cc.error || cc.status !== 0) {
    dispose();
    return { skipped: `gcc could not build ${NATIVE_SOURCE}: ${(cc.stderr || String(cc.error)).trim().split('\n').slice(0, 3).join(' ')}` };
  }
  const version = spawnSync(binary, ['version'], { encoding: 'utf8' });
  if (version.status !== 0) {
    dispose();
    return { skipped: `the built zmqperf does not run: ${(version.stderr || String(version.error)).trim()}` };
  }
  return { binary, libzmq: (JSON.parse(version.stdout) as { libzmq: string }).libzmq, dispose };
}

/** One run of one loop, two threads in a child process. Rejects when it fails. */
export async function runNative(build: NativeBuild, o: NativeOptions): Promise<NativeResult> {
  const dir = o.transport === 'ipc' ? mkdtempSync(join(tmpdir(), 'zmq-native-')) : null;
  try {
    const args = [o.pattern === 'push-pull' ? 'thr' : 'lat', o.transport, String(o.sizeBytes), String(o.warmupMs), String(o.durationMs)];
    if (dir) args.push(join(dir, 'sock'));
    const { stdout } = await run(build.binary, args, { timeout: o.warmupMs + o.durationMs + 30_000, encoding: 'utf8' });
    return JSON.parse(stdout) as NativeResult;
  } finally {
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const build = buildNative();
  if ('skipped' in build) console.log(`native loops skipped: ${build.skipped}`);
  else {
    try {
      for (const transport of ['inproc', 'ipc', 'tcp'] as const) {
        for (const sizeBytes of [64, 1024])
          console.log(
            JSON.stringify(await runNative(build, { pattern: 'push-pull', transport, sizeBytes, warmupMs: 200, durationMs: 1000 })),
          );
        console.log(
          JSON.stringify(await runNative(build, { pattern: 'req-rep', transport, sizeBytes: 64, warmupMs: 200, durationMs: 1000 })),
        );
      }
    } finally {
      build.dispose();
    }
  }
}
