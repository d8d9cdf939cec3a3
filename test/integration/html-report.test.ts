import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import type { RunResult } from '../../src/core/types.js';
import { formatCount, formatLatencyUs, formatRate } from '../../src/core/format.js';
import { hasLatency } from '../../src/results/facts.js';
import { chartStates, chromiumMissing, launchChromium, openReport, type PageGlobals } from '../support/browser.js';
import { hostsPipeline } from '../support/hosts-result.js';

/**
 * Reports of real runs (made by the real CLI) opened in a real browser: no console error or
 * request, every chart drawn, the key figures on the page equal to result.json, escaping, the
 * dark theme, and no horizontal scrolling on a laptop screen. Hosts (run --agents) from a
 * result made by hand: the drawing puts each group inside its host's box.
 */

const CLI = fileURLToPath(new URL('../../src/cli.js', import.meta.url));
const SCENARIOS = fileURLToPath(new URL('../../../scenarios/', import.meta.url));
const TRANSPORTS = ['inproc', 'ipc', 'tcp'] as const;

function zmqBench(...args: string[]): void {
  const r = spawnSync(process.execPath, [CLI, ...args], { env: { ...process.env, NO_COLOR: '1' }, encoding: 'utf8', timeout: 90_000 });
  assert.equal(r.status, 0, `zmq-bench ${args.join(' ')}\n${r.stdout}\n${r.stderr}`);
}

const readResult = (dir: string) => JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8')) as RunResult;

interface Figure {
  value: string;
  text: string;
}

/** The key figures of each run section, in page order: name → data-value and the text shown. */
async function keyFigures(page: Page): Promise<Array<Record<string, Figure>>> {
  return page.evaluate(() => {
    const { document } = globalThis as unknown as PageGlobals;
    return [...document.querySelectorAll('section.run')].map((section) => {
      const figures: Record<string, { value: string; text: string }> = {};
      for (const f of section.querySelectorAll('[data-figure]')) {
        figures[f.dataset.figure ?? ''] = { value: f.dataset.value ?? '', text: f.querySelector('dd')?.textContent ?? '' };
      }
      return figures;
    });
  });
}

/** The page shows exactly what result.json says, as the console formats it. */
function assertFiguresMatch(figures: Record<string, Figure>, r: RunResult): void {
  const t = r.totals;
  assert.deepEqual(figures.throughput, { value: String(t.throughput.msgsPerSec), text: `${formatRate(t.throughput.msgsPerSec)} msgs/s` });
  assert.deepEqual(figures.received, { value: String(t.received), text: formatCount(t.received) });
  assert.equal(figures.lost?.value, String(t.lost));
  assert.ok(figures.lost?.text.startsWith(formatCount(t.lost)), figures.lost?.text);
  for (const p of ['p50', 'p99'] as const) {
    if (hasLatency(t)) assert.deepEqual(figures[p], { value: String(t.latency[p]), text: formatLatencyUs(t.latency[p]) });
    else assert.deepEqual(figures[p], { value: '', text: '-' });
  }
}

async function assertCleanAndDrawn(browser: Browser, file: string, expectedCharts: number): Promise<Page> {
  const { page, problems } = await openReport(browser, file);
  const charts = await chartStates(page);
  assert.ok(charts.length >= expectedCharts, `${charts.length} charts: ${charts.map((c) => c.id).join(', ')}`);
  for (const c of charts) {
    assert.ok(c.drawn > 0, `chart ${c.id} drew no data`);
    assert.ok(c.painted > 1000, `chart ${c.id} left its canvas blank (${c.painted} pixels)`);
  }
  const width = await page.evaluate(() => (globalThis as unknown as PageGlobals).document.documentElement.scrollWidth);
  assert.ok(width <= 1366, `the page scrolls sideways on a 1366 px screen: ${width} px`);
  assert.deepEqual(problems, []);
  return page;
}

/** What the layout check reads of the page (the tests compile without the DOM lib). */
interface LayoutElement {
  className: string;
  textContent: string | null;
  scrollWidth: number;
  clientWidth: number;
  getAttribute(name: string): string | null;
  getScreenCTM(): { a: number } | null;
}
interface LayoutGlobals {
  document: { querySelectorAll(selector: string): ArrayLike<LayoutElement> & Iterable<LayoutElement> };
}

/** What the hosts check reads of the page. */
interface HostElement {
  textContent: string | null;
  getAttribute(name: string): string | null;
  querySelector(selector: string): HostElement | null;
  getBoundingClientRect(): { left: number; top: number; right: number; bottom: number };
}
interface HostGlobals {
  document: { querySelectorAll(selector: string): Iterable<HostElement> };
}

