import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { scenarioJsonSchemaText } from './json-schema.js';

/**
 * Regenerates the committed scenarios/scenario.schema.json (editors' completion and checks):
 *   npx tsc -p tsconfig.json && node dist/src/scenario/write-json-schema.js [path]
 * A unit test fails while the committed file differs from what the code generates.
 */
const target = process.argv[2] ?? fileURLToPath(new URL('../../../scenarios/scenario.schema.json', import.meta.url));
writeFileSync(target, scenarioJsonSchemaText());
console.log(`wrote ${target}`);
