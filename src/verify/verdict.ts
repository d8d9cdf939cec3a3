import { ExitCode, type ExitCodeValue } from '../core/exit-codes.js';
import type { Expectation } from '../scenario/expect/schema.js';
import { evaluateThat, type Evaluation } from '../scenario/expect/expectation.js';

/**
 * Whether a claim holds on this machine, from one run of its scenario. The verdict counts
 * every assertion; the exit code only the required ones, so an assertion marked
 * `required: false` can show a claim holding partly without failing `zmq-bench verify`.
 */

export type Verdict = 'holds' | 'holds partly' | 'does not hold' | 'not measured';

export interface AssertionOutcome extends Evaluation {
  says: string;
  required: boolean;
}

export interface CatalogueEntry {
  behaviour: string;
  claim: string;
  seeds: string[];
  verdict: Verdict;
  assertions: AssertionOutcome[];
  /** why the claim was not measured: the run's problems, or an assertion that could not be read */
  problems: string[];
}

/** holds: all hold; does not hold: none does; holds partly: in between. */
export function verdictOf(outcomes: readonly { holds: boolean }[]): Exclude<Verdict, 'not measured'> {
  const holding = outcomes.filter((o) => o.holds).length;
  if (holding === outcomes.length) return 'holds';
  return holding === 0 ? 'does not hold' : 'holds partly';
}

/**
 * Judges one result (parsed result.json; null when the scenario produced none). Assertions are
 * evaluated even on a run with problems, so the table still shows what was measured.
 */
export function judgeRun(expect: Expectation, result: unknown): CatalogueEntry {
  const assertions = expect.assertions.map((a) => ({ ...evaluateThat(a.that, result), says: a.says, required: a.required }));
  const problems = [...runProblems(result), ...assertions.flatMap((a) => (a.missing === undefined ? [] : [`${a.that}: ${a.missing}`]))];
  return {
    behaviour: expect.behaviour,
    claim: expect.claim,
    seeds: expect.seeds,
    verdict: problems.length > 0 ? 'not measured' : verdictOf(assertions),
    assertions,
    problems,
  };
}

function runProblems(result: unknown): string[] {
  if (typeof result !== 'object' || result === null || Array.isArray(result)) return ['the scenario produced no result'];
  const problems: unknown = Reflect.get(result, 'problems');
  const listed = Array.isArray(problems) ? problems.map(String) : [];
  if (listed.length > 0) return listed;
  return Reflect.get(result, 'complete') === false ? ['the run did not complete'] : [];
}

/** 97 when a claim could not be measured, else 99 when a required assertion does not hold, else 0. */
export function catalogueExitCode(entries: readonly CatalogueEntry[]): ExitCodeValue {
  if (entries.some((e) => e.verdict === 'not measured')) return ExitCode.invalidMeasurement;
  if (entries.some((e) => e.assertions.some((a) => a.required && !a.holds))) return ExitCode.thresholdFailed;
  return ExitCode.ok;
}
