import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import YAML from 'yaml';
import type { Rendered } from './manifests.js';

/** Rendered objects → YAML: one stream for stdout, or one file per object and a kustomization.yaml. */

export const KUSTOMIZATION_FILE = 'kustomization.yaml';

/**
 * lineWidth 0: long strings (the --agents list) stay on one line, where a reader greps them; no
 * aliases: labels written twice are written out twice, as people write manifests.
 */
function toYaml(value: unknown): string {
  const doc = new YAML.Document(value, { aliasDuplicateObjects: false });
  // file modes are numbers in the API: say which octal mode a decimal one is
  YAML.visit(doc, {
    Pair(_, pair) {
      if (
        YAML.isScalar(pair.key) &&
        pair.key.value === 'defaultMode' &&
        YAML.isScalar(pair.value) &&
        typeof pair.value.value === 'number'
      ) {
        pair.value.comment = ` 0${pair.value.value.toString(8)} in octal`;
      }
    },
  });
  return doc.toString({ lineWidth: 0 });
}

/** Every object, as documents of one YAML stream (`kubectl apply -f -` takes it). */
export function yamlStream(rendered: Rendered): string {
  return rendered.objects.map((o) => `---\n${toYaml(o.manifest)}`).join('');
}

/** The kustomization that lists the files: `kubectl apply -k <dir>` applies them, `kubectl delete -k <dir>` removes them. */
export function kustomization(rendered: Rendered): { apiVersion: string; kind: string; resources: string[] } {
  return { apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: rendered.objects.map((o) => o.file) };
}

/** Writes the files into `dir` (made if missing) and returns their paths; the Secret's file is readable by its owner only. */
export async function writeManifestDir(dir: string, rendered: Rendered): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const { file, manifest } of rendered.objects) {
    const path = join(dir, file);
    const secret = manifest.kind === 'Secret';
    await writeFile(path, toYaml(manifest), { encoding: 'utf8', mode: secret ? 0o600 : 0o644 });
    // mode applies to a new file only: an older one keeps its own
    if (secret) await chmod(path, 0o600);
    written.push(path);
  }
  const path = join(dir, KUSTOMIZATION_FILE);
  await writeFile(path, toYaml(kustomization(rendered)), 'utf8');
  return [...written, path];
}
