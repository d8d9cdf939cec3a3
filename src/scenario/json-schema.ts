import { ScenarioSchema } from './schema.js';

/** JSON Schema dialect TypeBox's output follows (const, exclusiveMinimum as a number). */
const DIALECT = 'http://json-schema.org/draft-07/schema#';

/**
 * The scenario format as plain JSON Schema, for editors and `zmq-bench schema`. The JSON round
 * trip drops TypeBox's symbol keys (Kind, Optional), which are not JSON Schema.
 */
export function scenarioJsonSchema(): Record<string, unknown> {
  const plain = JSON.parse(JSON.stringify(ScenarioSchema)) as Record<string, unknown>;
  return { $schema: DIALECT, ...plain };
}

/** The text of the committed scenarios/scenario.schema.json. */
export function scenarioJsonSchemaText(): string {
  return `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`;
}
