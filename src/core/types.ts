import type { SearchResult } from './search-types.js';

export type { SearchResult, SearchStep, SearchStop } from './search-types.js';
export type { ProxyFigures, ProxySideTraffic, ProxyTraffic, SubscriptionFigures } from './proxy-types.js';
import type { ProxyFigures, SubscriptionFigures } from './proxy-types.js';

/**
 * The shape of result.json (documented field by field in docs/results.md).
 * Latency values are microseconds; counts are messages.
 */

export const RESULT_SCHEMA_VERSION = 1;

/** The first entry of `problems` when a run was stopped early (Ctrl-C): reporters look for it. */
export const INTERRUPTED_PROBLEM = 'interrupted: the run was stopped before it ended';

export interface LatencySummary {
  count: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
  min: number;
}

export interface LossBreakdown {
  /** lost before the first message that arrived (slow joiner) */
  head: number;
  /** gaps between messages that arrived */
  midstream: number;
  /** sent after the last message that arrived */
  tail: number;
}

export interface Throughput {
  msgsPerSec: number;
  bytesPerSec: number;
}

export interface FlowFigures {
  sent: number;
  received: number;
  /** messages that should have arrived at this group's receivers (sum over the streams they listen to) */
  expected: number;
  lost: number;
  loss: LossBreakdown;
  duplicates: number;
  reordered: number;
  /** replies that came back to a socket other than the one that asked (req/dealer) */
  misrouted: number;
  throughput: Throughput;
  /**
   * one-way (push/pull, pub/sub) or round trip (req, dealer), measured phase only, from the
   * intended send time (coordinated omission corrected: a sender behind its schedule shows here)
   */
  latency: LatencySummary;
  /** what `latency` measures */
  latencyKind: 'one-way' | 'round-trip' | 'none' | 'mixed';
  /** HdrHistogram of `latency` in nanoseconds, compressed base64 (decodeFromCompressedBase64) */
  histogram: string;
  /**
   * The same messages as `latency`, measured from the actual send time (the header's): what a
   * message experienced once sent. Below `latency` by the send lag when the sender fell behind.
   */
  latencyFromSend: LatencySummary;
  /** HdrHistogram of `latencyFromSend` in nanoseconds, compressed base64 */
  histogramFromSend: string;
}

/** REQ clients: what happened to their requests (B4, B5). */
export interface RequestFigures {
  /** requests still waiting for a reply at the end (a plain REQ whose server died waits for ever) */
  stalled: number;
  /** longest time one of them had waited, ms */
  stalledMs: number;
  /** resends after a timeout (lazy pirate) */
  retries: number;
  /** requests answered after at least one retry */
  recovered: number;
  /** requests given up after the last retry */
  abandoned: number;
  /** longest time from a request's first timeout to its reply, ms */
  recoveryMs: number;
}

/** A feed's own sequence numbers, read where the group's `sequence` says (docs/external.md). */
export interface FeedSequence {
  /** first and last sequence number read; -1 when none */
  first: number;
  last: number;
  /** numbers skipped: the sum of every jump above last + 1 */
  missing: number;
  /** jumps, however large */
  gaps: number;
  /** a number not above the highest so far: repeated or out of order */
  backwards: number;
  /** messages whose sequence number could not be read */
  unreadable: number;
}

/**
 * What a group saw of messages without zmq-bench's header, from a service it did not start
 * (docs/external.md).
 */
export interface ContentFigures {
  /** messages without zmq-bench's header in the measured phase */
  messages: number;
  /** messages the group's check looked at (whole run), and those that failed it */
  checked: number;
  mismatched: number;
  /** the first mismatching frames, described for people */
  mismatchExamples: string[];
  /** a foreign feed's own sequence numbers (groups with `sequence`); null otherwise */
  sequence: FeedSequence | null;
  /** bytes per message, all frames */
  bytes: { min: number; mean: number; max: number; total: number };
  /** µs between consecutive arrivals, over the group's sockets */
  interArrival: LatencySummary;
  interArrivalHistogram: string;
}

