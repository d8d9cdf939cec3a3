import { createRequire } from 'node:module';

/** zmq-bench's own version, from package.json (dist/src/core → the package root). */
export const TOOL_VERSION: string = (createRequire(import.meta.url)('../../../package.json') as { version: string }).version;
