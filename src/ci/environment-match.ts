import type { Environment } from '../core/types.js';

/**
 * What makes two results incomparable: a different machine or software underneath.
 * Hostname and memory are left out: CI runners change names, and memory rarely bounds a benchmark.
 */

/** "v20.11.1" → "20.11": patch releases do not change performance enough to refuse a comparison. */
const majorMinor = (version: string) => version.replace(/^v/, '').split('.').slice(0, 2).join('.');

interface Field {
  label: string;
  show: (e: Environment) => string;
  /** the part that has to match */
  key: (e: Environment) => string;
}

const FIELDS: Field[] = [
  // os.cpus() pads some model names with spaces.
  { label: 'cpuModel', show: (e) => e.cpuModel.trim(), key: (e) => e.cpuModel.trim() },
  { label: 'cores', show: (e) => String(e.cores), key: (e) => String(e.cores) },
  { label: 'node', show: (e) => e.node, key: (e) => majorMinor(e.node) },
  { label: 'zeromqJs', show: (e) => e.zeromqJs, key: (e) => e.zeromqJs },
  { label: 'libzmq', show: (e) => e.libzmq, key: (e) => e.libzmq },
  { label: 'os', show: (e) => e.os, key: (e) => e.os },
  { label: 'arch', show: (e) => e.arch, key: (e) => e.arch },
];

/** One line per difference, e.g. "cores: 2 in the baseline, 4 now"; empty when comparable. */
export function environmentDifferences(baseline: Environment, current: Environment): string[] {
  return FIELDS.filter((f) => f.key(baseline) !== f.key(current)).map(
    (f) => `${f.label}: ${f.show(baseline)} in the baseline, ${f.show(current)} now`,
  );
}
