import { appendFile } from 'node:fs/promises';
import type { SuiteOutcome } from '../ci/types.js';
import { benchmarkActionJson, bencherMetricFormat } from './benchmark-json.js';
import { junitXml } from './junit.js';
import { markdownSummary } from './markdown-summary.js';
import type { OutputPath } from '../results/output-paths.js';
import { writeFileAtomically } from '../results/write.js';

/** Where CI outputs go (each optional). */
export interface CiOutputPaths {
  junit?: string;
  markdown?: string;
  /** github-action-benchmark: <base>.smaller-is-better.json and <base>.bigger-is-better.json */
  benchmarkAction?: string;
  bmf?: string;
  /** $GITHUB_STEP_SUMMARY: the Markdown summary is appended to it */
  githubStepSummary?: string;
}

/** github-action-benchmark takes one tool per file: the two files a --benchmark-action path stands for. */
export function benchmarkActionPaths(path: string): { smaller: string; bigger: string } {
  const base = path.replace(/\.json$/i, '');
  return { smaller: `${base}.smaller-is-better.json`, bigger: `${base}.bigger-is-better.json` };
}

/** The files writeCiOutputs will write, named by their flags, for checkOutputPaths (an empty path is a problem, not "none"). */
export function ciOutputPaths(paths: CiOutputPaths): OutputPath[] {
  const out: OutputPath[] = [];
  if (paths.junit !== undefined) out.push({ flag: '--junit', path: paths.junit, kind: 'file' });
  if (paths.markdown !== undefined) out.push({ flag: '--markdown', path: paths.markdown, kind: 'file' });
  if (paths.benchmarkAction === '') out.push({ flag: '--benchmark-action', path: '', kind: 'file' });
  else if (paths.benchmarkAction !== undefined) {
    const files = benchmarkActionPaths(paths.benchmarkAction);
    out.push(
      { flag: '--benchmark-action', path: files.smaller, kind: 'file' },
      { flag: '--benchmark-action', path: files.bigger, kind: 'file' },
    );
  }
  if (paths.bmf !== undefined) out.push({ flag: '--bmf', path: paths.bmf, kind: 'file' });
  if (paths.githubStepSummary !== undefined) out.push({ flag: '$GITHUB_STEP_SUMMARY', path: paths.githubStepSummary, kind: 'append' });
  return out;
}

/** Writes every output asked for; returns the paths written. */
export async function writeCiOutputs(o: SuiteOutcome, paths: CiOutputPaths): Promise<string[]> {
  const written: string[] = [];
  const write = async (path: string, text: string) => {
    await writeFileAtomically(path, text);
    written.push(path);
  };
  if (paths.junit) await write(paths.junit, junitXml(o));
  if (paths.markdown) await write(paths.markdown, markdownSummary(o));
  if (paths.benchmarkAction) {
    const files = benchmarkActionPaths(paths.benchmarkAction);
    const json = benchmarkActionJson(o);
    await write(files.smaller, json.smallerIsBetter);
    await write(files.bigger, json.biggerIsBetter);
  }
  if (paths.bmf) await write(paths.bmf, bencherMetricFormat(o));
  if (paths.githubStepSummary) {
    await appendFile(paths.githubStepSummary, `${markdownSummary(o)}\n`);
    written.push(paths.githubStepSummary);
  }
  return written;
}
