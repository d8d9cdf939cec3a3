import { basename, extname } from 'node:path';
import { KEY_FILES, type RunKeys } from './keys.js';
import { labelsOf, type Names } from './names.js';
import type { Manifest } from './pod.js';

/** The scenario in a ConfigMap (the file's text as written) and the CURVE keys in a Secret. */

/** A ConfigMap key (and so the file under /scenario): the file's own name when Kubernetes takes it. */
export function scenarioKey(path: string): string {
  const name = basename(path);
  return /^[-._a-zA-Z0-9]{1,253}$/.test(name) && name !== '.' && name !== '..' ? name : `scenario${extname(path).toLowerCase()}`;
}

export function scenarioConfigMap(names: Names, key: string, text: string): Manifest {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: names.configMap, labels: labelsOf(names) },
    data: { [key]: text },
  };
}

export function keysSecret(names: Names, keys: RunKeys): Manifest {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: names.secret, labels: labelsOf(names) },
    type: 'Opaque',
    // as the files of `zmq-bench keys`: the key and a newline
    data: Object.fromEntries(KEY_FILES.map((f) => [f, Buffer.from(`${keys[f]}\n`).toString('base64')])),
  };
}
