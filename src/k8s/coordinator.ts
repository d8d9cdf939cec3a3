import { COORDINATOR_KEY_FILES } from './keys.js';
import { agentAddress, labelsOf, type Names } from './names.js';
import { CONTAINER_SECURITY, KEYS_MOUNT, KEYS_VOLUME_MOUNT, POD_BASICS, keysVolume, type Manifest } from './pod.js';

/**
 * The coordinator: a Job that runs the scenario against the agents by itself (nobody execs into
 * a pod), then keeps its pod alive for --keep so that `kubectl cp` can fetch the results from
 * its emptyDir. The Job succeeds or fails with the run's exit code.
 */

export const SCENARIO_MOUNT = '/scenario';
export const RESULTS_DIR = '/results/run';
/** How long the run waits for each agent to answer: the coordinator may start before its agents are scheduled. */
export const AGENT_TIMEOUT = '5m';
export const AGENT_TIMEOUT_MS = 5 * 60_000;

export const COORDINATOR_RESOURCES = { requests: { cpu: '500m', memory: '256Mi' } };

/** `label=tcp://<agent i>:7000,...`: the labels of hosts:, in order, on agents 0..n-1. */
export function agentsArgument(names: Names, labels: readonly string[]): string {
  return labels.map((label, i) => `${label}=${agentAddress(names, i)}`).join(',');
}

/**
 * The coordinator's shell (POSIX sh): the run in the background so that a SIGTERM (kubectl
 * delete) reaches it and it writes the results so far; then the pod waits `keepSeconds` for
 * `kubectl cp`, and exits with the run's code. Every word put in is DNS- or label-safe
 * (letters, digits, . _ - = : / ,), so nothing needs quoting.
 */
export function coordinatorScript(o: { scenarioFile: string; agents: string; keepSeconds: number }): string {
  return [
    `trap 'kill -TERM "$run" 2>/dev/null' TERM INT`,
    `zmq-bench run ${SCENARIO_MOUNT}/${o.scenarioFile} --agents ${o.agents} --keys ${KEYS_MOUNT} --agent-timeout ${AGENT_TIMEOUT} --out ${RESULTS_DIR} &`,
    'run=$!',
    'wait "$run"; code=$?',
    '# a signal ends the wait, not the run: wait for the run to write its results',
    'while kill -0 "$run" 2>/dev/null; do wait "$run"; code=$?; done',
    `echo "zmq-bench: the run exited $code; its results stay in ${RESULTS_DIR} for ${o.keepSeconds}s (kubectl cp)"`,
    `trap 'exit "$code"' TERM INT`,
    `sleep ${o.keepSeconds} & wait $!`,
    'exit "$code"',
    '',
  ].join('\n');
}

export function coordinatorJob(
  names: Names,
  o: { labels: readonly string[]; image: string; scenarioFile: string; keepSeconds: number; deadlineSeconds: number },
): Manifest {
  const labels = labelsOf(names, 'coordinator');
  const script = coordinatorScript({ scenarioFile: o.scenarioFile, agents: agentsArgument(names, o.labels), keepSeconds: o.keepSeconds });
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: names.coordinatorJob, labels },
    spec: {
      // one run, one result: a failed run is not run again
      backoffLimit: 0,
      activeDeadlineSeconds: o.deadlineSeconds,
      template: {
        metadata: { labels },
        spec: {
          ...POD_BASICS,
          containers: [
            {
              name: 'coordinator',
              image: o.image,
              command: ['sh', '-c', script],
              resources: COORDINATOR_RESOURCES,
              securityContext: CONTAINER_SECURITY,
              volumeMounts: [
                { name: 'scenario', mountPath: SCENARIO_MOUNT, readOnly: true },
                KEYS_VOLUME_MOUNT,
                { name: 'results', mountPath: '/results' },
              ],
            },
          ],
          volumes: [
            { name: 'scenario', configMap: { name: names.configMap } },
            keysVolume(names.secret, COORDINATOR_KEY_FILES),
            { name: 'results', emptyDir: {} },
          ],
        },
      },
    },
  };
}
