import { describe, it } from 'node:test';
import type { EngineSocket, Outgoing, SocketEngine, SocketSpec } from '../../src/engine/engine.js';
import { loadNativeEngine } from '../../src/engine/native/native-engine.js';
import { zeromqjsEngine } from '../../src/engine/zeromqjs-engine.js';
import type { SocketType } from '../../src/scenario/schema.js';

/** The engines a contract test runs through, and the small steps every such test takes on a socket. */

/** zeromq.js, and the native engine where it loads; where it does not, `what` is reported skipped with the reason. */
export function testedEngines(what: string): SocketEngine[] {
  const native = loadNativeEngine();
  if ('reason' in native) {
    describe(`${what} on the native engine`, () => {
      it('runs', { skip: native.reason }, () => {});
    });
    return [zeromqjsEngine];
  }
  return [zeromqjsEngine, native.engine];
}

export const spec = (type: SocketType, options: SocketSpec['options'] = {}): SocketSpec => ({ type, options, curve: null });

/** The next message's frames, whether the engine answers at once or later. */
export async function received(socket: EngineSocket): Promise<Buffer[]> {
  const next = socket.receive();
  return Array.isArray(next) ? next : await next;
}

/** A send, waited for when it had to wait. */
export async function sent(socket: EngineSocket, message: Outgoing): Promise<void> {
  const sending = socket.send(message);
  if (sending) await sending;
}
