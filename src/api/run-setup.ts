import { parseAgentsArgument } from '../agent/agent-args.js';
import { parseDurationMs } from '../core/units.js';
import { engineProblems, engineUnavailable } from '../engine/availability.js';
import { checkOutputPaths } from '../results/output-paths.js';
import type { AgentTarget } from '../runtime/remote/agent-link.js';
import type { AgentOptions } from '../runtime/remote/open-agents.js';
import { scenarioAsRun } from '../scenario/as-run.js';
import type { Scenario } from '../scenario/schema.js';
import { validateScenario } from '../scenario/validate.js';
import { ScenarioError, refusedAs } from './errors.js';
import { withOverrides, type DurationInput, type ScenarioOverrides } from './options.js';

/**
 * What run() checks before anything runs, as `zmq-bench run` does: the scenario, the overrides,
 * the engines, the agents and the results folder. Every problem is a ScenarioError.
 */

export interface AgentSettings {
  /** --agents: the scenario's host labels run on these zmq-bench agents ('label=tcp://host:port,...' or a list) */
  agents?: string | readonly AgentTarget[];
  /** --keys: the folder of the coordinator's CURVE keys for its agents (zmq-bench keys) */
  keys?: string;
  /** --agent-timeout: how long each agent may take to answer at the start; default 10s */
  agentTimeout?: DurationInput;
}

const isScenario = (s: unknown): s is Scenario =>
  typeof s === 'object' && s !== null && Array.isArray((s as Scenario).groups) && typeof (s as Scenario).durationMs === 'number';

/**
 * A Scenario is made by validation, but in code it can be changed afterwards (durationMs = -1):
 * it is written back in the file format and validated again, so the workers never see one the
 * CLI would refuse. The caller's own object runs (its payload bytes are read already).
 */
export function checkedScenario(s: unknown): Scenario {
  if (!isScenario(s)) {
    throw new ScenarioError([
      "scenario: expected a Scenario from loadScenario or parseScenario (a scenario file's object or text goes through parseScenario first)",
    ]);
  }
  const again = validateScenario(scenarioAsRun(s));
  if ('problems' in again) throw new ScenarioError(again.problems.map((p) => `scenario ${JSON.stringify(s.name)}: ${p}`));
  return s;
}

/** The scenario to run: overrides applied, external endpoints retargeted, its engines available here. */
export function scenarioToRun(s: Scenario, o: ScenarioOverrides): Scenario {
  const scenario = withOverrides(checkedScenario(s), o);
  const flagged = o.engine === undefined ? null : engineUnavailable(o.engine);
  const unavailable = flagged !== null ? [`engine ${o.engine}: ${flagged}`] : engineProblems(scenario);
  if (unavailable.length > 0) throw new ScenarioError(unavailable);
  return scenario;
}

/** The agents of a run with them (undefined without); the same checks as run --agents. */
export async function agentsOf(s: Scenario, o: AgentSettings): Promise<AgentOptions | undefined> {
  let targets: AgentTarget[] | undefined;
  if (typeof o.agents === 'string') {
    const parsed = parseAgentsArgument(o.agents);
    if (typeof parsed === 'string') throw new ScenarioError([`agents: ${parsed}`]);
    targets = parsed;
  } else if (o.agents !== undefined) targets = [...o.agents];
  const timeout =
    o.agentTimeout === undefined ? undefined : typeof o.agentTimeout === 'number' ? o.agentTimeout : parseDurationMs(o.agentTimeout);
  if (o.agentTimeout !== undefined && !(timeout !== undefined && timeout > 0))
    throw new ScenarioError([`agentTimeout: expected a duration such as 5s (or a number of ms), got ${JSON.stringify(o.agentTimeout)}`]);
  // on first use: its keys module loads zeromq (CURVE), which importing the package must not
  const { agentRunOptions } = await import('../agent/agent-run-options.js');
  return refusedAs(ScenarioError, () => agentRunOptions([s], targets, o.keys, timeout));
}

/** A results folder that cannot be written fails now, not after the run. */
export async function checkOutDir(outDir: string | undefined): Promise<void> {
  if (outDir === undefined) return;
  await refusedAs(ScenarioError, () => checkOutputPaths([{ flag: 'outDir', path: outDir, kind: 'folder' }]));
}
