import { addIncarnation, type TopologyPlan } from '../scenario/plan.js';
import { isSender } from '../scenario/schema.js';
import type { FaultActions } from './faults.js';
import { callWithin, type CommandBody, type WorkerHandle } from './worker-handle.js';

/** source ids of a restarted process's senders: roleId + incarnation × this (source ids are u32) */
export const INCARNATION_STRIDE = 1_000_000;

/** What the fault actions need of the run. */
export interface FaultHost {
  readonly plan: TopologyPlan;
  /** the worker of a slot now */
  handle(slot: number): WorkerHandle;
  /** a new process in the place of a slot's killed one, watched like the first */
  respawn(slot: number): WorkerHandle;
  /** every endpoint's addresses, to connect to */
  endpoints(): Record<string, string[]>;
  /** the addresses a role bound, by endpoint: a restarted role binds them again */
  bindOf(roleId: number): Record<string, string>;
  /** ms since the start of measurement */
  sinceMeasureStart(): number;
  readonly controlTimeoutMs: number;
}

/**
 * The fault events' actions on the workers of a run: SIGKILL for a process, a new process
 * bound to the same addresses for its restart, a `fault` or `restart` command for the rest.
 */
export function faultActions(host: FaultHost): FaultActions {
  const incarnations = new Map<number, number>();
  const call = (h: WorkerHandle, body: CommandBody) => callWithin(h, body, host.controlTimeoutMs);
  return {
    now: () => host.sinceMeasureStart(),
    killProcess: (slot) => host.handle(slot.slot).kill?.(),
    restartProcess: async (slot, roles) => {
      // A new process knows nothing of the old one: its senders are new sources.
      for (const role of roles) {
        const n = (incarnations.get(role.roleId) ?? 0) + 1;
        incarnations.set(role.roleId, n);
        if (isSender(role.socket.type, role.side)) addIncarnation(host.plan, role, role.roleId + n * INCARNATION_STRIDE);
      }
      const h = host.respawn(slot.slot);
      await call(h, { kind: 'bind', addresses: Object.fromEntries(roles.map((r) => [r.roleId, host.bindOf(r.roleId)])) });
      await call(h, { kind: 'connect', addresses: host.endpoints() });
      await call(h, { kind: 'start' });
    },
    command: async (slot, role, event) => {
      const body: CommandBody =
        event.action === 'restart'
          ? { kind: 'restart', roleId: role.roleId, bind: host.bindOf(role.roleId), connect: host.endpoints() }
          : { kind: 'fault', roleId: role.roleId, action: event.action, what: event.what };
      await call(host.handle(slot.slot), body);
    },
  };
}
