import { parseDurationMs } from '../core/units.js';
import { applyOverrides } from '../scenario/overrides.js';
import type { EngineName, Placement, Scenario, TransportName } from '../scenario/schema.js';
import { retargetExternal } from '../scenario/validate-external.js';
import { ScenarioError, refusedAsSync } from './errors.js';

/**
 * The settings that replace a scenario's own, named like `zmq-bench run`'s flags, and how they
 * are applied: by the same code as the CLI's, so the API refuses what the CLI refuses, with the
 * same lines.
 */

/** ms as a number, or a duration as scenario files and the CLI write it: '300ms', '2s', '1m'. */
export type DurationInput = number | string;

export interface ScenarioOverrides {
  /** --transport: every endpoint on this transport */
  transport?: TransportName;
  /** --duration: the measured time */
  duration?: DurationInput;
  /** --engine: every group's sockets driven by zeromq.js or native (libzmq's C API) */
  engine?: EngineName;
  /** --placement: every group in worker threads, or every socket in a child process of its own */
  placement?: Placement;
  /** --endpoint name=address (one entry each): where the scenario's external endpoints point for this run */
  endpoints?: Readonly<Record<string, string>>;
  /** --allow-remote: external endpoints may be on other hosts (default: loopback and ipc only) */
  allowRemote?: boolean;
}

export const OVERRIDE_KEYS = ['transport', 'duration', 'engine', 'placement', 'endpoints', 'allowRemote'] as const;

/**
 * Options a JavaScript caller may misspell (`durationMs` for `duration`): TypeScript catches
 * them in object literals only, and an option silently ignored would run another benchmark.
 */
export function unknownOptionProblems(options: object, known: readonly string[]): string[] {
  return Object.keys(options)
    .filter((k) => !known.includes(k))
    .map((k) => `options.${k}: not an option (known: ${known.join(', ')})`);
}

/** A duration option in ms; undefined (with a problem) when it is not one. */
function durationMs(value: DurationInput, problems: string[]): number | undefined {
  if (typeof value === 'number') return value;
  const ms = typeof value === 'string' ? parseDurationMs(value) : undefined;
  if (ms === undefined)
    problems.push(`duration: expected a duration such as 500ms, 2s or 1m (or a number of ms), got ${JSON.stringify(value)}`);
  return ms;
}

/** The scenario with the overrides applied (a copy); every problem at once as a ScenarioError. */
export function withOverrides(scenario: Scenario, o: ScenarioOverrides): Scenario {
  const problems: string[] = [];
  const duration = o.duration === undefined ? undefined : durationMs(o.duration, problems);
  if (problems.length > 0) throw new ScenarioError(problems);
  const applied = refusedAsSync(ScenarioError, () =>
    applyOverrides(scenario, { transport: o.transport, durationMs: duration, engine: o.engine, placement: o.placement }),
  );
  const targeted = retargetExternal([applied], o.endpoints ?? {}, o.allowRemote ?? false);
  if (targeted.problems.length > 0) throw new ScenarioError(targeted.problems);
  return targeted.scenarios[0]!;
}
