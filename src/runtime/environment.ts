import os from 'node:os';
import type { Environment } from '../core/types.js';
import { versions } from '../engine/current.js';

/** Where a result was measured: results from different machines are not comparable. */
export function describeEnvironment(): Environment {
  const cpus = os.cpus();
  return {
    node: process.version,
    zeromqJs: versions.zeromqJs,
    libzmq: versions.libzmq,
    cpuModel: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    totalMemoryBytes: os.totalmem(),
    os: `${os.type()} ${os.release()}`,
    arch: os.arch(),
    hostname: os.hostname(),
  };
}
