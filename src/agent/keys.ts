// TEMPORARY stub until the keys helper's branch is merged
import type { AgentKeys } from './agent-server.js';
import type { CoordinatorKeys } from '../runtime/remote/agent-link.js';
export async function readAgentKeys(_dir: string): Promise<AgentKeys> {
  throw new Error('stub');
}
export async function readCoordinatorKeys(_dir: string): Promise<CoordinatorKeys> {
  throw new Error('stub');
}
