import { setTimeout as sleep } from 'node:timers/promises';
import { errorCode, type EngineSocket } from '../engine/engine.js';
import { zeromqjsEngine } from '../engine/zeromqjs-engine.js';
import { z85Encode } from '../scenario/curve.js';

/**
 * A ZAP handler (ZeroMQ RFC 27, ZAP 1.0): libzmq asks it about every CURVE handshake of every
 * CURVE server socket in the process (zeromq.js's default context is process-wide, trap 10), and
 * without one it lets any client key in (docs/zeromq-traps.md 28). It answers 200 for a client
 * whose public key is allowed, 400 for any other, and logs each refusal.
 */

/** Where libzmq sends ZAP requests: fixed by RFC 27, in the socket's own context. */
export const ZAP_ENDPOINT = 'inproc://zeromq.zap.01';

export interface ZapHandler {
  /**
   * Lets one more public key in until the returned function is called. The process's every CURVE
   * server asks this handler, a group's sockets in worker threads too: a run with CURVE on an
   * agent needs its client key allowed for the run's length.
   */
  allow(publicKey: string): () => void;
  /** Stops answering and unbinds. From then on libzmq lets every CURVE client in again (trap 28). */
  stop(): Promise<void>;
  /**
   * Settles when the handler stops: resolves after stop(), rejects if it failed by itself. A
   * failed handler stays bound, so handshakes wait rather than let anyone in; an agent should end.
   */
  readonly ended: Promise<void>;
}

/** The frames of a ZAP reply, and the log line of a refusal (null when the client was let in). */
export interface ZapAnswer {
  reply: Buffer[];
  refusal: string | null;
}

const VERSION = '1.0';

/**
 * The answer to one ZAP request, as a REP socket receives it (the envelope removed):
 * version, request id, domain, address, identity, mechanism, credentials...
 */
export function answerZap(request: readonly Buffer[], allowed: ReadonlySet<string>): ZapAnswer {
  const [version, requestId, , address, , mechanism, credentials] = request;
  const reply = (status: string, text: string) => [VERSION, requestId ?? '', status, text, '', ''].map((f) => Buffer.from(f));
  if (version?.toString() !== VERSION || request.length < 6) {
    return { reply: reply('500', 'not a ZAP 1.0 request'), refusal: 'refused a malformed ZAP request' };
  }
  const from = address?.toString() || 'an unknown address';
  if (mechanism?.toString() !== 'CURVE') {
    return { reply: reply('400', 'CURVE required'), refusal: `refused a connection from ${from}: it does not use CURVE` };
  }
  if (credentials?.length === 32 && allowed.has(z85Encode(credentials))) return { reply: reply('200', 'OK'), refusal: null };
  return {
    reply: reply('400', 'CURVE key not allowed'),
    refusal: `refused a connection from ${from}: its CURVE key is not the coordinator's`,
  };
}

/**
 * Binds the handler and starts answering. Resolves once it is bound: a CURVE server that
 * handshakes before then lets any client in, so an agent awaits this before it binds.
 * Rejects if another handler is bound in the process (EADDRINUSE, after FREED_WITHIN_MS).
 */
export async function startZap(allowed: readonly string[], log: (line: string) => void): Promise<ZapHandler> {
  const socket = zeromqjsEngine.open({ type: 'rep', options: { linger: 0 }, curve: null });
  try {
    await bindWhenFree(socket);
  } catch (e) {
    socket.close();
    throw e;
  }
  const keys = new Set(allowed);
  const ended = serve(socket, keys, log);
  ended.catch(() => {}); // the caller reads it through `ended`; never an unhandled rejection
  return {
    ended,
    allow(publicKey) {
      if (keys.has(publicKey)) return () => {};
      keys.add(publicKey);
      return () => void keys.delete(publicKey);
    },
    async stop() {
      socket.close();
      await ended.catch(() => {});
      await socket.released;
    },
  };
}

/** How long a bind waits for a handler that was just stopped to let go of the endpoint. */
const FREED_WITHIN_MS = 250;

/**
 * libzmq frees a closed socket's inproc endpoint a moment later, in its reaper thread (a bind
 * right after stop() failed with EADDRINUSE 1 time in 5 here), so a busy endpoint is tried again
 * for a short while before it counts as another handler's.
 */
async function bindWhenFree(socket: EngineSocket): Promise<void> {
  const until = Date.now() + FREED_WITHIN_MS;
  for (;;) {
    try {
      return await socket.bind(ZAP_ENDPOINT);
    } catch (e) {
      if (errorCode(e) !== 'EADDRINUSE' || Date.now() >= until) throw e;
      await sleep(5);
    }
  }
}

/** One request, one reply, until the socket is closed. */
async function serve(socket: EngineSocket, allowed: ReadonlySet<string>, log: (line: string) => void): Promise<void> {
  for (;;) {
    let request: Buffer[];
    try {
      request = await socket.receive();
    } catch (e) {
      if (socket.closed) return;
      throw e;
    }
    const { reply, refusal } = answerZap(request, allowed);
    if (refusal !== null) log(refusal);
    try {
      await socket.send(reply);
    } catch (e) {
      if (socket.closed) return;
      throw e;
    }
  }
}
