import { readFile } from 'node:fs/promises';
import { messageOf } from '../../core/errors.js';
import { writeFileAtomically } from '../../results/write.js';
import { TOOL_VERSION } from '../../core/tool-version.js';
import { buildReportHtml, type ReportInput } from './report-document.js';

/** Where report.html comes from and goes to: the chart bundle and the page written (results are read in results/read.ts). */

export const REPORT_FILE = 'report.html';

let bundle: string | undefined;

/** dist/browser/report.js (Chart.js and our chart code), built by `npm run build`. */
export async function chartBundle(): Promise<string> {
  // dist/src/report/html/report-files.js → dist/browser/report.js
  const url = new URL('../../../browser/report.js', import.meta.url);
  try {
    bundle ??= await readFile(url, 'utf8');
  } catch (e) {
    throw new Error(`the report's chart code is missing (${messageOf(e)}): run npm run build`);
  }
  return bundle;
}

/** The page for these results, written to `path` (whole or not at all). */
export async function writeReport(path: string, inputs: readonly ReportInput[], now = new Date()): Promise<string> {
  const page = buildReportHtml(inputs, { bundle: await chartBundle(), generatedAt: now, toolVersion: TOOL_VERSION });
  await writeFileAtomically(path, page);
  return path;
}

/** What a parsed file must have to be read as a result (a report of anything else would mislead). */
