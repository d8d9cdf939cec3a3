import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { scenarioJsonSchema, scenarioJsonSchemaText } from '../../../src/scenario/json-schema.js';

const committed = new URL('../../../../scenarios/scenario.schema.json', import.meta.url);

describe('scenario JSON Schema', () => {
  it('the committed scenarios/scenario.schema.json is what the code generates', () => {
    assert.equal(
      readFileSync(committed, 'utf8'),
      scenarioJsonSchemaText(),
      'stale: run `npx tsc -p tsconfig.json && node dist/src/scenario/write-json-schema.js`',
    );
  });

  it('is plain JSON Schema: a dialect, no TypeBox symbols, closed objects', () => {
    const schema = scenarioJsonSchema();
    assert.equal(schema['$schema'], 'http://json-schema.org/draft-07/schema#');
    assert.equal(schema['additionalProperties'], false);
    assert.deepEqual(Object.getOwnPropertySymbols(schema), []);
    assert.deepEqual(schema['required'], ['name', 'topology']);
  });
});
