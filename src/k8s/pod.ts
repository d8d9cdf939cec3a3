import type { KeyFile } from './keys.js';

/** What every pod of a run shares: its security settings, the keys volume, the shape of an object. */

/** A Kubernetes object as rendered: plain data, checked against the API's schemas in the tests. */
export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels: Record<string, string> };
  [field: string]: unknown;
}

export const KEYS_MOUNT = '/keys';

/** The `node` user of the node:20 image (Dockerfile); fsGroup makes the mounted key files its group's. */
const NODE_USER = 1000;

/**
 * The Pod Security Standards' "restricted" profile, so that a namespace enforcing it admits the
 * pods. zmq-bench needs no privilege: it opens sockets on ports above 1024 and reads /proc.
 */
export const POD_SECURITY = {
  runAsNonRoot: true,
  runAsUser: NODE_USER,
  runAsGroup: NODE_USER,
  fsGroup: NODE_USER,
  seccompProfile: { type: 'RuntimeDefault' },
};

export const CONTAINER_SECURITY = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
};

/**
 * The Secret's files that one side needs (`items:`), read-only. 0440 with fsGroup: the node
 * user reads them through its group; no other user of the container can.
 */
export function keysVolume(secretName: string, files: readonly KeyFile[]) {
  return {
    name: 'keys',
    secret: { secretName, defaultMode: 0o440, items: files.map((key) => ({ key, path: key })) },
  };
}

export const KEYS_VOLUME_MOUNT = { name: 'keys', mountPath: KEYS_MOUNT, readOnly: true };

/** Fields every pod of a run has: no API token (zmq-bench never calls the API), no Service variables. */
export const POD_BASICS = {
  restartPolicy: 'Never',
  automountServiceAccountToken: false,
  enableServiceLinks: false,
  securityContext: POD_SECURITY,
};
