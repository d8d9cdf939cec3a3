/**
 * `npm run docs:screenshot` (this script with `--write-docs`): runs the slow-subscriber scenario
 * for real, opens its report.html in chromium and saves the top of the page as
 * docs/images/report-slow-subscriber.png, then rewrites the README's caption (between the
 * screenshot markers) with the machine it ran on. Without `--write-docs` the image goes to a
 * temporary folder (its path printed) with the caption, and docs/ and the README stay as they are.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunResult } from '../src/core/types.js';
import { chromiumMissing, launchChromium, openReport } from '../test/support/browser.js';
import { WRITE_DOCS, writeDocsFlag, writeReadmeBlock } from './readme-block.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const IMAGE = 'docs/images/report-slow-subscriber.png';
const START = '<!-- screenshot:start (written by npm run docs:screenshot) -->';
const END = '<!-- screenshot:end -->';

const { writeDocs } = writeDocsFlag(process.argv.slice(2));
const missing = chromiumMissing();
if (missing) {
  console.error(missing);
  process.exit(1);
}

const out = mkdtempSync(join(tmpdir(), 'zmq-bench-screenshot-'));
// Without --write-docs the image goes to a folder of its own under the temp dir, kept for a look.
const image = writeDocs
  ? join(ROOT, IMAGE)
  : join(mkdtempSync(join(tmpdir(), 'zmq-bench-screenshot-image-')), 'report-slow-subscriber.png');
try {
  const run = spawnSync(
    process.execPath,
    [join(ROOT, 'dist/src/cli.js'), 'run', join(ROOT, 'scenarios/slow-subscriber.yaml'), '--out', out, '--quiet'],
    { stdio: 'inherit' },
  );
  if (run.status !== 0) throw new Error(`the run exited ${run.status}`);
  const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as RunResult;

  const browser = await launchChromium();
  try {
    const { page, problems } = await openReport(browser, join(out, 'report.html'), { width: 1280 });
    if (problems.length > 0) throw new Error(`the report has problems:\n${problems.join('\n')}`);
    await page.setViewportSize({ width: 1280, height: 1700 });
    await page.screenshot({ path: image, clip: { x: 0, y: 0, width: 1280, height: 1700 } });
  } finally {
    await browser.close();
  }

  const e = result.environment;
  const caption =
    `![The HTML report of the slow-subscriber scenario](${IMAGE})\n\n` +
    `*The top of \`report.html\` for \`scenarios/slow-subscriber.yaml\` over tcp, run on ${e.cpuModel} × ${e.cores} cores, ` +
    `Node ${e.node}, zeromq.js ${e.zeromqJs} / libzmq ${e.libzmq}, ${result.timing.startedAt.slice(0, 10)}. ` +
    `Made by \`npm run docs:screenshot\`.*`;
  if (writeDocs) {
    writeReadmeBlock(START, END, caption);
    console.log(`wrote ${IMAGE} and its caption in README.md`);
  } else {
    console.log(`${caption}\n\nwrote ${image}; docs/ and README untouched (${WRITE_DOCS}, or npm run docs:screenshot, to write them)`);
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}
