import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runScenario } from '../../src/runtime/run.js';
import type { RunEvent } from '../../src/runtime/run-events.js';
import { group } from '../support/run-shipped.js';
import { scenarioOf } from '../support/validation.js';

/**
 * The run's live events (RunOptions.onEvent), the seam the metrics, the live page and the
 * library API read: phases in order, a sample per interval, the measured figures growing to
 * what the result says, and faults and socket events as they happen.
 */

test('a run tells its listener its phases, samples, figures, faults and socket events as they happen', async () => {
  const s = scenarioOf({
    name: 'run-events',
    transport: 'tcp',
    duration: '800ms',
    drain: '300ms',
    topology: {
      endpoints: ['work'],
      groups: [
        { name: 'source', type: 'push', bind: 'work', rate: 2000 },
        { name: 'sink', type: 'pull', connect: 'work' },
      ],
    },
    events: [{ at: '300ms', kill: 'sink' }],
  });
  const events: RunEvent[] = [];
  const r = await runScenario(s, {
    onEvent: (e) => {
      events.push(e);
      if (events.length === 3) throw new Error('a listener that throws does not stop the run');
    },
  });
  assert.deepEqual(
    events.filter((e) => e.type === 'phase').map((e) => e.phase),
    ['set-up', 'barrier', 'measure', 'stop', 'drain', 'finish'],
  );
  const samples = events.flatMap((e) => (e.type === 'sample' ? [e.sample] : []));
  assert.ok(samples.length >= 8, `${samples.length} samples`);
  const sampledSent = samples.reduce((n, x) => n + (x.groups.source?.sent ?? 0), 0);
  assert.ok(sampledSent > 0 && sampledSent <= group(r, 'source').sent + 2000, `sampled ${sampledSent}`);
  const figures = events.flatMap((e) => (e.type === 'figures' ? [e.figures] : []));
  assert.ok(figures.length >= 5, `${figures.length} figures`);
  const sent = figures.map((f) => f.groups.find((g) => g.name === 'source')!.sent);
  assert.deepEqual(
    sent,
    [...sent].sort((a, b) => a - b),
    'the figures only grow',
  );
  assert.ok(sent.at(-1)! > 0 && sent.at(-1)! <= group(r, 'source').sent);
  const timeline = events.flatMap((e) => (e.type === 'timeline' ? [e.entry] : []));
  const kill = timeline.find((e) => e.kind === 'fault');
  assert.ok(kill?.kind === 'fault' && kill.action === 'kill' && kill.target === 'sink');
  assert.ok(
    timeline.some((e) => e.kind === 'socket' && e.event === 'accept'),
    'the tcp accept was told',
  );
  // the result's timeline is what was told, in time order
  assert.deepEqual(
    [...timeline].sort((a, b) => a.tMs - b.tMs),
    r.timeline,
  );
});
