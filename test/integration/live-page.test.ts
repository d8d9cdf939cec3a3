import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import type { RunResult } from '../../src/core/types.js';
import { LIVE_LINGER_MS } from '../../src/live/live-page-session.js';
import { chartStates, chromiumMissing, launchChromium, type PageGlobals } from '../support/browser.js';

/**
 * `run --live` with the real CLI and a real browser while the run goes: the page connects, a
 * chart gains points, the timeline shows the fault, and at the end the page is the run's report
 * (the same figures as result.json) and the command exits.
 */

const CLI = fileURLToPath(new URL('../../src/cli.js', import.meta.url));

const SCENARIO = `name: live-page
transport: tcp
duration: 1200ms
drain: 200ms
topology:
  endpoints: [work]
  groups:
    - { name: source, type: push, bind: work, rate: 2000 }
    - { name: sink, type: pull, connect: work }
events:
  - { at: 400ms, kill: sink }
  - { at: 700ms, restart: sink }
`;

/** The data-drawn count of one chart box (0 while it has none). */
async function drawn(page: Page, id: string): Promise<number> {
  return (await chartStates(page)).find((c) => c.id === id)?.drawn ?? 0;
}

describe('the live page in a real browser', { skip: chromiumMissing() }, () => {
  let browser: Browser | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'zmq-bench-live-'));
  after(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('follows a run as it goes, then becomes its report, and the command ends', { timeout: 60_000 }, async () => {
    const file = join(dir, 'live.yaml');
    writeFileSync(file, SCENARIO);
    const out = join(dir, 'out');
    // The browser first, so the page is open well before the run measures, however slow the machine.
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    const child = spawn(process.execPath, [CLI, 'run', file, '--out', out, '--quiet', '--live', '0'], {
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stdout.resume();
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const url = await new Promise<string>((resolve, reject) => {
      child.stderr.on('data', (d: string) => {
        stderr += d;
        const m = /live page: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(stderr);
        if (m) resolve(m[1]!);
      });
      child.on('exit', () => reject(new Error(`the command ended without a live page:\n${stderr}`)));
    });
    try {
      const problems: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
      });
      page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
      page.on('request', (r) => {
        if (!r.url().startsWith(url)) problems.push(`request elsewhere: ${r.url()}`);
      });
      await page.goto(url);
      await page.waitForSelector('[data-live-state="live"]', { timeout: 10_000 });

      // A chart gains points while the run goes (data-drawn: the points the chart code drew).
      const more = (n: number) => {
        const { document } = globalThis as unknown as PageGlobals;
        const box = [...document.querySelectorAll('[data-chart="live-throughput"]')][0];
        return Number(box?.dataset.drawn ?? 0) > n;
      };
      await page.waitForFunction(more, 0);
      await page.waitForFunction(more, await drawn(page, 'live-throughput'));
      assert.equal(page.url(), url, 'still the live page while the run goes');

      // The kill shows on the timeline, as the report lists it.
      const fault = await page.waitForSelector('[data-live-timeline] tr[data-kind="fault"]', { timeout: 10_000 });
      assert.match((await fault.textContent()) ?? '', /kill sink/);

      // At the end: the run's report, with result.json's figures.
      await page.waitForSelector('[data-overall-verdict]', { timeout: 20_000 });
      assert.equal(page.url(), `${url}report`);
      const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as RunResult;
      const shown = await page.evaluate(() => {
        const { document } = globalThis as unknown as PageGlobals;
        const figure = [...document.querySelectorAll('[data-figure="received"]')][0];
        const faults = [...document.querySelectorAll('details.timeline td')].map((td) => td.textContent ?? '');
        return { received: figure?.dataset.value, faults };
      });
      assert.equal(shown.received, String(result.totals.received));
      assert.ok(shown.faults.includes('kill sink'), shown.faults.join(' | '));
      assert.deepEqual(problems, []);

      const ended = Date.now();
      assert.equal(await exited, 0, stderr);
      assert.ok(Date.now() - ended < LIVE_LINGER_MS, 'the command does not wait out the linger once the page has its report');
    } finally {
      child.kill();
    }
  });
});