describe('HTML reports in a real browser', { skip: chromiumMissing() }, () => {
  const tmp = mkdtempSync(join(tmpdir(), 'zmq-bench-html-'));
  let browser: Browser;
  before(async () => {
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  it("a run writes report.html beside result.json, and it shows the run's own figures", async () => {
    const out = join(tmp, 'single');
    zmqBench('run', join(SCENARIOS, 'req-rep.yaml'), '--transport', 'tcp', '--duration', '500ms', '--out', out, '--quiet');
    const result = readResult(out);
    const size = statSync(join(out, 'report.html')).size;
    assert.ok(size < 2_000_000, `report.html is ${size} bytes`);
    const page = await assertCleanAndDrawn(browser, join(out, 'report.html'), 5);
    const [figures] = await keyFigures(page);
    assertFiguresMatch(figures!, result);
    assert.equal(await page.getAttribute('[data-overall-verdict]', 'data-overall-verdict'), 'pass');
    assert.equal(await page.locator('svg.topo').count(), 1);
    await page.close();
  });

  it('the slow-subscriber report shows its loss, drain and kernel queues', async () => {
    const out = join(tmp, 'slow');
    zmqBench('run', join(SCENARIOS, 'slow-subscriber.yaml'), '--duration', '1s', '--out', out, '--quiet');
    const result = readResult(out);
    assert.ok(result.totals.lost > 0, 'the slow subscriber lost messages');
    const page = await assertCleanAndDrawn(browser, join(out, 'report.html'), 7);
    const [figures] = await keyFigures(page);
    assertFiguresMatch(figures!, result);
    const ids = (await chartStates(page)).map((c) => c.id);
    assert.ok(ids.includes('run0-kernel') && ids.includes('run0-in-flight') && ids.includes('run0-loss'), ids.join(', '));
    const slow = result.groups.find((g) => g.name === 'slow')!;
    const lossTable = await page.locator('section.run table').nth(1).innerText();
    assert.match(lossTable, new RegExp(`slow\\s+${formatCount(slow.expected)}\\s+${formatCount(slow.lost)}\\s+`));
    await page.close();
  });

  it('zmq-bench report compares several results: one table with ratios, bar charts, a section per run', async () => {
    const dir = join(tmp, 'compare');
    for (const transport of TRANSPORTS) {
      zmqBench(
        'run',
        join(SCENARIOS, 'pipeline.yaml'),
        '--transport',
        transport,
        '--duration',
        '400ms',
        '--out',
        join(dir, transport),
        '--quiet',
      );
    }
    const file = join(tmp, 'comparison.html');
    zmqBench('report', dir, '-o', file);
    const page = await assertCleanAndDrawn(browser, file, 5 + 3 * 5);
    const results = TRANSPORTS.map((t) => readResult(join(dir, t)));
    const sections = await keyFigures(page);
    assert.equal(sections.length, 3);
    sections.forEach((figures, i) => assertFiguresMatch(figures, results[i]!));
    const rows = await page.locator('#comparison tbody tr').allInnerTexts();
    assert.equal(rows.length, 3);
    rows.forEach((row, i) => {
      assert.ok(row.startsWith(`pipeline · ${TRANSPORTS[i]}`), row);
      assert.ok(row.includes(formatRate(results[i]!.totals.throughput.msgsPerSec)), row);
    });
    assert.match(rows[0]!, /1\.00×/);
    await page.close();
  });

  it('a suite report on a 1366 px screen: every table fits its box, topology text at least 11 px', async () => {
    const dir = join(tmp, 'suite');
    const suite = join(tmp, 'layout-suite.yaml');
    const file = (name: string) => relative(tmp, join(SCENARIOS, name));
    writeFileSync(
      suite,
      `suite: layout
scenarios:
  - { file: ${file('pipeline.yaml')}, name: pipeline-inproc, transport: inproc }
  - { file: ${file('pipeline.yaml')}, name: pipeline-ipc, transport: ipc }
  - { file: ${file('pubsub-fanout.yaml')}, name: fanout }
  - { file: ${file('req-rep.yaml')}, name: req-rep }
`,
    );
    zmqBench('run', suite, '--duration', '300ms', '--out', dir, '--quiet');
    const page = await assertCleanAndDrawn(browser, join(dir, 'report.html'), 4 * 5);
    const layout = await page.evaluate(() => {
      const { document } = globalThis as unknown as LayoutGlobals;
      const boxes = [...document.querySelectorAll('.table-wrap, .topo-scroll')].map((b) => ({
        what: b.className,
        text: (b.textContent ?? '').slice(0, 40),
        scrollWidth: b.scrollWidth,
        clientWidth: b.clientWidth,
      }));
      // Text of the group boxes and endpoint pills, in CSS px on the screen: its font size times the drawing's scale.
      const labels = [...document.querySelectorAll('svg.topo g > text')].map((t) => ({
        text: t.textContent ?? '',
        px: Number.parseFloat(t.getAttribute('font-size') ?? '0') * (t.getScreenCTM()?.a ?? 0),
      }));
      return { runs: document.querySelectorAll('section.run svg.topo').length, boxes, labels };
    });
    assert.equal(layout.runs, 4);
    assert.ok(layout.boxes.filter((b) => b.what === 'table-wrap').length >= 4 * 3);
    const overflowing = layout.boxes.filter((b) => b.scrollWidth > b.clientWidth);
    assert.deepEqual(overflowing, [], 'a table or drawing wider than its box');
    assert.ok(layout.labels.length >= 4 * 6, `${layout.labels.length} node labels`);
    const small = layout.labels.filter((l) => l.px < 11);
    assert.deepEqual(small, [], 'node labels rendered smaller than 11 px');
    await page.close();
  });

  it('a run with hosts: a box per host around its groups, the hosts table with clock offsets, ± beside latency across hosts', async () => {
    // Made by hand (no agents): the sample pipeline with hosts a and b and a group left on the coordinator.
    const out = join(tmp, 'hosts');
    mkdirSync(out);
    writeFileSync(join(out, 'result.json'), JSON.stringify(hostsPipeline()));
    zmqBench('report', out);
    const { page, problems } = await openReport(browser, join(out, 'report.html'));
    const drawn = await page.evaluate(() => {
      const { document } = globalThis as unknown as HostGlobals;
      const rect = (g: HostElement) => g.querySelector('rect')!.getBoundingClientRect();
      const hosts = [...document.querySelectorAll('svg.topo g.topo-host')].map((g) => ({ host: g.getAttribute('data-host'), r: rect(g) }));
      const nodes = [...document.querySelectorAll('svg.topo g[data-host]:not(.topo-host)')].map((g) => ({
        host: g.getAttribute('data-host'),
        name: g.querySelector('text')?.textContent ?? '',
        r: rect(g),
      }));
      return { hosts, nodes };
    });
    assert.deepEqual(
      drawn.hosts.map((h) => h.host),
      ['a', 'b', 'coordinator'],
    );
    const groups = drawn.nodes.filter((n) => ['producers', 'workers', 'sink'].includes(n.name));
    assert.deepEqual(groups.map((n) => `${n.name}@${n.host}`).sort(), ['producers@a', 'sink@coordinator', 'workers@a', 'workers@b']);
    for (const n of drawn.nodes) {
      const box = drawn.hosts.find((h) => h.host === n.host)!.r;
      const inside = n.r.left >= box.left && n.r.right <= box.right && n.r.top >= box.top && n.r.bottom <= box.bottom;
      assert.ok(inside, `${n.name} drawn inside the box of host ${n.host}: ${JSON.stringify({ node: n.r, box })}`);
    }
    const hostsTable = await page.locator('section.hosts table').innerText();
    assert.match(
      hostsTable,
      /a\s+tcp:\/\/198\.18\.0\.2:7000\s+198\.18\.0\.2\s+rack1-node7\s+16\s+64\.0 GiB\s+4\.3\.4\s+\+0\.412 ± 0\.021 ms/,
    );
    assert.match(hostsTable, /b\s+tcp:\/\/198\.18\.0\.3:7000.*-1\.250 ± 0\.020 ms/);
    const clocks = page.locator('td.clocks').first();
    assert.equal((await clocks.innerText()).replace(/\s+/g, ' '), 'one-way ± 0.041 ms (clocks)');
    assert.match((await clocks.getAttribute('title')) ?? '', /right only within ± 0\.041 ms/);
    const wide = await page
      .locator('section.run .table-wrap')
      .evaluateAll((boxes) => boxes.filter((b) => b.scrollWidth > b.clientWidth).map((b) => (b.textContent ?? '').slice(0, 40)));
    assert.deepEqual(wide, [], 'a table wider than its box');
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('strings from the scenario show as text, in both themes', async () => {
    // Validation keeps names to [A-Za-z0-9_-], so a hostile result is made by editing a real one.
    const out = join(tmp, 'hostile');
    zmqBench('run', join(SCENARIOS, 'pipeline.yaml'), '--transport', 'inproc', '--duration', '300ms', '--out', out, '--quiet');
    const result = readResult(out);
    const hostile = '<script>alert(1)</script>';
    (result.scenario as { name: string; description: string }).name = hostile;
    (result.scenario as { name: string; description: string }).description = '<img src=x onerror="alert(2)">';
    result.groups[0]!.name = `<b onmouseover=alert(3)>${hostile}`;
    result.variant = hostile;
    writeFileSync(join(out, 'result.json'), JSON.stringify(result));
    zmqBench('report', out);

    for (const colorScheme of ['light', 'dark'] as const) {
      const { page, problems } = await openReport(browser, join(out, 'report.html'), { colorScheme });
      assert.ok((await page.locator('h1').innerText()).includes(hostile));
      assert.equal(await page.locator('img, b[onmouseover]').count(), 0);
      assert.ok((await page.locator('section.run table').first().innerText()).includes(hostile));
      const background = await page.evaluate(() => {
        const g = globalThis as unknown as PageGlobals;
        return g.getComputedStyle(g.document.documentElement).backgroundColor;
      });
      assert.equal(background, colorScheme === 'light' ? 'rgb(255, 255, 255)' : 'rgb(21, 23, 26)');
      const charts = await chartStates(page);
      assert.ok(
        charts.every((c) => c.drawn > 0 && c.painted > 1000),
        JSON.stringify(charts),
      );
      assert.deepEqual(problems, []);
      await page.close();
    }
  });
});
