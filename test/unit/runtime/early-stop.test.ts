import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sleep } from '../../../src/core/clock.js';
import { EarlyStop, problemOf } from '../../../src/runtime/early-stop.js';
import { WorkerEnded } from '../../../src/runtime/worker-handle.js';

describe('EarlyStop: everything that ends a run early, as one signal', () => {
  it('a failure aborts the signal and keeps its problem, each line once', () => {
    const stop = new EarlyStop();
    assert.equal(stop.signal.aborted, false);
    stop.fail('worker 2 ended: exit code 1');
    stop.fail('role 3: bind failed');
    stop.fail('worker 2 ended: exit code 1');
    assert.equal(stop.signal.aborted, true);
    assert.deepEqual(stop.problems, ['worker 2 ended: exit code 1', 'role 3: bind failed']);
  });

  it('finishing the sending early aborts with no problem', () => {
    const stop = new EarlyStop();
    stop.finishSending();
    assert.equal(stop.signal.aborted, true);
    assert.deepEqual(stop.problems, []);
  });

  it('the interrupt aborts it, also when it came before the run', () => {
    const interrupt = new AbortController();
    const stop = new EarlyStop(interrupt.signal);
    assert.equal(stop.signal.aborted, false);
    interrupt.abort();
    assert.equal(stop.signal.aborted, true);
    assert.deepEqual(stop.problems, []);
    assert.equal(new EarlyStop(interrupt.signal).signal.aborted, true);
  });

  it('once disposed it no longer listens to the interrupt (one interrupt serves every run of a suite)', () => {
    const interrupt = new AbortController();
    const first = new EarlyStop(interrupt.signal);
    first.dispose();
    const second = new EarlyStop(interrupt.signal);
    interrupt.abort();
    assert.equal(first.signal.aborted, false);
    assert.equal(second.signal.aborted, true);
  });

  it('a worker that ended speaks in its own words; anything else gets its context', () => {
    assert.equal(
      problemOf(new WorkerEnded('worker 1 ended (exit code 1): pull workers[0]'), 'time series: '),
      'worker 1 ended (exit code 1): pull workers[0]',
    );
    assert.equal(
      problemOf(new Error('did not answer "finish" within 15s'), 'worker 1 did not finish: '),
      'worker 1 did not finish: did not answer "finish" within 15s',
    );
  });
});

describe('sleep with a signal', () => {
  it('sleeps the whole time when nothing aborts', async () => {
    const t0 = performance.now();
    await sleep(40, { signal: new AbortController().signal });
    assert.ok(performance.now() - t0 >= 38);
  });

  it('wakes (without an error) when the signal aborts', async () => {
    const controller = new AbortController();
    const t0 = performance.now();
    setTimeout(() => controller.abort(), 20);
    await sleep(5_000, { signal: controller.signal });
    assert.ok(performance.now() - t0 < 1_000);
  });

  it('does not sleep at all when the signal has aborted already', async () => {
    const controller = new AbortController();
    controller.abort();
    const t0 = performance.now();
    await sleep(5_000, { signal: controller.signal });
    assert.ok(performance.now() - t0 < 1_000);
  });
});
