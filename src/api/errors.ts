import { BenchError, isBenchError } from '../core/errors.js';
import { ExitCode } from '../core/exit-codes.js';

/**
 * The errors the library API throws. Each carries `problems`: one line per problem, with its
 * path and what was expected, the lines `zmq-bench` prints (without its `zmq-bench: ` prefix).
 * Both are BenchErrors, so `e instanceof BenchError` catches every refusal of the API.
 */

/** The scenario or the options of loadScenario, parseScenario or run are not valid (what the CLI refuses with exit 104). */
export class ScenarioError extends BenchError {
  constructor(problems: readonly string[]) {
    super(ExitCode.invalidInput, problems);
    this.name = 'ScenarioError';
  }
}

/** compare's inputs cannot be read as results, or ran on machines too different to compare (exit 104 in the CLI). */
export class CompareError extends BenchError {
  constructor(problems: readonly string[]) {
    super(ExitCode.invalidInput, problems);
    this.name = 'CompareError';
  }
}

/**
 * Runs `fn`, turning the invalid-input BenchErrors of the layers below into `As`; anything
 * else (a measurement that could not be made: exit 97 in the CLI) passes unchanged.
 */
export async function refusedAs<T>(As: new (problems: readonly string[]) => BenchError, fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw converted(As, e);
  }
}

/** The synchronous refusedAs. */
export function refusedAsSync<T>(As: new (problems: readonly string[]) => BenchError, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw converted(As, e);
  }
}

function converted(As: new (problems: readonly string[]) => BenchError, e: unknown): unknown {
  if (!isBenchError(e) || e.exitCode !== ExitCode.invalidInput) return e;
  // BenchError's problems, read before `instanceof As` narrows e (As makes BenchErrors too)
  const { problems } = e;
  return e instanceof As ? e : new As(problems);
}
