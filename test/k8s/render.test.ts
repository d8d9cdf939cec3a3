import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { agentsArgument, coordinatorScript } from '../../src/k8s/coordinator.js';
import { scenarioKey } from '../../src/k8s/config.js';
import { hostLabels } from '../../src/k8s/hosts.js';
import type { Scenario } from '../../src/scenario/schema.js';
import { renderManifests } from '../../src/k8s/manifests.js';
import { instanceName, namesOf } from '../../src/k8s/names.js';
import type { Manifest } from '../../src/k8s/pod.js';
import { INPUT, KEYS } from '../support/k8s.js';

/** The manifests of a run on Kubernetes, as data: what each object says and how they fit together. */

/** A value down a path of keys and indexes, asserted to be there. */
function at(value: unknown, ...path: Array<string | number>): unknown {
  let v = value;
  for (const p of path) {
    assert.ok(typeof v === 'object' && v !== null, `${path.join('.')}: ${String(p)} of a non-object`);
    v = (v as Record<string | number, unknown>)[p];
  }
  return v;
}

const byFile = (objects: ReadonlyArray<{ file: string; manifest: Manifest }>, file: string): Manifest => {
  const found = objects.find((o) => o.file === file);
  assert.ok(found, `${file} is rendered`);
  return found.manifest;
};

describe('k8s render: the objects of one run', () => {
  const { names, objects } = renderManifests(INPUT);
  const agents = byFile(objects, 'agents-job.yaml');
  const coordinator = byFile(objects, 'coordinator-job.yaml');
  const service = byFile(objects, 'agents-service.yaml');
  const agentPod = at(agents, 'spec', 'template', 'spec');
  const coordinatorPod = at(coordinator, 'spec', 'template', 'spec');

  it('renders a ConfigMap, a Secret, a Service and two Jobs, no Namespace, all labelled with the instance', () => {
    assert.deepEqual(
      objects.map((o) => o.manifest.kind),
      ['ConfigMap', 'Secret', 'Service', 'Job', 'Job'],
    );
    for (const { manifest } of objects) {
      assert.equal(manifest.metadata.labels['app.kubernetes.io/name'], 'zmq-bench');
      assert.equal(manifest.metadata.labels['app.kubernetes.io/instance'], 'two-hosts');
      assert.equal('namespace' in manifest.metadata, false);
    }
  });

  it('runs one agent per label as an Indexed Job in the subdomain of a headless Service', () => {
    assert.equal(at(agents, 'spec', 'completionMode'), 'Indexed');
    assert.equal(at(agents, 'spec', 'completions'), 2);
    assert.equal(at(agents, 'spec', 'parallelism'), 2);
    assert.equal(at(agentPod, 'subdomain'), names.service);
    assert.equal(at(service, 'spec', 'clusterIP'), 'None');
    assert.deepEqual(at(service, 'spec', 'ports'), [{ name: 'control', port: 7000, targetPort: 7000, protocol: 'TCP' }]);
    // the Service selects the agents' pods, and only them
    assert.deepEqual(at(service, 'spec', 'selector'), at(agents, 'spec', 'template', 'metadata', 'labels'));
    assert.equal(at(service, 'spec', 'selector', 'app.kubernetes.io/component'), 'agent');
  });

  it('starts each agent listening on 7000 with the keys and its pod IP from the downward API', () => {
    const container = at(agentPod, 'containers', 0);
    assert.equal(at(container, 'image'), INPUT.image);
    assert.deepEqual(at(container, 'args'), ['agent', '--listen', 'tcp://0.0.0.0:7000', '--keys', '/keys', '--advertise', '$(POD_IP)']);
    assert.deepEqual(at(container, 'env'), [{ name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } }]);
    assert.ok(at(container, 'resources', 'requests', 'cpu'));
    assert.ok(at(container, 'resources', 'requests', 'memory'));
  });

  it('spreads the agents over nodes with a preferred anti-affinity on the hostname', () => {
    const terms = at(agentPod, 'affinity', 'podAntiAffinity', 'preferredDuringSchedulingIgnoredDuringExecution') as unknown[];
    assert.equal(terms.length, 1);
    assert.equal(at(terms[0], 'podAffinityTerm', 'topologyKey'), 'kubernetes.io/hostname');
    assert.deepEqual(at(terms[0], 'podAffinityTerm', 'labelSelector', 'matchLabels'), at(agents, 'spec', 'template', 'metadata', 'labels'));
    assert.equal(at(agentPod, 'affinity', 'podAntiAffinity', 'requiredDuringSchedulingIgnoredDuringExecution'), undefined);
  });

  it("mounts for each side only the keys it needs, and no one the other side's secret key", () => {
    const items = (pod: unknown) => {
      const volume = (at(pod, 'volumes') as unknown[]).find((v) => at(v, 'name') === 'keys');
      assert.equal(at(volume, 'secret', 'secretName'), names.secret);
      return (at(volume, 'secret', 'items') as Array<{ key: string; path: string }>).map((i) => `${i.key}→${i.path}`);
    };
    assert.deepEqual(items(agentPod), ['agent.public→agent.public', 'agent.secret→agent.secret', 'coordinator.public→coordinator.public']);
    assert.deepEqual(items(coordinatorPod), [
      'coordinator.public→coordinator.public',
      'coordinator.secret→coordinator.secret',
      'agent.public→agent.public',
    ]);
    const secret = byFile(objects, 'keys-secret.yaml');
    const data = at(secret, 'data') as Record<string, string>;
    assert.deepEqual(Object.keys(data).sort(), ['agent.public', 'agent.secret', 'coordinator.public', 'coordinator.secret']);
    // as zmq-bench keys writes them: the key and a newline
    assert.equal(Buffer.from(data['agent.secret']!, 'base64').toString(), `${KEYS['agent.secret']}\n`);
  });

  it("gives the coordinator the agents' DNS names in the order of hosts:, the scenario from the ConfigMap, results in an emptyDir", () => {
    const argument = 'left=tcp://two-hosts-agent-0.two-hosts-agents:7000,right=tcp://two-hosts-agent-1.two-hosts-agents:7000';
    assert.equal(agentsArgument(names, INPUT.labels), argument);
    const command = at(coordinatorPod, 'containers', 0, 'command') as string[];
    assert.deepEqual(command.slice(0, 2), ['sh', '-c']);
    assert.ok(
      command[2]!.includes(
        `zmq-bench run /scenario/two-hosts.yaml --agents ${argument} --keys /keys --agent-timeout 5m --out /results/run &`,
      ),
      command[2],
    );
    assert.match(command[2]!, /sleep 600 & wait \$!\nexit "\$code"\n$/);
    assert.deepEqual(at(byFile(objects, 'scenario-configmap.yaml'), 'data'), { 'two-hosts.yaml': INPUT.text });
    const volumes = at(coordinatorPod, 'volumes') as unknown[];
    assert.deepEqual(volumes[0], { name: 'scenario', configMap: { name: names.configMap } });
    assert.deepEqual(volumes[2], { name: 'results', emptyDir: {} });
    assert.equal(at(coordinator, 'spec', 'backoffLimit'), 0);
    assert.equal(at(coordinator, 'spec', 'activeDeadlineSeconds'), 7200);
    assert.equal(at(agents, 'spec', 'activeDeadlineSeconds'), 7200);
  });

  it('agent i is reachable as <agent Job>-<i>.<Service>: the pod hostname an Indexed Job gives', () => {
    // Kubernetes names pod i of an Indexed Job with a subdomain `<job name>-<i>`
    for (const [i, label] of INPUT.labels.entries()) {
      assert.ok(
        agentsArgument(names, INPUT.labels).includes(
          `${label}=tcp://${at(agents, 'metadata', 'name')}-${i}.${at(service, 'metadata', 'name')}:7000`,
        ),
      );
    }
  });
});

