import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { describe, it } from 'node:test';
import ts from 'typescript';
import { filesUnder, repositoryRoot } from '../../support/repository-files.js';

/**
 * No function or method in src/runtime, src/roles or src/scenario is over 80 lines, from its
 * first line to its closing brace. biome's rule in `npm run lint` checks functions but not class
 * methods, which is where a role or a phase grows; this counts both, with TypeScript's own parser.
 */

const MAX_LINES = 80;
const FOLDERS = ['src/runtime', 'src/roles', 'src/scenario'];

function longFunctions(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body !== undefined) {
      const first = source.getLineAndCharacterOfPosition(node.getStart()).line;
      const last = source.getLineAndCharacterOfPosition(node.end).line;
      if (last - first + 1 > MAX_LINES) found.push(`${relative(repositoryRoot, file)}:${first + 1}: ${last - first + 1} lines`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('function sizes', () => {
  it(`no function or method in ${FOLDERS.join(', ')} is over ${MAX_LINES} lines`, () => {
    const files = FOLDERS.flatMap((dir) => filesUnder(dir, /\.ts$/));
    assert.ok(files.length > 50, `found only ${files.length} files`);
    assert.deepEqual(files.flatMap(longFunctions), []);
  });
});