/** Messages per subscription prefix at a sub group (B8). */
export interface PrefixFigures {
  /** prefix → messages (whole run) whose first frame starts with it; a message counts under every prefix it matches */
  counts: Record<string, number>;
  /** messages that matched no prefix: a working filter lets none through */
  unmatched: number;
}

/** How evenly messages spread over sockets or sources (B9, B14, B15). */
export interface Spread {
  /** name[i] → messages */
  counts: Record<string, number>;
  /** the largest count over the total: 1/n when perfectly even, 1 when one took everything */
  maxShare: number;
  /** the largest distance of a count from the mean, over the mean (0 = perfectly even) */
  maxDeviation: number;
}

export interface GroupResult extends FlowFigures {
  name: string;
  type: string;
  count: number;
  /** the binding that drove the group's sockets: zeromq.js or native */
  engine: string;
  /** role that decides what the group's throughput counts */
  direction: 'sends' | 'receives' | 'round-trips' | 'relays';
  /** senders: time sends waited on a full queue in the measured phase, and its share of (measured time × sockets) */
  blocked: { ms: number; share: number };
  /** senders with whenBlocked: give-up: messages given up after the send timeout */
  notSent: number;
  /** receivers: messages that arrived after the senders stopped, and how long until the last one */
  drained: { messages: number; ms: number };
  /** socket options as the sockets report them after they were set (main socket, and forward) */
  options: Record<string, unknown>;
  /** req groups: stalled, retried, recovered and abandoned requests */
  requests?: RequestFigures;
  /**
   * Sender groups only (pub, push, req, dealer): send lag, the time each send actually started
   * minus its intended (paced) time, measured phase only. µs summary like `latency` and its
   * HdrHistogram in ns (compressed base64), merged over the group's sockets. ~0 when the
   * sender kept up (and always with `rate: max`); large when a full queue or a busy event loop
   * held it back, so the offered load was less than the scenario asked for.
   */
  sendLag?: { summary: LatencySummary; histogram: string };
  /** groups that received messages without zmq-bench's header: sizes, inter-arrival times, checks, a feed's gaps */
  content?: ContentFigures;
  /** sub groups with prefixes: messages per prefix */
  prefixes?: PrefixFigures;
  /** sub and xsub groups in a scenario with an xpub welcome message: welcome messages received (not counted as data) */
  welcomes?: number;
  /** xpub groups: the subscription messages they read */
  subscriptions?: SubscriptionFigures;
  /** proxy groups: sockets and traffic (sent, received and throughput count frames, both ways, when `proxy.counted`) */
  proxy?: ProxyFigures;
  /**
   * req and rep groups with `misuse` (B1): the sends made out of the REQ/REP order on purpose,
   * by the error code they got (EFSM: "operation cannot be accomplished in current state");
   * `accepted` counts any that went through
   */
  refusedSends?: Record<string, number>;
  /** groups of more than one socket: messages received (or, for groups that only send, sent) per socket, whole run */
  perSocket?: Spread;
  /** receiving groups that read more than one sending socket: messages per source socket, whole run */
  perSource?: Spread;
  /**
   * Time to the first message (B2): ms from the moment the coordinator told the senders to
   * start to the earliest first data message any socket of the group received (req/dealer:
   * the first reply), warm-up included, on the monotonic clock all threads and processes of
   * the host share. Absent when the group received nothing (pub and push groups never do).
   * Negative when a message came before the start (a feed zmq-bench did not start).
   */
  firstMessageMs?: number;
  /** scenarios with hosts: where the group's sockets ran (a list when spread over several) */
  host?: string | string[];
  /**
   * One-way latency measured across hosts: the send stamp is read on one host's clock and the
   * arrival on another's, both put on the coordinator's timeline by estimated offsets, so its
   * figures are right within ± this many ms (the two offsets' uncertainties added). Absent when
   * the latency is a round trip or every sender ran on the receiver's host.
   */
  clockUncertaintyMs?: number;
  errors: string[];
}

