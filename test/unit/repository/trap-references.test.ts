import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { filesUnder, repositoryRoot } from '../../support/repository-files.js';

/**
 * "trap N" in a comment means item N of docs/zeromq-traps.md: one numbering, inside the
 * repository. A reference to a number the document lacks, or to notes outside the repository,
 * fails here.
 */

const doc = readFileSync(join(repositoryRoot, 'docs/zeromq-traps.md'), 'utf8');
const numbered = new Set([...doc.matchAll(/^(\d+)\. \*\*/gm)].map((m) => Number(m[1])));

const files = [...['src', 'bench', 'test', 'docs'].flatMap((d) => filesUnder(d, /\.(ts|md|yaml)$/)), join(repositoryRoot, 'README.md')];

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
