import type { Output } from './app.js';
import { loadSide } from './ci/suite-index.js';
import { ExitCode, type ExitCodeValue } from './core/exit-codes.js';
import { formatComparison } from './report/ci-summary.js';
import { compareSides, type RunOptions } from './run-command.js';

/**
 * `zmq-bench compare <baseline> <current>`: per variant and figure, the change and whether it
 * is a regression; exit 98 when one is. Either side: a suite folder, an index.json, result.json
 * files or folders of them.
 */
export async function compareFiles(
  baselinePath: string,
  currentPath: string,
  opts: Pick<RunOptions, 'alpha' | 'tolerancePct' | 'force'>,
  io: Output,
): Promise<ExitCodeValue> {
  const [baseline, current] = await Promise.all([loadSide(baselinePath), loadSide(currentPath)]);
  const comparison = compareSides(baseline, current, opts);
  io.out(formatComparison(comparison));
  return comparison.changes.some((c) => c.verdict === 'regression') ? ExitCode.regression : ExitCode.ok;
}
