import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Job, type IJob } from 'kubernetes-models/batch/v1/Job';
import { ConfigMap, type IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Secret, type ISecret } from 'kubernetes-models/v1/Secret';
import { Service, type IService } from 'kubernetes-models/v1/Service';
import { renderManifests } from '../../src/k8s/manifests.js';
import type { Manifest } from '../../src/k8s/pod.js';
import { INPUT } from '../support/k8s.js';

/**
 * Every rendered object against the Kubernetes API's schemas, offline: kubernetes-models
 * (generated from the API's OpenAPI document) checks types, required fields, enums and
 * formats. Like the OpenAPI document it does not refuse unknown fields, so render.test.ts
 * asserts by name every field the run relies on; and some rules the API server applies beyond
 * the schema (object names, label values, ConfigMap and Secret keys) are checked here.
 */

const MODELS: Record<string, (m: Manifest) => { validate(): void }> = {
  'v1/ConfigMap': (m) => new ConfigMap(m as unknown as IConfigMap),
  'v1/Secret': (m) => new Secret(m as unknown as ISecret),
  'v1/Service': (m) => new Service(m as unknown as IService),
  'batch/v1/Job': (m) => new Job(m as unknown as IJob),
};

/** The API's schema errors of one object, or none. */
function schemaErrors(m: Manifest): string | null {
  const model = MODELS[`${m.apiVersion}/${m.kind}`];
  assert.ok(model, `no model for ${m.apiVersion} ${m.kind}`);
  try {
    model(m).validate();
    return null;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

/** DNS-1123 label (pod hostnames, Service names: also DNS-1035, starting with a letter). */
const DNS_LABEL = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;
/** A label value: 63 characters at most, alphanumeric at both ends. */
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/;
const DATA_KEY = /^[-._a-zA-Z0-9]{1,253}$/;

const copy = (m: Manifest): Manifest => structuredClone(m);
const rendered = renderManifests({ ...INPUT, labels: ['left', 'right', 'far'] });
const kind = (file: string): Manifest => rendered.objects.find((o) => o.file === file)!.manifest;

describe('k8s render: the Kubernetes API schemas', () => {
  it('every rendered object is valid', () => {
    for (const { file, manifest } of rendered.objects) assert.equal(schemaErrors(manifest), null, file);
  });

  it('names, label values and data keys follow the API server rules', () => {
    for (const { file, manifest } of rendered.objects) {
      assert.match(manifest.metadata.name, DNS_LABEL, file);
      for (const value of Object.values(manifest.metadata.labels)) assert.match(value, LABEL_VALUE, file);
      for (const key of Object.keys((manifest['data'] as Record<string, string> | undefined) ?? {})) assert.match(key, DATA_KEY, file);
    }
    // pod i's hostname, which the coordinator dials
    assert.match(`${kind('agents-job.yaml').metadata.name}-63`, DNS_LABEL);
  });

  it('refuses a broken manifest, and says where: these checks can fail', () => {
    const agents = copy(kind('agents-job.yaml'));
    const pod = (agents['spec'] as { template: { spec: { containers: Array<{ ports: Array<{ containerPort: unknown }> }> } } }).template
      .spec;
    pod.containers[0]!.ports[0]!.containerPort = '7000';
    assert.match(schemaErrors(agents) ?? '', /containers\/0\/ports\/0\/containerPort must be integer/);

    const lowercase = copy(kind('agents-job.yaml'));
    (lowercase['spec'] as { completionMode: string }).completionMode = 'indexed';
    assert.match(schemaErrors(lowercase) ?? '', /completionMode must be equal to one of the allowed values/);

    const noTemplate = copy(kind('coordinator-job.yaml'));
    delete (noTemplate['spec'] as { template?: unknown }).template;
    assert.match(schemaErrors(noTemplate) ?? '', /data\/spec must have required property template/);

    const service = copy(kind('agents-service.yaml'));
    (service['spec'] as { ports: Array<{ port: unknown }> }).ports[0]!.port = 'control';
    assert.match(schemaErrors(service) ?? '', /ports\/0\/port must be integer/);

    const misnamed = { ...copy(kind('coordinator-job.yaml')), kind: 'CronJob' };
    assert.throws(() => new Job(misnamed as unknown as IJob).validate(), /kind must be equal to one of the allowed values/);
  });
});
