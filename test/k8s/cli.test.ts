import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { KEY_FILES, writeKeys } from '../../src/agent/keys.js';

/** `zmq-bench k8s render` through the real CLI: what it prints, what it writes, what it refuses (exit 104). */

const CLI = fileURLToPath(new URL('../../src/cli.js', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'zmq-bench-k8s-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const TWO_HOSTS = `name: two-hosts
transport: tcp
duration: 2s
hosts:
  - label: left
  - label: right
topology:
  endpoints: [work]
  groups:
    - name: producers
      type: push
      bind: work
      host: left
      rate: 100
    - name: consumers
      type: pull
      connect: work
      host: right
`;

function scenario(name: string, text: string): string {
  const path = join(tmp, name);
  writeFileSync(path, text);
  return path;
}

function render(...args: string[]) {
  return spawnSync(process.execPath, [CLI, 'k8s', 'render', ...args], {
    encoding: 'utf8',
    timeout: 30_000,
    env: { ...process.env, NO_COLOR: '1' },
  });
}

interface Doc {
  kind: string;
  metadata: { name: string };
  data?: Record<string, string>;
  spec?: { template?: { spec?: { containers?: Array<{ command?: string[]; args?: string[] }> } } };
}

describe('zmq-bench k8s render', () => {
  const file = scenario('two-hosts.yaml', TWO_HOSTS);

  it('prints one YAML stream: ConfigMap, Secret, Service and the two Jobs, with the file as written and fresh keys', () => {
    const r = render(file, '--agents', '2');
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '');
    const docs = YAML.parseAllDocuments(r.stdout).map((d) => d.toJS() as Doc);
    assert.deepEqual(
      docs.map((d) => `${d.kind} ${d.metadata.name}`),
      [
        'ConfigMap two-hosts-scenario',
        'Secret two-hosts-keys',
        'Service two-hosts-agents',
        'Job two-hosts-agent',
        'Job two-hosts-coordinator',
      ],
    );
    assert.deepEqual(docs[0]!.data, { 'two-hosts.yaml': TWO_HOSTS });
    const keys = Object.values(docs[1]!.data!).map((v) => Buffer.from(v, 'base64').toString());
    for (const key of keys) assert.match(key, /^.{40}\n$/);
    assert.equal(new Set(keys).size, 4, 'four different keys');
    const script = docs[4]!.spec!.template!.spec!.containers![0]!.command![2]!;
    assert.match(
      script,
      /--agents left=tcp:\/\/two-hosts-agent-0\.two-hosts-agents:7000,right=tcp:\/\/two-hosts-agent-1\.two-hosts-agents:7000 /,
    );
    assert.match(docs[3]!.spec!.template!.spec!.containers![0]!.args!.join(' '), /^agent --listen tcp:\/\/0\.0\.0\.0:7000/);
  });

  it('-o writes one file per object and a kustomization.yaml listing them; --keys puts those keys in the Secret; --image and --keep are used', async () => {
    const keysDir = join(tmp, 'keys');
    await writeKeys(keysDir);
    const written = Object.fromEntries(Object.values(KEY_FILES).map((name) => [name, readFileSync(join(keysDir, name), 'utf8')]));
    const out = join(tmp, 'manifests');
    const r = render(file, '--agents', '2', '-o', out, '--keys', keysDir, '--image', 'reg.example/zb:9', '--keep', '90s');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /wrote 6 files to .*manifests; apply them with: kubectl apply -k /);
    const kustomization = YAML.parse(readFileSync(join(out, 'kustomization.yaml'), 'utf8')) as { kind: string; resources: string[] };
    assert.equal(kustomization.kind, 'Kustomization');
    assert.deepEqual(kustomization.resources, [
      'scenario-configmap.yaml',
      'keys-secret.yaml',
      'agents-service.yaml',
      'agents-job.yaml',
      'coordinator-job.yaml',
    ]);
    const secret = YAML.parse(readFileSync(join(out, 'keys-secret.yaml'), 'utf8')) as Doc;
    for (const [name, text] of Object.entries(written)) assert.equal(Buffer.from(secret.data![name]!, 'base64').toString(), text);
    assert.equal(statSync(join(out, 'keys-secret.yaml')).mode & 0o777, 0o600, 'the Secret is readable by its owner only');
    const coordinator = readFileSync(join(out, 'coordinator-job.yaml'), 'utf8');
    assert.match(coordinator, /image: reg\.example\/zb:9/);
    assert.match(coordinator, /sleep 90 & wait/);
  });

  it('refuses a scenario without hosts:, with exit 104', () => {
    const r = render(scenario('no-hosts.yaml', TWO_HOSTS.replace(/hosts:\n.*\n.*\n/, '').replace(/ {6}host: \w+\n/g, '')), '--agents', '2');
    assert.equal(r.status, 104, r.stderr);
    assert.match(r.stderr, /^zmq-bench: .*no-hosts\.yaml: k8s render needs a scenario with hosts:/m);
    assert.equal(r.stdout, '');
  });

  it('refuses --agents other than the number of labels, naming them', () => {
    const r = render(file, '--agents', '3');
    assert.equal(r.status, 104, r.stderr);
    assert.match(r.stderr, /--agents 3: must equal the number of labels of hosts: in .*two-hosts\.yaml \(2: left, right\)/);
    assert.equal(render(file, '--agents', '0').status, 104);
    assert.equal(render(file).status, 104, 'without --agents');
  });

  it('refuses an invalid scenario as run does, a suite, and keys that are not keys, each with exit 104', () => {
    const invalid = render(scenario('typo.yaml', TWO_HOSTS.replace('duration: 2s', 'duraton: 2s')), '--agents', '2');
    assert.equal(invalid.status, 104);
    assert.match(invalid.stderr, /typo\.yaml: .*duraton/);

    const suite = render(scenario('suite.yaml', 'suite: s\nscenarios:\n  - file: two-hosts.yaml\n'), '--agents', '2');
    assert.equal(suite.status, 104);
    assert.match(suite.stderr, /suite\.yaml: k8s render takes one scenario file, not a suite/);

    const badKeys = join(tmp, 'bad-keys');
    mkdirSync(badKeys);
    writeFileSync(join(badKeys, 'agent.public'), 'not a key\n');
    const keys = render(file, '--agents', '2', '--keys', badKeys);
    assert.equal(keys.status, 104);
    assert.match(keys.stderr, /bad-keys\/agent\.public: not a CURVE key/);
    assert.match(keys.stderr, /bad-keys\/coordinator\.secret: missing/);
    assert.equal(keys.stdout, '');
  });

  it('refuses a scenario that sends a payload file: only the scenario goes into the ConfigMap', () => {
    writeFileSync(join(tmp, 'data.bin'), 'hello');
    const r = render(
      scenario('payload.yaml', TWO_HOSTS.replace('rate: 100', 'rate: 100\n      payload: { file: data.bin }')),
      '--agents',
      '2',
    );
    assert.equal(r.status, 104, r.stderr);
    assert.match(
      r.stderr,
      /payload\.yaml: topology\.groups\[0\]\.payload: names a payload file, which k8s render cannot carry into the cluster/,
    );
  });

  it('refuses a --deadline shorter than the wait for agents, the run and --keep', () => {
    const r = render(file, '--agents', '2', '--deadline', '10m', '--keep', '10m');
    assert.equal(r.status, 104);
    assert.match(
      r.stderr,
      /--deadline 600s: must be longer than the wait for agents \(300s\), the run \(.*\) and --keep \(600s\) together/,
    );
  });
});
