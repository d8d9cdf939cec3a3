import type { Expectation } from '../expect/schema.js';
import type { ContentCheck, PayloadPart, SequenceLocation } from '../external-schema.js';
import type { Threshold } from '../thresholds.js';
import type {
  Direction,
  EngineName,
  FaultAction,
  GroupType,
  NetworkFaultAction,
  PairSide,
  Placement,
  SocketType,
  StartOrder,
  TransportName,
} from './basics.js';
import type { SocketOptions } from './options.js';
import type { SearchSpec } from './search.js';

/** A scenario after validation and defaults: every optional field the engine needs is filled. */
export interface Scenario {
  name: string;
  description: string;
  /** the transport of every endpoint that names none of its own (endpointTransports) */
  transport: TransportName;
  durationMs: number;
  warmupMs: number;
  drainMs: number;
  /** every role reports its counters this often, for the time series */
  sampleIntervalMs: number;
  barrier: boolean;
  /** connect-first: every connecting socket connects before any socket binds (B2); the start barrier still follows the binds */
  startOrder: StartOrder;
  /** a sender group whose send lag p99 is above this makes the run not valid; null: no bound */
  maxSendLagMs: number | null;
  /**
   * CURVE on every tcp/ipc connection: binders are servers, connectors clients, with keys made
   * for each run. serverPublicKey: the key clients get instead of the run's own (null: the run's).
   */
  curve: { enabled: boolean; serverPublicKey: string | null };
  /** pass/fail criteria, in the order written */
  thresholds: Threshold[];
  /** the ZeroMQ claim this scenario reproduces and what must hold (`zmq-bench verify`); null: none */
  expect: Expectation | null;
  endpoints: string[];
  /** endpoint name → the address of a service zmq-bench did not start (docs/external.md) */
  external: Record<string, string>;
  /**
   * endpoint name → the transport it names itself (`{ name, transport }`); the others use
   * `transport`, and an external one its address's (scenario/transports.ts answers for any)
   */
  endpointTransports: Record<string, TransportName>;
  groups: Group[];
  /** host labels declared (`hosts:`), in order; empty: one host */
  hosts: string[];
  /** how run --find-max-rate searches (`search:`); null: not given (the defaults apply) */
  search: SearchSpec | null;
  /** faults on a timeline, sorted by atMs */
  events: FaultEvent[];
  /** faults of the network between groups, sorted by atMs (events: with partition, cut, slow or heal) */
  networkFaults: NetworkFault[];
}

/** Lazy pirate (seed 003): wait `timeoutMs` for a reply, then close, reopen and resend, `retries` times at most. */
export interface RetryPolicy {
  timeoutMs: number;
  retries: number;
}

/** One fault: at `atMs` after the start of measurement, do `action` to a group or one of its sockets. */
export interface FaultEvent {
  atMs: number;
  action: FaultAction;
  group: string;
  /** null: every socket of the group */
  instance: number | null;
  /**
   * pause/resume: the direction named, or, without `what`, every direction the group has
   * ('both' for a group that sends and receives, else its only one); kill/restart/stop: 'both'
   */
  what: Direction | 'both';
}

/** A fault of the network between two groups: on the tcp connections of the endpoints one binds and the other connects. */
export interface NetworkFault {
  atMs: number;
  action: NetworkFaultAction;
  /** the two groups, as written */
  groups: [string, string];
  /** slow: the limit in bits per second; null otherwise */
  bandwidthBps: number | null;
  /** partition and slow: heal by itself after this long; null: until a heal (or the end of the run) */
  forMs: number | null;
}

/**
 * A group of sockets. A proxy (type 'proxy') is kept as a stage whose forwarding libzmq does:
 * `bind`, `connect` and `options` are its frontend's, `forward` is its backend, and `proxy`
 * names the frontend's type and the capture socket. So every rule and route that follows a
 * stage's two sockets (binders, handshakes, routes, network faults) follows a proxy's too.
 */
