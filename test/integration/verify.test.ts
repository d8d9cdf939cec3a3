import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { describeError } from '../../src/app.js';
import { ExitCode } from '../../src/core/exit-codes.js';
import { defaultRunDeps } from '../../src/run-command.js';
import { verifyCatalogue } from '../../src/verify-command.js';
import { chromiumMissing, launchChromium, openReport, type PageGlobals } from '../support/browser.js';
import { capture, readCatalogue } from '../support/verify-catalogue.js';

/**
 * `zmq-bench verify` for real: the table, catalogue files and exit codes with expectations made
 * to fail on purpose; catalogue.html in a real browser. The shipped catalogue itself is run by
 * verify-catalogue-<transport>.test.ts.
 */

const CLI = fileURLToPath(new URL('../../src/cli.js', import.meta.url));
const SCENARIOS = fileURLToPath(new URL('../../../scenarios/', import.meta.url));

function zmqBench(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { env: { ...process.env, NO_COLOR: '1' }, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A push → pull pipeline on inproc whose claim is judged by `assertions` (YAML lines). */
function claimFolder(root: string, name: string, claim: string, assertions: string): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, `${name}.yaml`),
    `name: ${name}
description: a small pipeline whose expect block is judged by the verify tests
transport: inproc
duration: 300ms
topology:
  endpoints: [tasks]
  groups:
    - name: source
      type: push
      bind: tasks
      rate: 2000
    - name: sink
      type: pull
      connect: tasks
expect:
  behaviour: B98
  claim: ${JSON.stringify(claim)}
  seed: "003"
  assertions:
${assertions}
`,
  );
  return dir;
}

