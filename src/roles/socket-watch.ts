import type { EngineSocket, SocketEvent, SocketEventType } from '../engine/engine.js';
import type { SocketPlan } from '../scenario/plan.js';
import type { RoleHost } from './role-host.js';

/**
 * A failed security handshake. With a wrong CURVE server key libzmq retries for ever (every
 * 100-200 ms), and both sides see it at once (measured, tcp and ipc): the server
 * handshake:error:protocol (ERR_ZMTP_CRYPTOGRAPHIC), the client handshake:error:other (EPIPE).
 */
const HANDSHAKE_ERRORS: ReadonlySet<SocketEventType> = new Set([
  'handshake:error:protocol',
  'handshake:error:auth',
  'handshake:error:other',
]);

interface Watched {
  handshakes: number;
  failureReported: boolean;
}

/**
 * Opens a role's sockets and watches their monitor events: handshakes made (the start
 * barrier waits for them), every event on the timeline when the plan asks, and a CURVE
 * handshake that fails before the start, reported once per socket so the coordinator fails
 * the run at once instead of waiting out the barrier.
 */
export class SocketWatch {
  private readonly watched = new Map<EngineSocket, Watched>();
  private readonly released: Promise<void>[] = [];
  /** the start barrier is behind (or there is none): handshake failures are no longer reported */
  begun = false;

  constructor(
    private readonly roleId: number,
    private readonly host: RoleHost,
  ) {}

  /** A socket of the plan; monitored when the barrier counts its handshakes or the timeline shows its events. */
  open(plan: SocketPlan): EngineSocket {
    const state: Watched = { handshakes: 0, failureReported: false };
    const monitored = plan.handshakes > 0 || plan.monitor;
    const socket = this.host.engine.open(plan, monitored ? (e) => this.seen(e, plan, state) : undefined);
    this.watched.set(socket, state);
    this.released.push(socket.released);
    return socket;
  }

  handshakesOf(socket: EngineSocket): number {
    return this.watched.get(socket)?.handshakes ?? 0;
  }

  /** Settles once every socket opened here is closed and released. */
  allReleased(): Promise<void> {
    return Promise.all(this.released).then(() => undefined);
  }

  private seen(e: SocketEvent, plan: SocketPlan, state: Watched): void {
    if (e.type === 'handshake') state.handshakes++;
    if (plan.monitor) this.host.socketEvent(this.roleId, e.type, e.address);
    const curve = plan.curve;
    if (curve && HANDSHAKE_ERRORS.has(e.type) && !this.begun && !state.failureReported) {
      state.failureReported = true;
      this.host.notify({ kind: 'handshake-failed', roleId: this.roleId, side: curve.as, event: e.type, address: e.address });
    }
  }
}
