import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeDocsFlag } from '../../../bench/readme-block.js';

test('a bench script writes docs only when given --write-docs, and passes its other arguments on', () => {
  assert.deepEqual(writeDocsFlag(['--only', 'B7', '--write-docs']), { writeDocs: true, rest: ['--only', 'B7'] });
  assert.deepEqual(writeDocsFlag(['--repeat', '3']), { writeDocs: false, rest: ['--repeat', '3'] });
  assert.deepEqual(writeDocsFlag([]), { writeDocs: false, rest: [] });
});
