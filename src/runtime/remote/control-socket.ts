import { messageOf } from '../../core/errors.js';
import { errorCode, type EngineSocket } from '../../engine/engine.js';

/**
 * A socket of the control plane between a coordinator and its agents: its sends go out one
 * at a time, in order (zeromq.js allows one send in flight, trap 4), and its receive loop hands
 * every message on until the socket is closed. Not on any measured path.
 */
export class ControlSocket {
  private tail: Promise<void> = Promise.resolve();
  private loop: Promise<void> = Promise.resolve();

  constructor(
    readonly socket: EngineSocket,
    private readonly onError: (line: string) => void,
  ) {}

  send(frames: Buffer[]): void {
    this.tail = this.tail
      .then(async () => {
        if (this.socket.closed) return;
        const sending = this.socket.send(frames);
        if (sending) await sending;
      })
      .catch((e: unknown) => {
        if (!this.socket.closed) this.onError(`control send failed: ${messageOf(e)}`);
      });
  }

  /** Receives until the socket is closed; a receive error on an open socket is reported and ends the loop. */
  receiveEach(handle: (frames: Buffer[]) => void): void {
    this.loop = (async () => {
      while (!this.socket.closed) {
        let frames: Buffer[];
        try {
          const next = this.socket.receive();
          frames = Array.isArray(next) ? next : await next;
        } catch (e) {
          // closing the socket ends a pending receive with an error (ENOTSOCK, EAGAIN...)
          if (!this.socket.closed && errorCode(e) !== 'EAGAIN') this.onError(`control receive failed: ${messageOf(e)}`);
          if (this.socket.closed) return;
          continue;
        }
        handle(frames);
      }
    })();
  }

  /** Waits (at most `graceMs`) for the sends queued so far, then closes; resolves once the socket is released. */
  async close(graceMs = 200): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.tail, new Promise<void>((r) => (timer = setTimeout(r, graceMs)))]);
    clearTimeout(timer);
    this.socket.close();
    await this.loop;
    await this.socket.released;
  }
}
