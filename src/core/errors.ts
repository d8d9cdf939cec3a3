import { ExitCode, type ExitCodeValue } from './exit-codes.js';

/**
 * The one error type the CLI turns into an exit code. It carries every problem found
 * (one line each, already phrased for a user), so no stack trace ever reaches the terminal.
 */
export class BenchError extends Error {
  readonly problems: readonly string[];
  readonly exitCode: ExitCodeValue;

  constructor(exitCode: ExitCodeValue, problems: readonly string[]) {
    super(problems.join('\n'));
    this.name = 'BenchError';
    this.problems = problems;
    this.exitCode = exitCode;
  }
}

/** Bad scenario file or bad arguments: exit 104. */
export function invalidInput(problems: readonly string[]): BenchError {
  return new BenchError(ExitCode.invalidInput, problems);
}

/** The run could not produce a valid measurement (a role crashed, no samples): exit 97. */
export function invalidMeasurement(problems: readonly string[]): BenchError {
  return new BenchError(ExitCode.invalidMeasurement, problems);
}

export function isBenchError(e: unknown): e is BenchError {
  return e instanceof BenchError;
}

/** A message for any thrown value, without a stack. */
export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
