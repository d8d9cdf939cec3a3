import type { EngineSocket } from '../engine/engine.js';
import type { SocketPlan } from '../scenario/plan.js';
import type { SocketOptionName } from '../scenario/schema.js';
import { OPTION_NAMES, WRITE_ONLY_OPTIONS } from '../scenario/socket-options.js';

/**
 * A socket's options as result.json reports them: each readable one as the socket reads it
 * back (libzmq may round or clamp it: heartbeatTtl in tenths of a second), each write-only one
 * as set, since neither libzmq nor zeromq.js can read it (reading ROUTER_MANDATORY throws EINVAL).
 * Read right after connect: a closed socket has no options to read (trap 18).
 */
export function effectiveOptions(socket: EngineSocket, plan: SocketPlan): Record<string, unknown> {
  const given = OPTION_NAMES.filter((n) => plan.options[n] !== undefined);
  const readable = given.filter((n) => !WRITE_ONLY_OPTIONS.includes(n));
  const read = socket.readOptions(readable);
  return Object.fromEntries(given.map((n: SocketOptionName) => [n, readable.includes(n) ? read[n] : plan.options[n]]));
}