describe('zmq-bench verify', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'zmq-bench-verify-'));
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('a required expectation made to fail: ✗ in the table, "holds partly", exit 99, and catalogue.json says so', () => {
    const dir = claimFolder(
      tmp,
      'made-to-fail',
      `<script>alert('claim')</script> & a claim made to fail on purpose`,
      `    - that: "groups.sink.received < 0"
      says: "made to fail: <b>nothing</b> arrives fewer than zero times"
    - that: "groups.sink.received > 0"
      says: the sink got tasks`,
    );
    const out = join(tmp, 'made-to-fail-out');
    const r = zmqBench('verify', '--dir', dir, '--out', out, '--quiet');
    assert.equal(r.status, ExitCode.thresholdFailed, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /^B98 /m);
    assert.match(r.stdout, /✗ groups\.sink\.received = [0-9,]+ \(want < 0\)/);
    assert.match(r.stdout, /✓ groups\.sink\.received = [0-9,]+ \(want > 0\)/);
    assert.match(r.stdout, /holds partly/);
    assert.match(r.stdout, /^1 claim: 1 holds partly$/m);
    assert.match(r.stdout, /catalogue written to .*catalogue\.html/);
    assert.match(r.stderr, /verify: exit code 99/);
    const file = readCatalogue(out);
    assert.equal(file.transport, null);
    assert.deepEqual(file.skipped, []);
    assert.equal(file.claims.length, 1);
    const [claim] = file.claims;
    assert.equal(claim!.verdict, 'holds partly');
    assert.equal(claim!.scenario, 'made-to-fail');
    assert.equal(claim!.transport, 'inproc');
    assert.deepEqual(
      claim!.assertions.map((a) => [a.that, a.holds, a.required]),
      [
        ['groups.sink.received < 0', false, true],
        ['groups.sink.received > 0', true, true],
      ],
    );
    assert.ok(claim!.assertions[0]!.actual! > 0);
    assert.match(readFileSync(join(out, 'catalogue.md'), 'utf8'), /\| B98 \|.*✗ `groups\.sink\.received`.*\*\*holds partly\*\*/);

    // only the failing one: "does not hold", still 99
    const none = claimFolder(
      tmp,
      'fails-alone',
      'a claim that cannot hold',
      `    - that: "groups.sink.received < 0"\n      says: made to fail`,
    );
    const alone = zmqBench('verify', '--dir', none, '--out', join(tmp, 'fails-alone-out'), '--quiet');
    assert.equal(alone.status, ExitCode.thresholdFailed, alone.stdout);
    assert.match(alone.stdout, /✗ groups\.sink\.received .*does not hold/);
  });

  it('an expectation with required: false that fails: "holds partly" and exit 0', async () => {
    const dir = claimFolder(
      tmp,
      'not-required',
      'the sink loses nothing, and (not required) more than a million tasks were lost',
      `    - that: "groups.sink.lost > 1000000"
      says: not required and made to fail
      required: false
    - that: "groups.sink.lost == 0"
      says: nothing lost`,
    );
    const out = join(tmp, 'not-required-out');
    const io = capture();
    const code = await verifyCatalogue({ dir, quiet: true, out }, io, defaultRunDeps.runScenario);
    const text = io.stdout.join('\n');
    assert.equal(code, ExitCode.ok, text);
    assert.match(text, /✗ groups\.sink\.lost = 0 \(want > 1000000; not\s/);
    assert.match(text, /holds partly/);
    assert.equal(readCatalogue(out).claims[0]!.verdict, 'holds partly');
  });

  it('--only with an unknown id is invalid input (exit 104), before anything runs; --transport skips claims not made for it', async () => {
    const dir = join(tmp, 'made-to-fail');
    const io = capture();
    const out = join(tmp, 'unknown-out');
    const error = await verifyCatalogue({ dir, only: ['B99'], quiet: true, out }, io, defaultRunDeps.runScenario).then(
      () => assert.fail('verify --only B99 should have failed'),
      (e: unknown) => e,
    );
    const { lines, exitCode } = describeError(error);
    assert.equal(exitCode, ExitCode.invalidInput);
    assert.match(lines.join('\n'), /--only B99: no scenario in .* states behaviour B99 \(there are B98\)/);
    assert.ok(!existsSync(out), 'nothing ran and nothing was written');
    const cli = zmqBench('verify', '--dir', dir, '--only', 'b99', '--quiet', '--out', out);
    assert.equal(cli.status, ExitCode.invalidInput, cli.stderr);
    assert.match(cli.stderr, /--only B99: no scenario/);

    // a claim made for tcp only, asked on inproc: listed as skipped, not a failure
    const tcpOnly = join(tmp, 'tcp-only');
    mkdirSync(tcpOnly);
    const yaml = readFileSync(join(dir, 'made-to-fail.yaml'), 'utf8')
      .replace('  seed: "003"\n', '  seed: "003"\n  transports: [tcp]\n')
      .replace('name: made-to-fail', 'name: tcp-only');
    writeFileSync(join(tcpOnly, 'tcp-only.yaml'), yaml);
    const skipIo = capture();
    const skipOut = join(tmp, 'tcp-only-out');
    const code = await verifyCatalogue(
      { dir: tcpOnly, transport: 'inproc', quiet: true, out: skipOut },
      skipIo,
      defaultRunDeps.runScenario,
    );
    assert.equal(code, ExitCode.ok, skipIo.stdout.join('\n'));
    assert.match(skipIo.stdout.join('\n'), /skipped on inproc, where it is not claimed: B98 \(tcp only\)/);
    const file = readCatalogue(skipOut);
    assert.deepEqual(file.claims, []);
    assert.deepEqual(
      file.skipped.map((s) => [s.behaviour, s.scenario, s.transports]),
      [['B98', 'tcp-only', ['tcp']]],
    );
    assert.match(readFileSync(join(skipOut, 'catalogue.html'), 'utf8'), /data-skipped="B98"/);
  });

  describe('catalogue.html in a real browser', { skip: chromiumMissing() }, () => {
    let browser: Browser;
    before(async () => {
      browser = await launchChromium();
    });
    after(async () => {
      await browser?.close();
    });

    /** Per card: its claim, verdict, link, and the key chart's series with their point counts. */
    interface Card {
      claim: string;
      verdict: string;
      report: string | null;
      lines: Array<{ series: string; points: number; drawn: number }>;
      width: number;
    }
    async function cards(
      file: string,
      colorScheme: 'light' | 'dark' = 'light',
    ): Promise<{ cards: Card[]; problems: string[]; scroll: number; background: string }> {
      const { page, problems } = await openReport(browser, file, { colorScheme });
      const found = await page.evaluate(() => {
        const { document } = globalThis as unknown as PageGlobals;
        return [...document.querySelectorAll('section.claim')].map((s) => {
          const svg = s.querySelector('svg.key') as unknown as { getBoundingClientRect(): { width: number } } | null;
          return {
            claim: s.dataset.claim ?? '',
            verdict: s.dataset.verdict ?? '',
            report:
              (s.querySelector('a[href$="report.html"]') as unknown as { getAttribute(n: string): string | null } | null)?.getAttribute(
                'href',
              ) ?? null,
            lines: [...s.querySelectorAll('polyline.key-line')].map((l) => {
              const poly = l as unknown as { dataset: Record<string, string | undefined>; getAttribute(n: string): string | null };
              return {
                series: poly.dataset.series ?? '',
                points: Number(poly.dataset.points ?? 0),
                drawn: (poly.getAttribute('points') ?? '')
                  .trim()
                  .split(/\s+/)
                  .filter((p) => p !== '').length,
              };
            }),
            width: svg?.getBoundingClientRect().width ?? 0,
          };
        });
      });
      const scroll = await page.evaluate(() => (globalThis as unknown as PageGlobals).document.documentElement.scrollWidth);
      const background = await page.evaluate(() => {
        const g = globalThis as unknown as PageGlobals;
        return g.getComputedStyle(g.document.documentElement).backgroundColor;
      });
      await page.close();
      return { cards: found, problems, scroll, background };
    }

    it('the catalogue of a failing claim with hostile text: clean, one card, its chart, the link to its report', async () => {
      const out = join(tmp, 'made-to-fail-out');
      assert.ok(existsSync(join(out, 'catalogue.html')), 'the made-to-fail test wrote no catalogue.html');
      const page = await cards(join(out, 'catalogue.html'));
      assert.deepEqual(page.problems, [], 'no console message, request or dialog (alert() from the claim text)');
      assert.equal(page.cards.length, 1);
      const [card] = page.cards;
      assert.equal(card!.claim, 'B98');
      assert.equal(card!.verdict, 'holds partly');
      assert.equal(card!.report, 'B98-made-to-fail/report.html');
      assert.ok(existsSync(join(out, card!.report)));
      assert.deepEqual(
        card!.lines.map((l) => l.series),
        ['received'],
      );
      assert.ok(card!.lines[0]!.points > 1 && card!.lines[0]!.drawn === card!.lines[0]!.points, JSON.stringify(card));
      assert.ok(card!.width > 100, `the chart is ${card!.width} px wide`);
    });

    it('a short-form catalogue on tcp: a card per claim, each with a chart drawn from its run, in both themes', async () => {
      // three shipped claims of different kinds (request-reply, a feed, a pipeline burst)
      const out = join(tmp, 'tcp-cards');
      const code = await verifyCatalogue(
        { dir: SCENARIOS, transport: 'tcp', only: ['B3', 'B6', 'B14'], durationMs: 300, quiet: true, out },
        capture(),
        defaultRunDeps.runScenario,
      );
      assert.ok(code === ExitCode.ok || code === ExitCode.thresholdFailed, `exit ${code}`);
      const file = readCatalogue(out);
      assert.ok(file.claims.length >= 3, `${file.claims.length} claims`);
      const light = await cards(join(out, 'catalogue.html'));
      assert.deepEqual(light.problems, []);
      assert.deepEqual(light.cards.map((c) => c.claim).sort(), file.claims.map((e) => e.behaviour).sort());
      for (const c of light.cards) {
        assert.ok(c.lines.length > 0, `${c.claim}: no chart`);
        // a burst (B14) may end within the first interval: one point, drawn as a dot
        for (const l of c.lines) assert.ok(l.points >= 1 && l.drawn === l.points, `${c.claim}: ${JSON.stringify(l)}`);
        assert.ok(c.report !== null && existsSync(join(out, c.report)), `${c.claim}: report link ${String(c.report)}`);
      }
      assert.ok(light.scroll <= 1366, `the page scrolls sideways: ${light.scroll} px`);
      const dark = await cards(join(out, 'catalogue.html'), 'dark');
      assert.deepEqual(dark.problems, []);
      assert.notEqual(dark.background, light.background, 'the dark theme changes the background');
    });
  });
});
