import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { describe, it } from 'node:test';
import { filesUnder, repositoryRoot } from '../../support/repository-files.js';

/**
 * No TypeScript file of src/, test/ or bench/ is over 450 lines, counted as `wc -l` counts them
 * (biome's own count in `npm run lint` leaves some lines out). A file that grows past it has
 * more than one job: split it by what its parts do.
 */

const MAX_LINES = 450;

describe('file sizes', () => {
  it(`no TypeScript file of src/, test/ or bench/ is over ${MAX_LINES} lines`, () => {
    const files = ['src', 'test', 'bench'].flatMap((d) => filesUnder(d, /\.ts$/));
    assert.ok(files.length > 100, `found only ${files.length} files`);
    const long = files
      .map((f) => ({ file: relative(repositoryRoot, f), lines: readFileSync(f, 'utf8').split('\n').length - 1 }))
      .filter((f) => f.lines > MAX_LINES)
      .map((f) => `${f.file}: ${f.lines} lines`);
    assert.deepEqual(long, []);
  });
});
