import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { repositoryRoot } from '../../support/repository-files.js';

/**
 * docs/api.md shows docs/examples/api-example.ts, which the package test runs in a fresh project
 * (test/integration/api-package.test.ts): the copy in the guide must be that file, so it cannot rot.
 */
test("docs/api.md's example is docs/examples/api-example.ts, word for word", () => {
  const doc = readFileSync(join(repositoryRoot, 'docs', 'api.md'), 'utf8');
  const example = readFileSync(join(repositoryRoot, 'docs', 'examples', 'api-example.ts'), 'utf8');
  const section = doc.slice(doc.indexOf('## An example'));
  const block = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  assert.equal(block, example);
});
