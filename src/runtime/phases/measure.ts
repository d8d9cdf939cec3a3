import type { LiveFigures } from '../../collect/live-figures.js';
import { monotonicClock, sleep } from '../../core/clock.js';
import { formatDurationMs } from '../../core/units.js';
import { usesTransport } from '../../scenario/transports.js';
import { KernelQueueSampler } from '../../transport/kernel-queues.js';
import { faultActions } from '../fault-actions.js';
import { NetworkFaultScheduler } from '../network-faults.js';
import { FaultScheduler } from '../faults.js';
import type { RunSession } from '../run-session.js';
import { RunSampler } from '../sampler.js';
import { readWireBytes } from '../wire-bytes.js';

/** a 1-hour run at 100 ms is 36,000 intervals: merged pairwise down to at most this many points */
const MAX_TIMESERIES_POINTS = 2000;
const PLAN_MARGIN_MS = 10_000;

/** The senders start, and sampling with them (after the barrier, or before the connects without one). */
export async function startSending(session: RunSession): Promise<void> {
  const { scenario, options, record } = session;
  session.sampler = new RunSampler({
    plan: session.plan,
    intervalMs: scenario.sampleIntervalMs,
    maxPoints: MAX_TIMESERIES_POINTS,
    // The stop and the last samples take a little longer than the drain: a margin, so that a
    // run that keeps to its plan never merges points (their percentiles would become bounds).
    plannedMs: scenario.warmupMs + scenario.durationMs + scenario.drainMs + PLAN_MARGIN_MS,
    sampleAll: () => session.callAll({ kind: 'sample' }),
    kernel: usesTransport(scenario, 'tcp') ? new KernelQueueSampler(record.endpoints) : null,
    onProgress: options.onProgress,
    ...(options.judgeLive || options.onEvent
      ? { live: { groups: scenario.groups, onSample: (f: LiveFigures) => judgeLive(session, f) } }
      : {}),
    onSample: (sample) => session.emit({ type: 'sample', sample }),
    onTimeline: (entry) => session.emit({ type: 'timeline', entry }),
  });
  record.startNs = monotonicClock.nowNs();
  await session.callAll({ kind: 'start' });
  session.sampler.start(scenario.warmupMs);
  record.sendersStarted = true;
}

/** abortOnFail: the first failing live threshold of the measured phase stops the sending. */
function judgeLive(session: RunSession, figures: LiveFigures): void {
  session.emit({ type: 'figures', figures });
  if (session.record.abortedBy !== undefined || session.signal.aborted || figures.measuredMs > session.scenario.durationMs) return;
  const why = session.options.judgeLive?.(figures) ?? null;
  if (why === null) return;
  session.record.abortedBy = why;
  session.log(`stopping early: ${why}`);
  session.stop.finishSending();
}

/**
 * Warm-up, then the measured phase with its fault events, for the scenario's duration or until
 * the run stops early; at its end, while every connection is still up, what crossed the wire.
 */
export async function measure(session: RunSession): Promise<void> {
  const { scenario, record, signal } = session;
  if (signal.aborted) return;
  if (!record.sendersStarted) await startSending(session);
  if (scenario.warmupMs > 0) {
    session.log(`warm-up ${formatDurationMs(scenario.warmupMs)}`);
    await sleep(scenario.warmupMs, { signal });
    await session.callAll({ kind: 'measure' });
  }
  session.sampler?.measuringFrom();
  record.measureStartMs = session.since();
  if (scenario.events.length > 0) {
    session.faults = new FaultScheduler(scenario.events, session.plan, {
      ...faultActions(session),
      recorded: (entry) => session.emit({ type: 'timeline', entry }),
    });
    session.faults.start();
  }
  if (scenario.networkFaults.length > 0) {
    session.networkFaults = new NetworkFaultScheduler({
      scenario,
      plan: session.plan,
      boundAt: record.boundAt,
      now: () => session.sinceMeasureStart(),
      agents: session.agents,
      recorded: (entry) => session.emit({ type: 'timeline', entry }),
    });
    session.networkFaults.start();
  }
  session.log(`measuring for ${formatDurationMs(scenario.durationMs)}`);
  await sleep(scenario.durationMs, { signal });
  record.measureEndMs = session.since();
  // while every connection is still up: what crossed the wire (B8)
  if (usesTransport(scenario, 'tcp')) record.wire = await readWireBytes(record.endpoints);
}