describe('k8s render: names and inputs', () => {
  it('makes a scenario name DNS-safe and short enough for `<instance>-coordinator` and `-agent-63`', () => {
    assert.equal(instanceName('Two_Hosts'), 'two-hosts');
    const long = instanceName(`A${'b_'.repeat(31)}c`);
    assert.ok(long.length <= 40, long);
    assert.match(long, /^[a-z]([-a-z0-9]*[a-z0-9])?$/);
    const n = namesOf(`A${'b_'.repeat(31)}c`);
    for (const name of [n.coordinatorJob, `${n.agentJob}-63`, n.service, n.configMap, n.secret]) assert.ok(name.length <= 63, name);
  });

  it("keeps the file's own name as the ConfigMap key when Kubernetes takes it", () => {
    assert.equal(scenarioKey('/a/b/two-hosts.yaml'), 'two-hosts.yaml');
    assert.equal(scenarioKey('/a/b/two hosts.YML'), 'scenario.yml');
  });

  it('reads the labels of hosts: in order and refuses a scenario without them', () => {
    const withHosts = (hosts: string[]) => ({ hosts }) as unknown as Scenario;
    assert.deepEqual(hostLabels(withHosts(['b', 'a'])), { labels: ['b', 'a'] });
    const r = hostLabels(withHosts([]));
    assert.ok('problems' in r && r.problems[0]!.startsWith('k8s render needs a scenario with hosts:'));
  });

  it('does not quote what needs no quoting: every word of the script is label- or DNS-safe', () => {
    const script = coordinatorScript({ scenarioFile: 'x.yaml', agents: 'a=tcp://h-0.s:7000', keepSeconds: 0 });
    assert.match(script, /^zmq-bench run \/scenario\/x\.yaml --agents a=tcp:\/\/h-0\.s:7000 /m);
    assert.match(script, /sleep 0 & wait \$!/);
  });
});
