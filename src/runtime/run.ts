import { invalidInput, messageOf } from '../core/errors.js';
import { netFaultsSkipReason } from '../transport/net-faults.js';
import type { RunResult } from '../core/types.js';
import type { Scenario } from '../scenario/schema.js';
import { passBarrier } from './phases/barrier.js';
import { drain } from './phases/drain.js';
import { finish, stopSampling } from './phases/finish.js';
import { measure } from './phases/measure.js';
import { setUp } from './phases/set-up.js';
import { stopSenders } from './phases/stop.js';
import { closeAgents, openAgents, type RunAgents } from './remote/open-agents.js';
import { runResult } from './run-result.js';
import { RunSession, type RunOptions } from './run-session.js';

export type { RunOptions } from './run-session.js';

/**
 * Runs one scenario: plan → spawn workers → bind → connect → barrier → warm-up → measure →
 * stop senders → tell receivers the last sequence numbers → drain → finish → aggregate.
 * With `start: connect-first` the connecting sockets connect first, to addresses fixed up
 * front, and the binders bind a moment later (B2); the barrier and the rest are the same.
 * A failing role, a timed-out phase or an abort ends the run early with `complete: false`
 * and the reason in `problems`; it never throws for those. The state of the run is its
 * session (run-session.ts); each phase is a function of it (phases/).
 */
export async function runScenario(scenario: Scenario, options: RunOptions = {}): Promise<RunResult> {
  // with agents, a fault on their hosts is theirs to make (and one that cannot act is recorded with its reason)
  const cannot = scenario.networkFaults.length > 0 && options.agents === undefined ? netFaultsSkipReason() : null;
  if (cannot !== null) throw invalidInput([`scenario ${JSON.stringify(scenario.name)}: its network faults cannot act here: ${cannot}`]);
  const agents = await openAgents(scenario, options.agents, options.log ?? (() => {}));
  try {
    return await runWith(scenario, options, agents);
  } finally {
    await closeAgents(agents);
  }
}

async function runWith(scenario: Scenario, options: RunOptions, agents: RunAgents): Promise<RunResult> {
  const session = new RunSession(scenario, options, agents.links);
  session.localAddress = agents.localAddress;
  try {
    session.enter('set-up');
    await setUp(session);
    session.enter('barrier');
    await passBarrier(session);
    session.enter('measure');
    await measure(session);
  } catch (e) {
    session.fail(messageOf(e));
  } finally {
    session.handshakes.close();
  }
  // Once sending has started, the senders are stopped and the receivers drained, whatever ended the measurement.
  try {
    if (session.record.sendersStarted) {
      session.enter('stop');
      await stopSenders(session);
      session.enter('drain');
      await drain(session);
    }
  } catch (e) {
    session.fail(messageOf(e));
  }
  await stopSampling(session);
  session.enter('finish');
  await finish(session);
  return runResult(session);
}
