import type { Output } from './app.js';
import { loadSide, type ComparableSide } from './ci/suite-index.js';
import type { Comparison, SuiteOutcome } from './ci/types.js';
import { ExitCode, type ExitCodeValue } from './core/exit-codes.js';
import { formatComparison } from './report/ci-summary.js';
import { ciOutputPaths, writeCiOutputs, type CiOutputPaths } from './report/ci-files.js';
import { checkOutputPaths } from './results/output-paths.js';
import { compareSides, type CompareOptions } from './ci/compare-sides.js';

/**
 * `zmq-bench compare <baseline> <current>`: per variant and figure, the change and whether it
 * is a regression; exit 98 when one is. Either side: a suite folder, an index.json, result.json
 * files or folders of them. `--junit` and `--markdown` write the comparison as `run
 * --baseline` does (one testcase per variant and figure), for a CI job that compares results
 * saved by earlier jobs.
 */
export async function compareFiles(
  baselinePath: string,
  currentPath: string,
  opts: CompareOptions & { outputs?: Pick<CiOutputPaths, 'junit' | 'markdown' | 'githubStepSummary'> },
  io: Output,
): Promise<ExitCodeValue> {
  await checkOutputPaths(ciOutputPaths(opts.outputs ?? {}));
  const [baseline, current] = await Promise.all([loadSide(baselinePath), loadSide(currentPath)]);
  const comparison = compareSides(baseline, current, opts);
  io.out(formatComparison(comparison));
  const exitCode = comparison.changes.some((c) => c.verdict === 'regression') ? ExitCode.regression : ExitCode.ok;
  const written = await writeCiOutputs(comparisonOutcome(current, comparison, exitCode), opts.outputs ?? {});
  for (const path of written) io.out(`written: ${path}`);
  return exitCode;
}

/**
 * The comparison as the outcome CI outputs are written from: the current side's variants with
 * their figures, but no runs, thresholds or problems (compare judges changes only).
 */
function comparisonOutcome(current: ComparableSide, comparison: Comparison, exitCode: number): SuiteOutcome {
  return {
    name: 'comparison with the baseline',
    startedAt: new Date().toISOString(),
    environment: current.environment,
    variants: current.variants.map((v) => ({
      name: v.name,
      scenario: v.name,
      transport: '',
      runs: [],
      figures: v.figures,
      thresholds: [],
      problems: [],
      exitCode: ExitCode.ok,
    })),
    comparison,
    exitCode,
  };
}
