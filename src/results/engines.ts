import type { GroupResult } from '../core/types.js';

/**
 * Which engine drove each group, in words. Reports (console, HTML, CI outputs) name engines
 * only when a run used one other than zeromq.js: a zeromq.js-only run reads as it always did.
 */

export const DEFAULT_ENGINE = 'zeromq.js';

/** A group's engine; results written before engines existed name none, and ran on zeromq.js. */
export function engineOf(g: Pick<GroupResult, 'engine'>): string {
  const engine = g.engine as string | undefined;
  return typeof engine === 'string' && engine !== '' ? engine : DEFAULT_ENGINE;
}

/** True when some group ran on an engine other than zeromq.js, so the engines are worth showing. */
export function showsEngines(groups: readonly Pick<GroupResult, 'engine'>[]): boolean {
  return groups.some((g) => engineOf(g) !== DEFAULT_ENGINE);
}

/** "publisher native, subscribers zeromq.js"; undefined when every group ran on zeromq.js. */
export function enginesOf(groups: readonly Pick<GroupResult, 'name' | 'engine'>[]): string | undefined {
  if (!showsEngines(groups)) return undefined;
  return groups.map((g) => `${g.name} ${engineOf(g)}`).join(', ');
}

/** "engines: publisher native, subscribers zeromq.js"; undefined when every group ran on zeromq.js. */
export function enginesNote(groups: readonly Pick<GroupResult, 'name' | 'engine'>[]): string | undefined {
  const engines = enginesOf(groups);
  return engines === undefined ? undefined : `engines: ${engines}`;
}
