import { sleepUnless } from '../../core/clock.js';
import { problemOf } from '../early-stop.js';
import { CONTROL_TIMEOUT_MS, type RunSession } from '../run-session.js';
import { callWithin } from '../worker-handle.js';

/** Sampling ends with a last sample after the drain: the time series is complete. */
export async function stopSampling(session: RunSession): Promise<void> {
  try {
    session.record.timeseries = await session.sampler?.stop();
  } catch (e) {
    session.fail(problemOf(e, 'time series: '));
  }
}

/**
 * Finish: every worker closes its sockets and reports what its roles measured, then the
 * workers end. Each worker on its own: one that does not answer must not cost the others'
 * reports. Always the last phase: it frees the run's addresses.
 */
export async function finish(session: RunSession): Promise<void> {
  try {
    const finishing = session.live();
    const finished = await Promise.allSettled(finishing.map((h) => callWithin(h, { kind: 'finish' }, CONTROL_TIMEOUT_MS)));
    let threadsFinished = true;
    finished.forEach((f, i) => {
      const h = finishing[i]!;
      if (f.status === 'fulfilled') {
        if (f.value.kind === 'results') session.record.reports.push(...f.value.reports);
        return;
      }
      session.fail(problemOf(f.reason, `worker ${h.slot} did not finish: `));
      // A process can be ended safely; a thread with live sockets cannot (trap 7).
      if (h.kill) h.kill();
      else threadsFinished = false;
    });
    await sleepUnless(
      CONTROL_TIMEOUT_MS,
      Promise.allSettled(session.handles.map((h) => h.done)).then(() => undefined),
    );
    // Every socket is closed now, so the threads can go (trap 7).
    if (threadsFinished) await session.destroyPool();
    else session.fail('a worker thread could not be stopped cleanly; its sockets are still open');
  } catch (e) {
    session.fail(problemOf(e, 'workers did not finish: '));
  } finally {
    session.dispose();
  }
}
