import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import type { Output } from '../../src/app.js';
import { isBenchError } from '../../src/core/errors.js';
import type { RunResult } from '../../src/core/types.js';
import { runFiles } from '../../src/run-command.js';
import { chartStates, chromiumMissing, launchChromium, openReport, type PageGlobals } from '../support/browser.js';

/**
 * Rate discovery (run --find-max-rate) with real sockets, steps of 800 ms: a receiver made slow
 * on purpose (10 ms of processing per message, so it takes 100 msgs/s at the very most) is found
 * within a tolerance of that limit (a long delay and steps of about 60 messages or more keep
 * the answer steady on a busy machine, where timers fire late and the process stalls); a search whose lowest rate already fails; bad input refused
 * before anything runs; the report's charts drawn in a real browser.
 */

const tmp = mkdtempSync(join(tmpdir(), 'zmq-bench-search-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** The receiver's limit: one message per `delay`. */
const DELAY_MS = 10;
const LIMIT = 1000 / DELAY_MS;

function slowSink(name: string, search: string, rate: number, delay = `${DELAY_MS}ms`, duration = '800ms'): string {
  const file = join(tmp, `${name}.yaml`);
  writeFileSync(
    file,
    `name: ${name}
transport: inproc
duration: ${duration}
drain: 300ms
topology:
  endpoints: [work]
  groups:
    - { name: producer, type: push, bind: work, rate: ${rate} }
    - { name: sink, type: pull, connect: work, delay: ${delay} }
search: ${search}
`,
  );
  return file;
}

function collect(): { io: Output; out: string[] } {
  const out: string[] = [];
  return { io: { out: (t) => out.push(t), err: (t) => out.push(t) }, out };
}

const readResult = (dir: string) => JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8')) as RunResult;

describe('run --find-max-rate with real sockets', () => {
  const converged = join(tmp, 'converged');

  it(`finds the limit of a receiver that takes ${LIMIT} msgs/s at most, within a tolerance`, async () => {
    // 70% of the limit holds and 105% fails (the receiver's timers make it a little slower than
    // the limit); then 87.5% is within 25% of either: three steps, whichever way it goes
    const file = slowSink('slow-sink', '{ factor: 1.5, precision: 25% }', LIMIT * 0.7);
    const { io, out } = collect();
    const code = await runFiles([file], { out: converged, quiet: true, findMaxRate: true }, io);
    const r = readResult(converged);
    const s = r.search!;
    const lines = out.join('\n');
    assert.equal(code, 0, lines);
    assert.equal(s.stoppedBy, 'precision', lines);
    // never above what the receiver can take (the shortfall allows 5%), and not far below it
    assert.ok(s.maxRate! <= LIMIT * 1.07 && s.maxRate! >= LIMIT * 0.7, `max rate ${s.maxRate} for a limit of ${LIMIT}\n${lines}`);
    assert.ok(s.failedRate! > s.maxRate! && (s.failedRate! - s.maxRate!) / s.maxRate! <= 0.25, `${s.maxRate}..${s.failedRate}`);
    assert.deepEqual(
      s.steps.slice(0, 2).map((st) => st.rate),
      [LIMIT * 0.7, LIMIT * 1.05],
    );
    assert.equal(s.steps[0]!.passed, true);
    // the figures of result.json are those of the step at the answer, and the scenario as run has its rate
    assert.equal(s.steps[s.resultStep]!.rate, s.maxRate);
    const asRun = r.scenario as { topology: { groups: Array<{ rate: number }> }; search: Record<string, unknown> };
    assert.equal(asRun.topology.groups[0]!.rate, s.maxRate);
    // and the search as it ran, with what the file left to the defaults written out
    assert.deepEqual([asRun.search['start'], asRun.search['duration'], asRun.search['groups']], [LIMIT * 0.7, '800ms', ['producer']]);
    assert.equal(s.steps.filter((st) => st.valid).length, s.steps.length);
    // the console: a line per step as it finished, then the answer
    assert.equal(out.filter((l) => /^step \d+\/20: /.test(l)).length, s.steps.length);
    assert.match(lines, /max rate: [\d.]+ msgs\/s held; [\d.]+ msgs\/s failed \(within 25\.0%\)/);
  });

  it('exits 99 when even the lowest rate fails, with that step written', async () => {
    // 50 ms per message: 20 msgs/s at most, offered 60
    const file = slowSink('too-slow', '{ maxSteps: 3 }', 60, '50ms', '300ms');
    const out = join(tmp, 'too-slow-out');
    const code = await runFiles([file], { out, quiet: true, findMaxRate: true }, collect().io);
    const s = readResult(out).search!;
    assert.equal(code, 99);
    assert.equal(s.maxRate, null);
    assert.equal(s.stoppedBy, 'lowest-failed');
    assert.equal(s.steps.length, 1);
    assert.ok(s.steps[0]!.throughput < 30 && /throughput avg = /.test(s.steps[0]!.reasons.join()), JSON.stringify(s.steps[0]));
  });

  it('refuses a scenario it cannot search before anything runs (exit 104)', async () => {
    const file = join(tmp, 'max.yaml');
    writeFileSync(
      file,
      readFileSync(slowSink('max', '{}', 100), 'utf8')
        .replace('rate: 100', 'rate: max')
        .replace('search: {}\n', ''),
    );
    try {
      await runFiles([file], { out: join(tmp, 'never'), quiet: true, findMaxRate: true }, collect().io);
      assert.fail('the search ran');
    } catch (e) {
      assert.ok(isBenchError(e) && e.exitCode === 104);
      assert.deepEqual(e.problems, [
        `${file}: topology.groups[0].rate: --find-max-rate offers rates in the ratio of the searched senders' own, so each needs a constant rate such as 1000 (or list the groups to search in search.groups), got "max"`,
      ]);
    }
  });

  describe('the report', { skip: chromiumMissing() }, () => {
    let browser: Browser;
    after(async () => browser?.close());

    it('plots offered against achieved, p99 and loss, and lists every step', async () => {
      browser = await launchChromium();
      const s = readResult(converged).search!;
      const { page, problems } = await openReport(browser, join(converged, 'report.html'));
      const charts = (await chartStates(page)).filter((c) => c.id.includes('-search-'));
      assert.deepEqual(
        charts.map((c) => c.id),
        ['run0-search-throughput', 'run0-search-p99', 'run0-search-loss'],
      );
      // achieved and the offered diagonal; p99; loss: one point per step each
      assert.deepEqual(
        charts.map((c) => c.drawn),
        [2 * s.steps.length, s.steps.length, s.steps.length],
      );
      for (const c of charts) assert.ok(c.painted > 1000, `${c.id} left its canvas blank`);
      const table = await page.evaluate(() => {
        const { document } = globalThis as unknown as PageGlobals;
        const section = [...document.querySelectorAll('section.search')][0];
        return { maxRate: section?.dataset.maxRate, rows: [...(section?.querySelectorAll('tbody tr') ?? [])].length };
      });
      assert.deepEqual(table, { maxRate: String(s.maxRate), rows: s.steps.length });
      assert.deepEqual(problems, []);
    });
  });
});
