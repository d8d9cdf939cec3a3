import { INTERRUPTED_PROBLEM, type FlowFigures, type RunResult } from '../core/types.js';
import { ExitCode, type ExitCodeValue } from '../core/exit-codes.js';

/**
 * Facts every reader of a RunResult needs alike (reports, CI, commands): its name and transport(s),
 * whether a latency figure means something, and what the result amounts to for the exit code.
 */

/** 'mixed' merges one-way and round-trip samples (totals over both kinds): not one figure worth showing. */
export const hasLatency = (f: FlowFigures) => f.latencyKind !== 'none' && f.latencyKind !== 'mixed' && f.latency.count > 0;

/** result.json keeps the scenario as given (typed unknown); read a string field safely. */
export function scenarioText(scenario: unknown, field: string): string | undefined {
  if (typeof scenario !== 'object' || scenario === null) return undefined;
  const v = (scenario as Record<string, unknown>)[field];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/**
 * The run's transport in one word: what result.json says (inproc, ipc, tcp, or "mixed" when
 * its endpoints used different ones); for results written before that, the scenario's.
 */
export function transportOf(r: RunResult): string {
  if (typeof r.transport === 'string' && r.transport !== '') return r.transport;
  const named = scenarioText(r.scenario, 'transport');
  if (named) return named;
  // Fall back to the scheme of a bound address, e.g. "tcp://127.0.0.1:5555".
  const first = Object.values(r.endpoints).flat()[0];
  const scheme = first?.split('://')[0];
  return scheme && scheme !== first ? scheme : '?';
}
/** The scenario's name as written in result.json. */
export function scenarioName(r: RunResult): string {
  return scenarioText(r.scenario, 'name') ?? '(unnamed scenario)';
}

export interface Verdict {
  status: 'pass' | 'failed' | 'invalid' | 'interrupted';
  /** the exit code this result alone stands for */
  exitCode: ExitCodeValue;
  /** one word or two for a badge */
  label: string;
}

/**
 * What a result amounts to, as the exit code sees it, most serious first: interrupted (105),
 * not valid (97: its figures cannot be trusted, so its thresholds are not either), a
 * threshold failed (99), pass (0).
 */
export function verdictOf(r: RunResult): Verdict {
  if (r.problems.includes(INTERRUPTED_PROBLEM)) return { status: 'interrupted', exitCode: ExitCode.interrupted, label: 'interrupted' };
  if (!r.complete || r.problems.length > 0) return { status: 'invalid', exitCode: ExitCode.invalidMeasurement, label: 'not valid' };
  // a run stopped by an abortOnFail threshold failed it, whatever the final figures say
  if (r.abortedBy !== undefined || r.thresholds?.some((t) => !t.passed))
    return { status: 'failed', exitCode: ExitCode.thresholdFailed, label: 'threshold failed' };
  return { status: 'pass', exitCode: ExitCode.ok, label: 'pass' };
}

/**
 * "tasks inproc, results tcp" when the endpoints of a run used different transports; undefined
 * when they all used one (the run's transport says it) or the result does not say.
 */
export function endpointTransportsText(r: Pick<RunResult, 'endpointTransports'>): string | undefined {
  const entries = Object.entries(r.endpointTransports ?? {});
  if (new Set(entries.map(([, t]) => t)).size <= 1) return undefined;
  return entries.map(([e, t]) => `${e} ${t}`).join(', ');
}
