/**
 * The shape of result.json (documented field by field in docs/results.md).
 * Latency values are microseconds; counts are messages.
 */

export const RESULT_SCHEMA_VERSION = 1;

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
  /** one-way (push/pull, pub/sub) or round trip (req, dealer), measured phase only */
  latency: LatencySummary;
  /** what `latency` measures */
  latencyKind: 'one-way' | 'round-trip' | 'none' | 'mixed';
  /** HdrHistogram of `latency` in nanoseconds, compressed base64 (decodeFromCompressedBase64) */
  histogram: string;
}

export interface GroupResult extends FlowFigures {
  name: string;
  type: string;
  count: number;
  /** role that decides what the group's throughput counts */
  direction: 'sends' | 'receives' | 'round-trips' | 'relays';
  errors: string[];
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

export interface RunResult {
  schemaVersion: number;
  tool: { name: 'zmq-bench'; version: string };
  /** false when the run was interrupted or a role failed: figures cover what was measured */
  complete: boolean;
  /** why the run is not complete or not valid; empty when all went well */
  problems: string[];
  scenario: unknown;
  /** endpoint name → the addresses bound for it in this run */
  endpoints: Record<string, string[]>;
  environment: Environment;
  timing: RunTiming;
  totals: FlowFigures;
  groups: GroupResult[];
}
