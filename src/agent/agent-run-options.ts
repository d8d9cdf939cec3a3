import { invalidInput } from '../core/errors.js';
import type { Scenario } from '../scenario/schema.js';
import type { AgentTarget } from '../runtime/remote/agent-link.js';
import type { AgentOptions } from '../runtime/remote/open-agents.js';
import { isLoopbackAddress } from '../scenario/validate-external.js';
import { parseTcpAddress } from './agent-args.js';
import { readCoordinatorKeys } from './keys.js';

/** How long each agent may take to answer at the start of a run, unless --agent-timeout says otherwise. */
export const DEFAULT_AGENT_TIMEOUT_MS = 10_000;

/**
 * `run --agents ... [--keys <dir>] [--agent-timeout <time>]` checked against the scenarios before
 * anything runs: every label must be a host of some scenario of the run, and an agent off
 * loopback needs the coordinator's keys. One line per problem (exit 104).
 */
export async function agentRunOptions(
  scenarios: readonly Scenario[],
  targets: readonly AgentTarget[] | undefined,
  keysDir: string | undefined,
  timeoutMs: number | undefined,
): Promise<AgentOptions | undefined> {
  if (targets === undefined || targets.length === 0) {
    if (keysDir !== undefined) throw invalidInput(['--keys is for runs with --agents']);
    return undefined;
  }
  const declared = new Set(scenarios.flatMap((s) => s.hosts));
  const problems: string[] = [];
  for (const t of targets) {
    if (!declared.has(t.label))
      problems.push(
        `--agents ${t.label}: no scenario of this run has a host labelled ${t.label}${declared.size > 0 ? ` (hosts: ${[...declared].join(', ')})` : ' (none has hosts:)'}`,
      );
    if (keysDir === undefined && typeof parseTcpAddress(t.url) !== 'string' && !isLoopbackAddress(t.url))
      problems.push(`--agents ${t.label}=${t.url} is not on loopback: --keys <dir> is required (make the keys with zmq-bench keys <dir>)`);
  }
  if (problems.length > 0) throw invalidInput(problems);
  const keys = keysDir === undefined ? null : await readCoordinatorKeys(keysDir);
  return { targets: [...targets], keys, timeoutMs: timeoutMs ?? DEFAULT_AGENT_TIMEOUT_MS };
}
