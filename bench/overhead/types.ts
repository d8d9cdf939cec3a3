import type { BareTransport } from '../bare/common.js';

/**
 * One run's figures, the same for every side (bare zeromq.js, zmq-bench on either engine, C).
 * push-pull: `perSec` is messages received per second of the measured time; p50Us/p99Us null.
 * req-rep: `perSec` is round trips per second; p50Us/p99Us the round trip percentiles, µs.
 */
export interface Measurement {
  perSec: number;
  p50Us: number | null;
  p99Us: number | null;
}

/** One side of a case: each round's run in order (null where it failed), and the median of each figure. */
export interface Side {
  median: Measurement;
  runs: Array<Measurement | null>;
}

/** One side over another, round by round (e.g. round i of zmq-bench against round i of bare). */
export interface Ratio {
  /** the figure compared: perSec (push-pull throughput) or p50Us / p99Us (req-rep round trip) */
  figure: 'perSec' | 'p50Us' | 'p99Us';
  /** median of the per-round ratios */
  median: number;
  /** spread: the smallest and largest per-round ratio */
  min: number;
  max: number;
  pairs: number[];
}

export interface Goal {
  text: string;
  met: boolean;
}

export interface CaseSpec {
  pattern: 'push-pull' | 'req-rep';
  transport: BareTransport;
  sizeBytes: number;
}

export interface OverheadCase extends CaseSpec {
  /** the bare zeromq.js loop (bench/bare/) */
  bare: Side;
  /**
   * the measuring floor: the bare loop plus the per-message work any harness needs to measure
   * what zmq-bench measures (bench/bare/measuring.ts)
   */
  floor: Side;
  /** zmq-bench on the shipped scenario, zeromq.js engine (totals.throughput.msgsPerSec, totals.latency.p50/p99) */
  harness: Side;
  /** the same scenario on the native engine; null when that engine is not available */
  nativeEngine: Side | null;
  /** the C loop (bench/native/zmqperf.c) in every round; null when it could not be built */
  c: Side | null;
  /** floor / bare and zmq-bench / floor: throughput (push-pull) or round-trip p50 (req-rep) */
  floorRatio: Ratio | null;
  harnessToFloor: Ratio | null;
  /**
   * push-pull: zmq-bench/bare throughput (1 = as fast as bare, higher is better);
   * req-rep: zmq-bench/bare round-trip p50 (1 = as fast, lower is better).
   */
  ratio: Ratio | null;
  /** req-rep only: the same for p99 (for information; there is no goal on it) */
  ratioP99: Ratio | null;
  /** the zeromq.js engine's goal (issue 8), judged on ratio.median */
  goal: Goal;
  /** native engine / C: throughput, or round-trip p50 */
  nativeToC: Ratio | null;
  /** native engine / zeromq.js engine: throughput (how many times faster), or round-trip p50 */
  nativeToHarness: Ratio | null;
  /** the native engine's goals (issue 19), judged on the medians; empty when it did not run */
  nativeGoals: Goal[];
  /** runs that failed (their round's ratios do not count; the other rounds still do) */
  errors: string[];
}

export interface OverheadReport {
  environment: {
    node: string;
    /** the zeromq.js both bare and zmq-bench use, and the libzmq bundled with it */
    zeromqJs: string;
    libzmq: string;
    /** the libzmq the native engine loaded (file and version); null when it did not run */
    nativeEngine: { library: string; libzmq: string } | null;
    /** the system libzmq the C loop ran against; null when it did not run */
    cLibzmq: string | null;
    cpu: string;
    cores: number;
    os: string;
    /** os.loadavg() when the run started: other work on the machine skews every figure */
    loadAverage: number[];
  };
  settings: { durationMs: number; warmupMs: number; repeats: number };
  startedAt: string;
  elapsedMs: number;
  cases: OverheadCase[];
  /** why a side did not run at all (`c`, `nativeEngine`), and C runs that failed */
  skipped: { c?: string; nativeEngine?: string };
}
