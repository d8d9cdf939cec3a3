import { fileURLToPath } from 'node:url';

/**
 * The folder of the scenarios shipped with zmq-bench (`zmq-bench list`), with their JSON Schema
 * (scenario.schema.json): dist/src/api/shipped.js → the package's scenarios/.
 */
export const scenariosDir: string = fileURLToPath(new URL('../../../scenarios/', import.meta.url));
