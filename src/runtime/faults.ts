import { messageOf } from '../core/errors.js';
import type { TimelineEntry } from '../core/types.js';
import type { FaultEvent } from '../scenario/schema.js';
import type { RolePlan, SlotPlan, TopologyPlan } from '../scenario/plan.js';

/**
 * Carries out the scenario's `events` on their timeline (ms after the start of measurement)
 * and records when each actually happened. A process is killed with SIGKILL; a thread gets a
 * `fault` command and its role stops abruptly (a thread cannot be terminated safely with
 * zeromq operations pending, trap 7). A restart rebinds the same addresses without a barrier.
 */

export interface FaultActions {
  /** SIGKILL the process of a slot (process placement) */
  killProcess(slot: SlotPlan): void;
  /** start a new process for a slot whose process was killed, bound and connected and sending */
  restartProcess(slot: SlotPlan, roles: RolePlan[]): Promise<void>;
  /** a fault command to the worker of a slot (thread placement, or pause/resume/stop anywhere) */
  command(slot: SlotPlan, role: RolePlan, event: FaultEvent): Promise<void>;
  /** ms since the start of measurement */
  now(): number;
  /** each entry as soon as it is made (live listeners) */
  recorded?(entry: TimelineEntry): void;
}

export class FaultScheduler {
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly entries: TimelineEntry[] = [];
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly events: readonly FaultEvent[],
    private readonly plan: TopologyPlan,
    private readonly actions: FaultActions,
  ) {}

  /** Call at the start of measurement. */
  start(): void {
    for (const event of this.events) {
      const delay = Math.max(0, event.atMs - this.actions.now());
      // One event at a time, in order: a restart must follow its kill.
      this.timers.push(setTimeout(() => (this.chain = this.chain.then(() => this.run(event))), delay));
    }
  }

  /** Stop what has not happened yet, and wait for what is happening. */
  async stop(): Promise<TimelineEntry[]> {
    for (const t of this.timers) clearTimeout(t);
    await this.chain;
    return this.entries;
  }

  private async run(event: FaultEvent): Promise<void> {
    const target = event.instance === null ? event.group : `${event.group}[${event.instance}]`;
    const roles = this.plan.roles.filter((r) => r.group === event.group && (event.instance === null || r.instance === event.instance));
    const tMs = Math.round(this.actions.now() * 1000) / 1000;
    const hosts = [...new Set(roles.flatMap((r) => (r.host === null ? [] : [r.host])))];
    const host = hosts.length > 0 ? { host: hosts.join(',') } : {};
    try {
      for (const slot of this.plan.slots.filter((s) => s.roleIds.some((id) => roles.some((r) => r.roleId === id)))) {
        const here = roles.filter((r) => slot.roleIds.includes(r.roleId));
        if (slot.placement === 'process' && event.action === 'kill') this.actions.killProcess(slot);
        else if (slot.placement === 'process' && event.action === 'restart') await this.actions.restartProcess(slot, here);
        else for (const role of here) await this.actions.command(slot, role, event);
      }
      this.record({
        tMs,
        kind: 'fault',
        action: event.action,
        target,
        plannedMs: event.atMs,
        ...(event.what !== 'both' ? { what: event.what } : {}),
        ...host,
      });
    } catch (e) {
      this.record({ tMs, kind: 'fault', action: event.action, target, plannedMs: event.atMs, error: messageOf(e), ...host });
    }
  }

  private record(entry: TimelineEntry): void {
    this.entries.push(entry);
    this.actions.recorded?.(entry);
  }
}
