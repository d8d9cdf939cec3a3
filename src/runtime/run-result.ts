import { aggregate } from '../collect/aggregate.js';
import { settleLossSeries } from '../collect/loss-series.js';
import { TOOL_VERSION } from '../core/tool-version.js';
import { INTERRUPTED_PROBLEM, RESULT_SCHEMA_VERSION, type GroupResult, type RunResult } from '../core/types.js';
import { formatLatencyUs } from '../core/format.js';
import { scenarioAsRun } from '../scenario/as-run.js';
import { endpointTransportsOf, runTransport } from '../scenario/transports.js';
import { describeEnvironment } from './environment.js';
import { withNetworkFaultFigures } from './network-fault-figures.js';
import { hostResults, withHosts, workersWithHosts } from './remote/host-results.js';
import type { RunSession } from './run-session.js';

/**
 * The result of a run, from what its session recorded: the roles' reports aggregated per group
 * and in total, the problems (the interrupt first), and the run's timing, series and timeline.
 */
export function runResult(session: RunSession): RunResult {
  const { scenario, plan, record, stop } = session;
  const problems = [...stop.problems];
  if (session.interrupted) problems.unshift(INTERRUPTED_PROBLEM);
  const measuredMs = Math.max(0, record.measureEndMs - record.measureStartMs);
  const { groups, totals } = aggregate({
    groups: scenario.groups,
    plan,
    reports: record.reports,
    lastSeqs: record.lastSeqs,
    measuredMs,
    startNs: record.startNs,
  });
  const receivesAnything = Object.values(plan.terminal).some(Boolean);
  if (problems.length === 0 && receivesAnything && totals.received === 0) problems.push('no samples: no message reached a receiver');
  problems.push(...sendLagProblems(groups, scenario.maxSendLagMs));
  // The loss column holds the change of open gaps until the run's loss is known.
  const series = record.timeseries ? workersWithHosts(settleLossSeries(record.timeseries, groups), plan) : undefined;
  const timeline = withNetworkFaultFigures(session.timeline(), scenario, series);
  const environment = describeEnvironment(scenario.groups.some((g) => g.engine === 'native'));
  const hosts = hostResults(scenario, session.agents, { environment, address: session.localAddress ?? '127.0.0.1' });
  return {
    schemaVersion: RESULT_SCHEMA_VERSION,
    tool: { name: 'zmq-bench', version: TOOL_VERSION },
    complete: !session.interrupted && stop.problems.length === 0 && record.reports.length === plan.roles.length,
    problems,
    scenario: scenarioAsRun(scenario),
    transport: runTransport(scenario),
    endpoints: record.endpoints,
    endpointTransports: endpointTransportsOf(scenario),
    environment,
    timing: {
      startedAt: session.startedAt.toISOString(),
      measureStartMs: record.measureStartMs,
      measureEndMs: record.measureEndMs,
      measuredMs,
      warmupMs: scenario.warmupMs,
      drainedMs: record.drainedMs,
      totalMs: session.since(),
    },
    totals,
    groups: withHosts(groups, scenario, plan, hosts),
    ...(hosts.length > 0 ? { hosts } : {}),
    ...(series ? { timeseries: series } : {}),
    ...(timeline.length > 0 ? { timeline } : {}),
    ...(record.abortedBy !== undefined ? { abortedBy: record.abortedBy } : {}),
    ...(Object.keys(record.wire).length > 0 ? { wire: record.wire } : {}),
  };
}

/**
 * The generator must keep up: one problem (so the run is not valid) per sender group whose
 * send lag p99 is above `maxSendLagMs`; none when there is no bound. Pure.
 */
export function sendLagProblems(groups: readonly GroupResult[], maxSendLagMs: number | null): string[] {
  if (maxSendLagMs === null) return [];
  const problems: string[] = [];
  for (const g of groups) {
    if (g.sendLag && g.sendLag.summary.count > 0 && g.sendLag.summary.p99 / 1000 > maxSendLagMs) {
      problems.push(sendLagProblem(g.name, g.sendLag.summary.p99, maxSendLagMs));
    }
  }
  return problems;
}

/** The problem line of a sender group that fell behind: its send lag p99 in µs, the bound in ms. */
export function sendLagProblem(group: string, p99Us: number, maxSendLagMs: number): string {
  return `generator fell behind: send lag p99 of ${group} was ${formatLatencyUs(p99Us)}, more than maxSendLag ${formatLatencyUs(maxSendLagMs * 1000)}`;
}
