import { realpathSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { invalidInput } from '../core/errors.js';
import { EXTERNAL_LIMITS } from './external-schema.js';
import { FileRefused, readProblem, readRegularFileSync } from '../core/read-file.js';
import type { Scenario } from './schema.js';

/**
 * Payload `file:` parts, read when the scenario is loaded so that workers (which may not touch
 * the file system) get the bytes with their plan. The bytes are sent to a peer, so a payload file
 * must be inside the scenario's folder (`../../../etc/shadow` would otherwise go out on the
 * wire) unless the user says otherwise.
 */

export interface PayloadFileOptions {
  /** read payload files outside the scenario's folder too (--allow-outside-payload) */
  allowOutsidePayload?: boolean;
}

/** `path` is `dir` or below it. */
function isInside(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

/** Why `path` (absolute) may not be read from `dir`, or undefined. Links are followed: one inside that points out is outside. */
function outside(dir: string, written: string, path: string): string | undefined {
  const advice = 'pass --allow-outside-payload to read it';
  if (!isInside(dir, path)) return `${written} is outside the scenario's folder (${dir}); ${advice}`;
  let real: string;
  let realDir: string;
  try {
    real = realpathSync(path);
    realDir = realpathSync(dir);
  } catch {
    return undefined; // a missing file: reading it says so
  }
  return isInside(realDir, real) ? undefined : `${written} is outside the scenario's folder (${dir}): it leads to ${real}; ${advice}`;
}

/** Fills in the bytes (base64) of every `file` payload part, read relative to `source`. */
export function readPayloadFiles(scenario: Scenario, source: string, o: PayloadFileOptions = {}): void {
  const dir = resolve(dirname(source));
  const limit = EXTERNAL_LIMITS.payloadFileBytes;
  const problems: string[] = [];
  scenario.groups.forEach((group, g) => {
    group.payload?.forEach((part) => {
      if (part.kind !== 'file') return;
      const where = `${source}: topology.groups[${g}].payload${part.frame === undefined ? '' : `.frames[${part.frame}]`}.file`;
      const path = resolve(dir, part.path);
      const refused = o.allowOutsidePayload ? undefined : outside(dir, part.path, path);
      if (refused !== undefined) return void problems.push(`${where}: ${refused}`);
      try {
        const { bytes, tooLarge } = readRegularFileSync(path, limit, 'payload file');
        if (tooLarge) throw new FileRefused(`is more than ${limit} bytes; at most ${limit} are sent as one frame`);
        part.base64 = bytes.toString('base64');
      } catch (e) {
        problems.push(`${where}: ${path} ${readProblem(e)}`);
      }
    });
  });
  if (problems.length > 0) throw invalidInput(problems);
}
