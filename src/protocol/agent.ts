import { deserialize, serialize } from 'node:v8';
import type { Environment } from '../core/types.js';
import type { Command, WorkerInit, WorkerMessage } from './control.js';

/**
 * Messages between a coordinator and an agent on another host (issue 20), over one ZeroMQ
 * DEALER → ROUTER connection. The worker protocol (control.ts) travels inside them unchanged:
 * an agent runs each slot in a child process and only relays, as child-main.ts does for a
 * process placement here. One message per frame, in V8's structured-clone format (bigints,
 * Buffers and nested objects arrive as they left, as over a MessagePort).
 */

/** 2: netfault slow (issue 21) */
export const AGENT_PROTOCOL_VERSION = 2;

/** How often the coordinator pings each agent during a run; every message counts as a sign of life. */
export const AGENT_HEARTBEAT_MS = 250;
/** Silence after which the coordinator gives an agent up: the run stops (exit 97) and names it. */
export const AGENT_LOST_AFTER_MS = 2_000;
/** Silence after which an agent gives its coordinator up: it kills the run's processes and waits for the next one. */
export const COORDINATOR_LOST_AFTER_MS = 5_000;

/** What an agent says of its host, once, when a coordinator says hello. */
export interface HostFacts extends Environment {
  /** the IP its groups' sockets bind, and peers dial (--advertise) */
  address: string;
  pid: number;
}

export type ToAgent =
  | { kind: 'hello'; protocolVersion: number; runId: string }
  /** t1: the coordinator's monotonic clock when it sent this (a clock sample, and a heartbeat) */
  | { kind: 'ping'; t1: bigint }
  /** `worker`: this process's id for the run (a slot restarted after a kill gets a new one) */
  | { kind: 'spawn'; worker: number; slot: number; init: WorkerInit }
  | { kind: 'command'; worker: number; command: Command }
  | { kind: 'kill'; worker: number }
  /**
   * A network fault on this host (issue 21): partition drops every packet to and from the
   * addresses here; cut resets the connections of the addresses bound here; slow limits what this
   * host sends on the connections of the addresses to `bandwidthBps`; heal undoes `key`'s.
   */
  | {
      kind: 'netfault';
      id: number;
      key: string;
      action: NetFaultAction;
      addresses: Array<{ ip: string; port: number }>;
      /** slow only: bits per second */
      bandwidthBps?: number;
    }
  /** the run is over: the agent ends whatever is left of it and waits for the next coordinator */
  | { kind: 'bye' };

/** What an agent does to the network on its host at the coordinator's word. */
export type NetFaultAction = 'partition' | 'cut' | 'slow' | 'heal';

export type FromAgent =
  | { kind: 'welcome'; protocolVersion: number; facts: HostFacts }
  | { kind: 'refused'; reason: string }
  /** t2: the agent's monotonic clock when it answered */
  | { kind: 'pong'; t1: bigint; t2: bigint }
  | { kind: 'message'; worker: number; message: WorkerMessage }
  /** a netfault carried out (error null) or not */
  | { kind: 'netfault-done'; id: number; error: string | null }
  /** a worker has ended: error null when it finished as asked */
  | { kind: 'ended'; worker: number; error: string | null; killed: boolean };

export function encodeAgentMessage(m: ToAgent | FromAgent): Buffer {
  return serialize(m);
}

/** A frame decoded; null when it is not a message of this protocol (the caller logs it and goes on). */
export function decodeToAgent(frame: Buffer): ToAgent | null {
  const m = decodeAny(frame);
  return m !== null && ['hello', 'ping', 'spawn', 'command', 'kill', 'netfault', 'bye'].includes(m.kind) ? (m as ToAgent) : null;
}

export function decodeFromAgent(frame: Buffer): FromAgent | null {
  const m = decodeAny(frame);
  return m !== null && ['welcome', 'refused', 'pong', 'message', 'ended', 'netfault-done'].includes(m.kind) ? (m as FromAgent) : null;
}

function decodeAny(frame: Buffer): { kind: string } | null {
  try {
    const m: unknown = deserialize(frame);
    return typeof m === 'object' && m !== null && typeof (m as { kind?: unknown }).kind === 'string' ? (m as { kind: string }) : null;
  } catch {
    return null;
  }
}
