import type { RenderInput } from '../../src/k8s/manifests.js';

/** One run's input to the renderer, shared by the k8s tests: two hosts, fixed keys. */

export const KEYS = {
  'coordinator.public': 'C'.repeat(39) + '1',
  'coordinator.secret': 'c'.repeat(39) + '2',
  'agent.public': 'A'.repeat(39) + '3',
  'agent.secret': 'a'.repeat(39) + '4',
};

export const INPUT: RenderInput = {
  scenarioName: 'Two_Hosts',
  labels: ['left', 'right'],
  scenarioFile: 'two-hosts.yaml',
  text: 'name: Two_Hosts\n# as written\n',
  image: 'registry.example/zmq-bench:1.2.3',
  keys: KEYS,
  keepSeconds: 600,
  deadlineSeconds: 7200,
};