/** A host of a run with hosts: (run --agents): where it is, what it is, how its clock relates to the coordinator's. */
export interface HostResult {
  label: string;
  /** the agent's control address (tcp://host:port), or "local" for the coordinator's own host */
  agent: string;
  /** the IP the host's sockets bound */
  address: string;
  facts: Environment;
  /**
   * The host's monotonic clock minus the coordinator's, estimated NTP-style over the control
   * channel before the run (the smallest of 16 round trips): right within ± uncertaintyMs.
   * Its workers subtract it from every time they read. null on the coordinator's own host.
   */
  clock: { offsetMs: number; uncertaintyMs: number; rttMs: number; samples: number } | null;
}

export interface Environment {
  node: string;
  zeromqJs: string;
  libzmq: string;
  cpuModel: string;
  cores: number;
  totalMemoryBytes: number;
  os: string;
  arch: string;
  hostname: string;
  /** only when a group ran with the native engine: the libzmq file it loaded and that file's version */
  nativeEngine?: { library: string; libzmq: string };
}

export interface RunTiming {
  startedAt: string;
  /** measured phase, ms since the run started */
  measureStartMs: number;
  measureEndMs: number;
  measuredMs: number;
  warmupMs: number;
  drainedMs: number;
  totalMs: number;
}

/** What happened when, on one timeline: ms from the start of measurement. */
export type TimelineEntry =
  | {
      tMs: number;
      kind: 'fault';
      action: string;
      /** group, or group[i] for one socket */
      target: string;
      /** when the scenario asked for it */
      plannedMs: number;
      what?: string;
      /** the fault could not be carried out */
      error?: string;
      /** scenarios with hosts: the host label(s) of the sockets it hit, comma-separated */
      host?: string;
      /** partition and cut: ms from the fault to the first disconnect a socket of either group saw (before the heal); null: never noticed */
      detectedMs?: number | null;
      /** partition and cut: ms from the heal (a cut: from its first disconnect) to the first message either group received again, an upper bound within one sample interval; null: none came */
      recoveredMs?: number | null;
      /** partition and cut: the most messages in flight towards either group (sent, neither received nor known lost) from the fault until traffic came back, per time-series point */
      queuedMax?: number;
      /** partition and cut: messages either group lost in the time-series points from the fault until traffic came back (the end of the run when it never did) */
      lostMeanwhile?: number;
      /** network faults: ms it took to put the fault in place (or heal it) after tMs: nft, ss and tc commands, here and on agents */
      tookMs?: number;
    }
  | {
      tMs: number;
      kind: 'socket';
      group: string;
      instance: number;
      /** the host label the socket ran on (scenarios with hosts:) */
      host?: string;
      /** ZeroMQ socket monitor event: connect, disconnect, accept, handshake, connect:retry, handshake:error:* ... */
      event: string;
      address: string;
    };

/** One threshold of the scenario, judged on the run's figures (k6's grammar; see docs/ci.md). */
export interface ThresholdResult {
  /** the key as written: "latency" or "latency{group:subscribers}" */
  metric: string;
  /** as written: "p(99) < 2ms" */
  expression: string;
  /** the figure judged, in the metric's unit; null when there was nothing to judge (no samples) */
  actual: number | null;
  /** the limit, in the same unit */
  limit: number;
  /** µs for times, msgs/s, a fraction of 1, or a count */
  unit: 'us' | 'msgs/s' | 'fraction' | 'count';
  passed: boolean;
  abortOnFail: boolean;
  /** one line for people: "latency p(99) = 2.31ms, not < 2ms" */
  message: string;
}

/** Bytes on the binding side of an endpoint's tcp connections (kernel counters). */
export interface WireBytes {
  connections: number;
  bytesSent: number;
  bytesReceived: number;
}

