import { AGENT_KEY_FILES } from './keys.js';
import { CONTROL_PORT, labelsOf, type Names } from './names.js';
import { CONTAINER_SECURITY, KEYS_MOUNT, KEYS_VOLUME_MOUNT, POD_BASICS, keysVolume, type Manifest } from './pod.js';

/**
 * The agents: a headless Service and an Indexed Job of n pods, pod i with the hostname
 * `<agentJob>-<i>` in the Service's subdomain, so the coordinator dials
 * `<agentJob>-<i>.<service>:7000` and label i of `hosts:` is agent i.
 *
 * Why an Indexed Job and not a StatefulSet: a run is finite, and a Job is the object for finite
 * work. Its pods start all at once (a StatefulSet starts them one by one unless told otherwise),
 * a crashed agent is not restarted behind the run's back under the same name (restartPolicy
 * Never, backoffLimit 0: the coordinator names the lost agent and exits 97), activeDeadlineSeconds
 * bounds how long forgotten agents hold their nodes, and deleting the Job removes them. The
 * agents do not end by themselves when the run does (an agent serves until it is stopped):
 * the Job stays Running until it is deleted or its deadline passes.
 */

/** What an agent asks of its node; no CPU limit, whose throttling would distort latency. */
export const AGENT_RESOURCES = { requests: { cpu: '1', memory: '512Mi' } };

export function agentService(names: Names): Manifest {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: names.service, labels: labelsOf(names) },
    spec: {
      clusterIP: 'None',
      // the DNS records exist as soon as a pod has its address: the coordinator may dial early
      publishNotReadyAddresses: true,
      selector: labelsOf(names, 'agent'),
      ports: [{ name: 'control', port: CONTROL_PORT, targetPort: CONTROL_PORT, protocol: 'TCP' }],
    },
  };
}

export function agentJob(names: Names, o: { agents: number; image: string; deadlineSeconds: number }): Manifest {
  const labels = labelsOf(names, 'agent');
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: names.agentJob, labels },
    spec: {
      completionMode: 'Indexed',
      completions: o.agents,
      parallelism: o.agents,
      backoffLimit: 0,
      activeDeadlineSeconds: o.deadlineSeconds,
      template: {
        metadata: { labels },
        spec: {
          ...POD_BASICS,
          subdomain: names.service,
          // spread the agents over the nodes: two agents on one node measure that node twice
          affinity: {
            podAntiAffinity: {
              preferredDuringSchedulingIgnoredDuringExecution: [
                { weight: 100, podAffinityTerm: { labelSelector: { matchLabels: labels }, topologyKey: 'kubernetes.io/hostname' } },
              ],
            },
          },
          containers: [
            {
              name: 'agent',
              image: o.image,
              // the image's entrypoint is zmq-bench; $(POD_IP) is expanded by Kubernetes from env
              args: ['agent', '--listen', `tcp://0.0.0.0:${CONTROL_PORT}`, '--keys', KEYS_MOUNT, '--advertise', '$(POD_IP)'],
              env: [{ name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } }],
              ports: [{ name: 'control', containerPort: CONTROL_PORT, protocol: 'TCP' }],
              resources: AGENT_RESOURCES,
              securityContext: CONTAINER_SECURITY,
              volumeMounts: [KEYS_VOLUME_MOUNT],
            },
          ],
          volumes: [keysVolume(names.secret, AGENT_KEY_FILES)],
        },
      },
    },
  };
}
