import os from 'node:os';
import type { Environment } from '../core/types.js';
import { nativeEngineFacts, versions } from '../engine/current.js';

/**
 * Where a result was measured: results from different machines are not comparable.
 * `nativeRan`: a group used the native engine, so the libzmq file it loaded is named too
 * (asked only then: a zeromq.js run never loads koffi, and its result keeps the same keys).
 */
export function describeEnvironment(nativeRan = false): Environment {
  const cpus = os.cpus();
  const native = nativeRan ? nativeEngineFacts() : null;
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
    ...(native === null ? {} : { nativeEngine: native }),
  };
}
