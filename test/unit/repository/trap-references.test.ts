import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';

/**
 * "trap N" in a comment means item N of docs/zeromq-traps.md: one numbering, inside the
 * repository. A reference to a number the document lacks, or to notes outside the repository,
 * fails here.
 */

const repo = fileURLToPath(new URL('../../../../', import.meta.url));
const doc = readFileSync(join(repo, 'docs/zeromq-traps.md'), 'utf8');
const numbered = new Set([...doc.matchAll(/^(\d+)\. \*\*/gm)].map((m) => Number(m[1])));

function sourceFiles(dir: string): string[] {
  return readdirSync(join(repo, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(ts|md|yaml)$/.test(e.name))
    .map((e) => join(e.parentPath, e.name));
}

const files = [...sourceFiles('src'), ...sourceFiles('bench'), ...sourceFiles('test'), ...sourceFiles('docs'), join(repo, 'README.md')];

describe('trap references', () => {
  it('docs/zeromq-traps.md numbers its traps 1, 2, 3, … without a gap', () => {
    assert.ok(numbered.size > 20, `found only ${numbered.size} numbered traps`);
    assert.deepEqual(
      [...numbered],
      [...numbered].map((_, i) => i + 1),
    );
  });

  it('every "trap N" in code and docs is a trap of docs/zeromq-traps.md', () => {
    const wrong: string[] = [];
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\btrap (\d+)\b/g)) if (!numbered.has(Number(m[1]))) wrong.push(`${file}: trap ${m[1]}`);
    }
    assert.deepEqual(wrong, []);
  });

  it('no code or doc points to the notes outside the repository', () => {
    const outside = files.filter((f) => !f.endsWith('trap-references.test.ts') && /ZEROMQ-NOTES/.test(readFileSync(f, 'utf8')));
    assert.deepEqual(outside, []);
  });
});
