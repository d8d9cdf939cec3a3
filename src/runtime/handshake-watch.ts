import type { Notice } from '../protocol/control.js';
import type { RolePlan } from '../scenario/plan.js';

export type HandshakeFailed = Extract<Notice, { kind: 'handshake-failed' }>;

/**
 * A CURVE server's handshake error: how long to wait for the client's own before failing with
 * the server's (both come within milliseconds of each other; the client holds the key at fault).
 */
export const CLIENT_SIDE_WAIT_MS = 300;

/**
 * A wrong CURVE key makes libzmq retry for ever: a failed handshake from connect to the end of
 * the start barrier fails the run at once, in the client's words when they come (it holds the
 * server key). Handshakes fail within milliseconds of connect, before the barrier begins.
 * Outside that window (and once the run is stopping) a failed handshake is left to the roles.
 */
export class HandshakeWatch {
  private watching = false;
  private serverSide: NodeJS.Timeout | undefined;

  constructor(
    private readonly plan: { readonly roles: ReadonlyArray<Pick<RolePlan, 'group' | 'instance'>> },
    private readonly stop: { readonly signal: AbortSignal; fail(problem: string): void },
    private readonly clientSideWaitMs = CLIENT_SIDE_WAIT_MS,
  ) {}

  /** From the first connect (or dial) on, when the run has a start barrier. */
  open(): void {
    this.watching = true;
  }

  /** At the end of the start barrier, or when the run stops before it. */
  close(): void {
    this.watching = false;
    clearTimeout(this.serverSide);
  }

  failed(n: HandshakeFailed): void {
    if (!this.watching || this.stop.signal.aborted) return;
    const role = this.plan.roles[n.roleId];
    const problem = `CURVE handshake failed: ${role ? `${role.group}[${role.instance}]` : `role ${n.roleId}`} ${n.event} on ${n.address} (is the server key right?)`;
    if (n.side === 'client') return this.stop.fail(problem);
    this.serverSide ??= setTimeout(() => {
      if (this.watching && !this.stop.signal.aborted) this.stop.fail(problem);
    }, this.clientSideWaitMs);
  }
}
