import type { ContentReport } from '../stats/foreign-traffic.js';
import type { PrefixReport } from '../stats/prefix-counts.js';
import type { ProxyTraffic, RequestFigures, SubscriptionFigures } from '../core/types.js';
import type { RolePlan } from '../scenario/plan.js';
import type { StreamTally } from '../stats/sequence-tracker.js';

/**
 * Control messages between the coordinator and a worker. They travel over a MessagePort
 * today (threads); a child process or a remote host needs only another carrier for the
 * same union. Commands carry an id that the worker's reply repeats.
 */

export const PROTOCOL_VERSION = 1;

export type { RequestFigures };

export interface LastSeq {
  sourceId: number;
  stream: number;
  /** -1 when the stream sent nothing */
  lastSeq: number;
}

export type Command =
  | { kind: 'bind'; id: number; addresses: Record<number, Record<string, string>> }
  /** start: connect-first only, before any bind: connecting sockets connect and nothing else starts (no loops) */
  | { kind: 'dial'; id: number; addresses: Record<string, string[]> }
  | { kind: 'connect'; id: number; addresses: Record<string, string[]> }
  | { kind: 'await-barrier'; id: number }
  | { kind: 'start'; id: number }
  | { kind: 'measure'; id: number }
  | { kind: 'stop-senders'; id: number; graceMs: number }
  | { kind: 'streams-ended'; id: number; lastSeqs: LastSeq[] }
  | { kind: 'status'; id: number }
  | { kind: 'sample'; id: number }
  | { kind: 'fault'; id: number; roleId: number; action: 'kill' | 'pause' | 'resume' | 'stop'; what: 'sending' | 'receiving' | 'both' }
  | { kind: 'restart'; id: number; roleId: number; bind: Record<string, string>; connect: Record<string, string[]> }
  | { kind: 'finish'; id: number };

export type CommandKind = Command['kind'];

export interface BoundAddress {
  roleId: number;
  endpoint: string;
  address: string;
}

export interface RoleStatus {
  roleId: number;
  received: number;
  /** what the role still waits for at the start barrier */
  waiting: string[];
}

/** Cumulative counters of one worker's roles (one group per worker), read every interval. */
export interface Counters {
  sent: number;
  received: number;
  lostKnown: number;
  notSent: number;
  blockedMs: number;
}

/** A ZeroMQ socket monitor event, stamped on the host's monotonic clock. */
export interface SocketEventRecord {
  tNs: string;
  roleId: number;
  event: string;
  address: string;
}

export interface WorkerSampleReply {
  kind: 'sample';
  id: number;
  slot: number;
  group: string;
  counters: Counters;
  /** senders: per stream, the last sequence number sent so far */
  streamsSent: LastSeq[];
  /** latencies recorded since the previous sample, encoded HDR histogram (ns) */
  histogram: string;
  /** the same latencies measured from the actual send time instead of the intended one; '' if none */
  histogramFromSend: string;
  /** senders: send lag (actual send start minus intended time) since the previous sample, encoded HDR histogram (ns); '' if none */
  sendLagHistogram: string;
  eventLoopDelayP99Ms: number;
  eventLoopDelayMaxMs: number;
  heapUsedBytes: number;
  /** V8's total_heap_size: the heap V8 holds for this thread, used or not (its young generation grows with the load) */
  heapTotalBytes: number;
  /** socket monitor events since the previous sample */
  socketEvents: SocketEventRecord[];
}

export interface RoleReport {
  roleId: number;
  group: string;
  sent: number;
  sentMeasured: number;
  sentBytesMeasured: number;
  received: number;
  receivedMeasured: number;
  receivedBytesMeasured: number;
  misrouted: number;
  notSent: number;
  /** time sends waited on a full queue during the measured phase */
  blockedMsMeasured: number;
  /** messages that arrived after the senders were stopped, and the time until the last one */
  drainedMessages: number;
  drainedMs: number;
  /** monotonic time (process.hrtime.bigint(), decimal) of the first data message received, warm-up included; absent when none came */
  firstArrivalNs?: string;
  /** req groups only */
  requests?: RequestFigures;
  tallies: StreamTally[];
  /** encoded HDR histogram of latency in ns from the intended send time, measured phase only */
  histogram: string;
  /** encoded HDR histogram of latency in ns from the actual send time (the header's), same messages as `histogram` */
  histogramFromSend: string;
  /** senders only: encoded HDR histogram of send lag in ns (actual send start minus intended time), measured phase only */
  sendLagHistogram?: string;
  lastSeqs: LastSeq[];
  effectiveOptions: Record<string, unknown>;
  errors: string[];
  /** messages without our header (a service zmq-bench did not start); absent when there were none */
  content?: ContentReport;
  /** sub sockets with prefixes: messages per prefix */
  prefixes?: PrefixReport;
  /** misusing req/rep sockets (B1): refused out-of-order sends by error code */
  refusedSends?: Record<string, number>;
  /** subscribers in a scenario with an xpub welcome message: welcome messages received */
  welcomes?: number;
  /** xpub sockets: the subscription messages read */
  subscriptions?: SubscriptionFigures;
  /** proxies: libzmq's counters, when the engine can read them */
  proxy?: ProxyRoleFigures;
}

/** A proxy role's traffic: null where its engine cannot read libzmq's counters (zeromq.js). */
export interface ProxyRoleFigures {
  counted: boolean;
  total: ProxyTraffic | null;
  measured: ProxyTraffic | null;
}

export type Reply =
  | { kind: 'bound'; id: number; addresses: BoundAddress[] }
  | { kind: 'senders-stopped'; id: number; lastSeqs: LastSeq[] }
  | { kind: 'status'; id: number; roles: RoleStatus[] }
  | { kind: 'results'; id: number; reports: RoleReport[] }
  | WorkerSampleReply
  | { kind: 'ok'; id: number };

/** Sent by a worker without being asked. */
export type Notice =
  | { kind: 'senders-done'; roleIds: number[] }
  | { kind: 'role-error'; roleId: number; message: string }
  /** a CURVE socket's handshake failed before the run started (the first failure of each socket) */
  | { kind: 'handshake-failed'; roleId: number; side: 'server' | 'client'; event: string; address: string };

export type WorkerMessage = Reply | Notice;

/** What a worker task is started with. */
export interface WorkerInit {
  protocolVersion: number;
  slot: number;
  roles: RolePlan[];
  warmup: boolean;
  /**
   * The coordinator's native libzmq context (its address), when a native role runs in a
   * thread: inproc connects sockets of one context only (src/engine/native/context.ts).
   * Never sent to a child process, which has a context of its own.
   */
  nativeContext?: SharedArrayBuffer;
  /**
   * On an agent: its clock minus the coordinator's (ns, estimated over the control channel).
   * The worker subtracts it from every time it reads, so that send stamps, arrivals and socket
   * events of every host are on the coordinator's timeline (within the estimate's uncertainty).
   */
  clockOffsetNs?: bigint;
}

export function isReply(m: WorkerMessage): m is Reply {
  return 'id' in m;
}
