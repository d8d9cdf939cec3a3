import { agentJob, agentService } from './agents.js';
import { keysSecret, scenarioConfigMap } from './config.js';
import { coordinatorJob } from './coordinator.js';
import type { RunKeys } from './keys.js';
import { namesOf, type Names } from './names.js';
import type { Manifest } from './pod.js';

/**
 * A scenario → the Kubernetes objects of one run on a cluster, as plain data; pure (no files,
 * no clock, no randomness: the keys come in). No Namespace: everything goes into the current one.
 */

export interface RenderInput {
  /** the scenario's `name:` */
  scenarioName: string;
  /** the labels of its `hosts:`, in order: label i runs on agent i */
  labels: readonly string[];
  /** the ConfigMap key, the file's name under /scenario */
  scenarioFile: string;
  /** the scenario file's text as written */
  text: string;
  image: string;
  keys: RunKeys;
  /** how long the coordinator's pod stays after the run, for kubectl cp */
  keepSeconds: number;
  /** activeDeadlineSeconds of both Jobs: nothing of the run outlives it */
  deadlineSeconds: number;
}

/** One object and the file it is written to with -o. */
export interface RenderedObject {
  file: string;
  manifest: Manifest;
}

export interface Rendered {
  names: Names;
  /** in the order to apply them: what the pods mount first */
  objects: RenderedObject[];
}

export function renderManifests(input: RenderInput): Rendered {
  const names = namesOf(input.scenarioName);
  const o = { image: input.image, deadlineSeconds: input.deadlineSeconds };
  return {
    names,
    objects: [
      { file: 'scenario-configmap.yaml', manifest: scenarioConfigMap(names, input.scenarioFile, input.text) },
      { file: 'keys-secret.yaml', manifest: keysSecret(names, input.keys) },
      { file: 'agents-service.yaml', manifest: agentService(names) },
      { file: 'agents-job.yaml', manifest: agentJob(names, { ...o, agents: input.labels.length }) },
      {
        file: 'coordinator-job.yaml',
        manifest: coordinatorJob(names, { ...o, labels: input.labels, scenarioFile: input.scenarioFile, keepSeconds: input.keepSeconds }),
      },
    ],
  };
}
