import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';

/**
 * No TypeScript file of src/, test/ or bench/ is over 450 lines, counted as `wc -l` counts them
 * (biome's own count in `npm run lint` leaves some lines out). A file that grows past it has
 * more than one job: split it by what its parts do.
 */

const MAX_LINES = 450;
const repo = fileURLToPath(new URL('../../../../', import.meta.url));

function typeScriptFiles(dir: string): string[] {
  return readdirSync(join(repo, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => join(e.parentPath, e.name));
}

describe('file sizes', () => {
  it(`no TypeScript file of src/, test/ or bench/ is over ${MAX_LINES} lines`, () => {
    const files = ['src', 'test', 'bench'].flatMap(typeScriptFiles);
    assert.ok(files.length > 100, `found only ${files.length} files`);
    const long = files
      .map((f) => ({ file: relative(repo, f), lines: readFileSync(f, 'utf8').split('\n').length - 1 }))
      .filter((f) => f.lines > MAX_LINES)
      .map((f) => `${f.file}: ${f.lines} lines`);
    assert.deepEqual(long, []);
  });
});
