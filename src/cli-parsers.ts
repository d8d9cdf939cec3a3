import { InvalidArgumentError } from 'commander';
import { parseDurationMs } from './core/units.js';
import { LIMITS } from './scenario/schema.js';
import { parseMatrixArgument, type MatrixValue } from './scenario/matrix.js';
import { parseEndpointArgument } from './scenario/validate-external.js';
import { parseAgentsArgument } from './agent/agent-args.js';
import type { AgentTarget } from './runtime/remote/agent-link.js';

/** The command line's value parsers: each turns one option's text into its value, or says what was expected (commander shows it). */

export function collectAgents(text: string, previous: AgentTarget[] | undefined): AgentTarget[] {
  const parsed = parseAgentsArgument(text, previous);
  if (typeof parsed === 'string') throw new InvalidArgumentError(`${parsed[0]!.toUpperCase()}${parsed.slice(1)}.`);
  return parsed;
}

/** --matrix key=v1,v2, repeatable: collected into one matrix (a key given twice: the last wins). */
export function collectMatrix(text: string, previous: Record<string, MatrixValue[]> | undefined): Record<string, MatrixValue[]> {
  const parsed = parseMatrixArgument(text);
  if (typeof parsed === 'string') throw new InvalidArgumentError(parsed);
  return { ...previous, [parsed.key]: parsed.values };
}

/** --endpoint name=address, repeatable: the last one of a name wins. */
export function collectEndpoint(text: string, previous: Record<string, string> | undefined): Record<string, string> {
  const parsed = parseEndpointArgument(text);
  if (!parsed) throw new InvalidArgumentError('Expected name=address, e.g. hello=tcp://127.0.0.1:5555.');
  return { ...previous, [parsed.name]: parsed.address };
}

export function parseRepeat(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 100) throw new InvalidArgumentError('Expected a whole number from 1 to 100.');
  return n;
}

export function parseAlpha(value: string): number {
  const n = Number(value);
  if (!(n > 0 && n < 1)) throw new InvalidArgumentError('Expected a significance level between 0 and 1, such as 0.05.');
  return n;
}

export function parseTolerance(value: string): number {
  const n = Number(value.replace(/%$/, ''));
  if (!(n >= 0 && n <= 1000)) throw new InvalidArgumentError('Expected a percentage from 0 to 1000, such as 10 or 10%.');
  return n;
}

export function parseDuration(value: string): number {
  const ms = parseDurationMs(value);
  if (ms === undefined) throw new InvalidArgumentError('Expected a duration such as 500ms, 2s or 1m.');
  if (ms <= 0) throw new InvalidArgumentError('The duration must be more than 0.');
  // whole microseconds, as scenario files: 0.0000001ms would run for no time and be written as 0us
  const us = Math.round(ms * 1000);
  if (us < 1) throw new InvalidArgumentError('The duration must be at least 1us.');
  if (ms > LIMITS.durationMs) throw new InvalidArgumentError(`The duration must be at most ${LIMITS.durationMs / 3_600_000}h.`);
  return us / 1000;
}
