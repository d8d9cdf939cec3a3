import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

/**
 * Debian's chromium driven by playwright-core, for the HTML report tests and the README
 * screenshot. ZMQ_BENCH_CHROMIUM points elsewhere; .ci/run installs /usr/bin/chromium.
 */

export const CHROMIUM = process.env.ZMQ_BENCH_CHROMIUM ?? '/usr/bin/chromium';

export const chromiumMissing = (): string | false =>
  existsSync(CHROMIUM) ? false : `no chromium at ${CHROMIUM}: apt-get install chromium (as .ci/run does), or set ZMQ_BENCH_CHROMIUM`;

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // --no-sandbox: CI runs as root. The rest keep a headless run quiet and off the network.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface OpenedReport {
  page: Page;
  /** console errors and warnings, uncaught exceptions, failed requests, dialogs (alert() from injected markup) */
  problems: string[];
}

/** Opens a report from file://, recording everything that should never happen on it. */
export async function openReport(
  browser: Browser,
  file: string,
  o: { colorScheme?: 'light' | 'dark'; width?: number } = {},
): Promise<OpenedReport> {
  const page = await browser.newPage({ viewport: { width: o.width ?? 1366, height: 768 }, colorScheme: o.colorScheme ?? 'light' });
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
  // Anything fetched at all means the page is not self-contained.
  page.on('request', (r) => {
    if (r.url() !== pathToFileURL(file).href) problems.push(`request: ${r.url()}`);
  });
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  return { page, problems };
}

export interface ChartState {
  id: string;
  /** data points drawn, as the chart code counted them (data-drawn) */
  drawn: number;
  /** canvas pixels that are not transparent */
  painted: number;
}

/**
 * The little of the DOM that page-side code below uses. The tests compile without the DOM lib
 * (it would let Node code use browser globals unnoticed), so page code reaches it through this.
 */
export interface PageElement {
  dataset: Record<string, string | undefined>;
  textContent: string | null;
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): Iterable<PageElement>;
}
interface PageCanvas {
  width: number;
  height: number;
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } } | null;
}
export interface PageGlobals {
  document: { querySelectorAll(selector: string): Iterable<PageElement>; documentElement: { scrollWidth: number } };
  getComputedStyle(e: unknown): { getPropertyValue(name: string): string; backgroundColor: string };
}

/** Every chart box on the page: whether the chart code drew into it and the canvas shows something. */
export function chartStates(page: Page): Promise<ChartState[]> {
  return page.evaluate(() => {
    const { document } = globalThis as unknown as PageGlobals;
    return [...document.querySelectorAll('[data-chart]')].map((box) => {
      const canvas = box.querySelector('canvas') as unknown as PageCanvas | null;
      let painted = 0;
      const ctx = canvas?.getContext('2d');
      if (canvas && ctx && canvas.width > 0 && canvas.height > 0) {
        const pixels = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
        for (let i = 3; i < pixels.length; i += 4) if (pixels[i]! > 0) painted++;
      }
      return { id: box.dataset.chart ?? '', drawn: Number(box.dataset.drawn ?? 0), painted };
    });
  });
}
