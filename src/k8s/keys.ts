import {
  AGENT_KEY_FILES,
  COORDINATOR_KEY_FILES,
  KEY_FILES as KEY_FILE_NAMES,
  readAgentKeys,
  readCoordinatorKeys,
  type KeyFile,
} from '../agent/keys.js';
import { invalidInput, isBenchError, messageOf } from '../core/errors.js';

/**
 * The CURVE keys of a run on Kubernetes, as `zmq-bench keys <dir>` writes them: one Z85 key
 * (40 characters) and a newline per file. The Secret holds the four; each pod mounts only the
 * three it needs (an agent never sees the coordinator's secret key, nor the coordinator an agent's).
 */

export const KEY_FILES: readonly KeyFile[] = Object.values(KEY_FILE_NAMES);
export type RunKeys = Record<KeyFile, string>;

/** What each side mounts from the Secret: what it reads (agent/keys.ts). */
export { AGENT_KEY_FILES, COORDINATOR_KEY_FILES, type KeyFile };

/** Keys made here: a coordinator pair and one agent pair shared by all agents. */
export function keysFromPairs(
  coordinator: { publicKey: string; secretKey: string },
  agent: { publicKey: string; secretKey: string },
): RunKeys {
  return {
    'coordinator.public': coordinator.publicKey,
    'coordinator.secret': coordinator.secretKey,
    'agent.public': agent.publicKey,
    'agent.secret': agent.secretKey,
  };
}

/** The four key files of `dir`, each checked as agents and coordinators check theirs (every problem at once, exit 104). */
export async function readKeyDir(dir: string): Promise<RunKeys> {
  const [coordinator, agent] = await Promise.allSettled([readCoordinatorKeys(dir), readAgentKeys(dir)]);
  if (coordinator.status === 'fulfilled' && agent.status === 'fulfilled') return keysFromPairs(coordinator.value, agent.value);
  // both read agent.public: its problem is listed once
  const problems = [coordinator, agent].flatMap((r) => (r.status === 'rejected' ? problemsOf(r.reason) : []));
  throw invalidInput([...new Set(problems)].map((p) => `--keys: ${p}`));
}

function problemsOf(e: unknown): readonly string[] {
  return isBenchError(e) ? e.problems : [messageOf(e)];
}