export interface Group {
  name: string;
  type: GroupType;
  /** pair: which of the two sockets sends; null for every other type */
  side: PairSide | null;
  count: number;
  threads: number;
  /** thread: in worker threads of this process; process: one child process per socket */
  placement: Placement;
  /** the binding that drives the sockets: the group's own `engine`, else the scenario's */
  engine: EngineName;
  /** host labels the sockets run on, in turn (socket i on hosts[i % length]); empty: the coordinator's host */
  hosts: string[];
  bind: string[];
  connect: string[];
  sizeBytes: number;
  /**
   * A constant rate: messages per second per socket; null = as fast as possible (`max`), or
   * the rate changes over time (then rateShape says how).
   */
  ratePerSec: number | null;
  /** A rate that changes over time (ratePerSec is then null); null = constant or max, as ratePerSec says. */
  rateShape: RateShape | null;
  /** per socket; null = until the duration ends */
  messages: number | null;
  /** senders: give a send up after this long at the high-water mark; null = wait */
  giveUpAfterMs: number | null;
  /** receivers: processing time per message */
  delay: DelayModel;
  /** receivers: when to stop reading, sorted by atMs, not overlapping */
  pauses: Pause[];
  subscribe: string[];
  /** pub: topics sent in turn; radio: the groups its messages go to, in turn */
  topics: string[];
  /** dish: the groups joined (whole names); [] for every other type */
  join: string[];
  window: number;
  /** req only: lazy-pirate retries; null = plain REQ (waits for ever) */
  retry: RetryPolicy | null;
  options: SocketOptions;
  forward: Forward | null;
  /** senders: the frames sent instead of the header (a service that does not know it); null: the header */
  payload: PayloadPart[] | null;
  /** req, dealer, sub, pull: what every reply or message must be; null: no check */
  check: ContentCheck | null;
  /** sub, pull: where a foreign feed carries its sequence number; null: none */
  sequence: SequenceLocation | null;
  /** req send-twice / rep reply-first: break the REQ/REP order on purpose (B1); null: never */
  misuse: 'send-twice' | 'reply-first' | null;
  /** proxies only: the frontend's type and the capture socket; null for every other group */
  proxy: ProxyOf | null;
}

/** What a proxy group has beyond a stage's two sockets. */
export interface ProxyOf {
  /** xsub, router or pull (the backend, `Group.forward`, is its pair: xpub, dealer or push) */
  frontend: SocketType;
  /** pub or push: a copy of every message the proxy passes, both ways; null: none */
  capture: Forward | null;
}

/** The second socket of a stage (a forward: push or pub), a proxy's backend, or its capture socket. */
export interface Forward {
  type: SocketType;
  bind: string[];
  connect: string[];
  options: SocketOptions;
}

export type DelaySpec =
  | { kind: 'fixed'; ms: number }
  | { kind: 'uniform'; minMs: number; maxMs: number }
  | { kind: 'exponential'; meanMs: number };

export interface DelayPhase {
  /** end of the phase, ms after the start of measurement (cumulative); null = to the end. The last phase goes on after it anyway. */
  untilMs: number | null;
  spec: DelaySpec;
}

/** Processing time by phase; a fixed delay is one phase with untilMs null. */
export interface DelayModel {
  phases: DelayPhase[];
}

/** The receiver stops reading at atMs after the start of measurement, for forMs. */
export interface Pause {
  atMs: number;
  forMs: number;
}

/**
 * A rate that changes over time, per socket, timed from the start of measurement (warm-up
 * sends at its first rate: the ramp's `from`, the first step's, or the bursts themselves).
 */
export type RateShape =
  /** linear from fromPerSec to toPerSec over overMs, then toPerSec */
  | { kind: 'ramp'; fromPerSec: number; toPerSec: number; overMs: number }
  /** `size` messages as fast as possible at the start of every period of everyMs */
  | { kind: 'bursts'; size: number; everyMs: number }
  /** constant rates one after the other; the last one goes on to the end */
  | { kind: 'steps'; steps: RateStep[] };

export interface RateStep {
  /** messages per second per socket; null = as fast as possible */
  ratePerSec: number | null;
  /** how long the step lasts; null (the last step only) = to the end. The last step goes on after it anyway. */
  forMs: number | null;
}
