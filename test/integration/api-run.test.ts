import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseScenario, run, type RunEvent } from '../../src/index.js';

/**
 * The library's run() on real sockets (inproc, so quick): its events in order with a threshold
 * breached live and at the end, the result as result.json has it, files only when asked, and an
 * abort through an AbortSignal that resolves with what was measured.
 */

const pushPull = (duration: string, thresholds: Record<string, string[]> = {}) =>
  parseScenario({
    name: 'api-run',
    transport: 'inproc',
    duration,
    drain: '200ms',
    thresholds,
    topology: {
      endpoints: ['work'],
      groups: [
        { name: 'source', type: 'push', bind: 'work', rate: 2000 },
        { name: 'sink', type: 'pull', connect: 'work' },
      ],
    },
  });

test('run() tells its phases, samples and figures in order, a breached threshold live and at the end, and resolves with the judged result', async () => {
  // 2,000 msgs/s can never be 1M/s: failing from the first sample; nothing is lost, so that one holds
  const s = pushPull('500ms', { throughput: ['avg > 1000000'], lost: ['count == 0'] });
  const events: RunEvent[] = [];
  const logged: string[] = [];
  const out = mkdtempSync(join(tmpdir(), 'zmq-bench-api-run-'));
  try {
    const r = await run(s, { onEvent: (e) => events.push(e), outDir: join(out, 'results'), log: (line) => logged.push(line) });

    const phases = events.flatMap((e) => (e.type === 'phase' ? [e.phase] : []));
    assert.deepEqual(phases, ['set-up', 'barrier', 'measure', 'stop', 'drain', 'finish']);
    const at = (phase: string) => events.findIndex((e) => e.type === 'phase' && e.phase === phase);
    const samples = events.flatMap((e, i) => (e.type === 'sample' ? [i] : []));
    assert.ok(samples.length >= 3 && samples[0]! > at('barrier'), `${samples.length} samples`);
    const figures = events.flatMap((e) => (e.type === 'figures' ? [e.figures] : []));
    assert.ok(figures.length >= 2, `${figures.length} figures`);

    const breaches = events.flatMap((e, i) => (e.type === 'breach' ? [{ ...e, i }] : []));
    assert.deepEqual(
      breaches.map((b) => [b.threshold.metric, b.final]),
      [
        ['throughput', false],
        ['throughput', true],
      ],
      'the failing threshold, once live and once at the end; the one that holds never',
    );
    const [live, final] = breaches as [(typeof breaches)[0], (typeof breaches)[0]];
    assert.ok(live.i > at('measure') && live.i < at('stop'), 'told while measuring');
    assert.ok(live.threshold.actual !== null && live.threshold.actual < 1_000_000 && !live.threshold.passed);
    assert.equal(final.i, events.length - 1, 'the final breach is the last event, after finish');
    assert.deepEqual(final.threshold, r.thresholds?.[0]);

    assert.equal(r.complete, true);
    assert.equal(r.variant, 'api-run');
    assert.ok(r.totals.received > 0 && r.totals.lost === 0, `received ${r.totals.received}, lost ${r.totals.lost}`);
    assert.deepEqual(
      r.thresholds?.map((t) => t.passed),
      [false, true],
    );
    assert.deepEqual(JSON.parse(readFileSync(join(out, 'results', 'result.json'), 'utf8')), JSON.parse(JSON.stringify(r)));
    assert.ok(existsSync(join(out, 'results', 'report.html')));
    assert.equal(logged[0], 'running api-run (inproc, 500ms)');
    assert.ok(logged.includes('measuring for 500ms'), logged.join('\n'));
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('run() aborted through its signal stops and resolves with what was measured (complete: false)', async () => {
  const s = pushPull('20s');
  const controller = new AbortController();
  let abortedAt = 0;
  const started = performance.now();
  const r = await run(s, {
    signal: controller.signal,
    onEvent: (e) => {
      // a few samples into the measured phase
      if (e.type === 'figures' && e.figures.measuredMs >= 200 && abortedAt === 0) {
        abortedAt = performance.now();
        controller.abort();
      }
    },
  });
  assert.ok(abortedAt > 0, 'the run got going');
  assert.ok(performance.now() - abortedAt < 5000, `stopped ${Math.round(performance.now() - abortedAt)} ms after the abort`);
  assert.equal(r.complete, false);
  assert.ok(r.timing.measuredMs < 5000 && r.totals.received > 0, `measured ${r.timing.measuredMs} ms, received ${r.totals.received}`);
  assert.ok(performance.now() - started < 15_000);
});