export interface RunResult {
  schemaVersion: number;
  tool: { name: 'zmq-bench'; version: string };
  /** false when the run was interrupted or a role failed: figures cover what was measured */
  complete: boolean;
  /** why the run is not complete or not valid; empty when all went well */
  problems: string[];
  scenario: unknown;
  /**
   * The run's transport in one word: the one every endpoint used (inproc, ipc, tcp), or "mixed"
   * when endpoints used different ones (endpointTransports says which). Absent from results
   * written before endpoints had transports of their own: the scenario's `transport` then holds.
   */
  transport?: string;
  /** endpoint name → the addresses bound for it in this run */
  endpoints: Record<string, string[]>;
  /** endpoint name → the transport it ran over (its own, the scenario's, or an external address's scheme) */
  endpointTransports?: Record<string, string>;
  environment: Environment;
  timing: RunTiming;
  totals: FlowFigures;
  groups: GroupResult[];
  /** per-interval figures over the whole run (absent from results written without sampling) */
  timeseries?: TimeSeries;
  /** faults and socket events in time order (faults only when the scenario has events; socket events on tcp/ipc) */
  timeline?: TimelineEntry[];
  /** the scenario's thresholds, judged (absent when it has none) */
  thresholds?: ThresholdResult[];
  /** why the run stopped before its duration when a threshold with abortOnFail failed */
  abortedBy?: string;
  /**
   * tcp only: per endpoint, the bytes its binding side sent and received on its established
   * connections, from the kernel's TCP_INFO (`ss -ti`) at the end of measurement. Shows where
   * work happens: a PUB with filtered subscribers sends only what matches (B8). Absent without tcp or `ss`.
   */
  wire?: Record<string, WireBytes>;
  /** scenarios with hosts: each host of the run (run --agents binds labels to agents; the rest ran here) */
  hosts?: HostResult[];
  /** the name of the suite entry or variant this run belongs to (set by suites and --repeat) */
  variant?: string;
  /** the matrix values of this variant (present when the scenario ran as a matrix) */
  matrix?: Record<string, string | number | boolean>;
  /**
   * run --find-max-rate: every step of the rate search and its answer. The rest of the result is
   * the step at `maxRate` (or, when no step held, the first), as `resultStep` says.
   */
  search?: SearchResult;
}

/**
 * Figures per interval, columnar (one array per figure, index i = point i) to keep JSON small.
 * Every point covers `intervalMs`, except possibly the last, which may cover less (a run rarely
 * ends on a point boundary; compare t[last] - t[last - 1]). Counters are totals over the point;
 * gauges are the value at its end (event-loop delays: the worst in it).
 * A group/worker/endpoint absent from part of the run has zeros there.
 */
export interface TimeSeries {
  /** span of one point in ms: the sampling interval times the samples a point covers (doubled each time the series was merged) */
  intervalMs: number;
  points: number;
  /** present when the run outlasted its plan and points were merged: their latency p50/p99 and send lag p99 are upper bounds */
  percentilesUpperBound?: true;
  /** end of each point, ms since measurement started (negative during warm-up) */
  t: number[];
  /** true when the whole point lies in warm-up */
  warmup: boolean[];
  /** group name → its series */
  groups: Record<string, TimeSeriesGroup>;
  /** worker id → its series */
  workers: Record<string, TimeSeriesWorker>;
  /** endpoint name → kernel socket queues (bytes) */
  kernel: Record<string, TimeSeriesKernel>;
}

export interface TimeSeriesGroup {
  sent: number[];
  received: number[];
  /** lost, counted where the gap that stayed open was seen; adds up to the group's lost (see settleLossSeries) */
  lost: number[];
  notSent: number[];
  blockedMs: number[];
  /** gauge: messages in flight at the end of the point */
  inFlight: number[];
  /** µs, from the point's merged histogram; 0 where nothing was measured */
  latency: { p50: number[]; p99: number[]; max: number[] };
  /** µs, send lag p99 from the point's merged send-lag histogram; 0 where nothing was sent (and for groups that do not send) */
  sendLagP99: number[];
}

export interface TimeSeriesWorker {
  /** scenarios with hosts: the host label this worker ran on (absent on the coordinator's host) */
  host?: string;
  eventLoopDelayP99Ms: number[];
  eventLoopDelayMaxMs: number[];
  heapUsedBytes: number[];
  /** V8's heap held for the thread, used or not */
  heapTotalBytes: number[];
}

export interface TimeSeriesKernel {
  bindSendQueue: number[];
  bindRecvQueue: number[];
  connectSendQueue: number[];
  connectRecvQueue: number[];
}
