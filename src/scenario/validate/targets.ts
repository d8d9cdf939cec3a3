import { TARGET_PATTERN } from '../schema.js';

/** A target `name` or `name[i]`: the group and the socket (null: all of them). */
export function parseTarget(target: string): { group: string; instance: number | null } | undefined {
  const m = new RegExp(TARGET_PATTERN).exec(target);
  if (!m) return undefined;
  return { group: m[1]!, instance: m[2] === undefined ? null : Number(m[2]) };
}

/** One key for the two sides of a network fault, in either order: a heal names its partition's pair as it likes. */
export function networkPairKey(targets: readonly string[]): string {
  return [...targets].sort().join('\u0000');
}
