import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root, from dist/test/support. */
export const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** Every file under a folder of the repository (recursively) whose name matches `name`, as absolute paths. */
export function filesUnder(dir: string, name: RegExp): string[] {
  return readdirSync(join(repositoryRoot, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && name.test(e.name))
    .map((e) => join(e.parentPath, e.name));
}
