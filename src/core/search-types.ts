/** result.json's `search`: a rate search of run --find-max-rate (docs/results.md "Search"). */

/** Why a rate search ended. */
export type SearchStop =
  /** the highest rate that held and the lowest that failed are within `precision` */
  | 'precision'
  /** the ceiling held: the topology sustains at least that */
  | 'ceiling'
  /** maxSteps steps ran */
  | 'max-steps'
  /** the first (lowest) rate already failed */
  | 'lowest-failed'
  /** Ctrl-C */
  | 'interrupted'
  /** a step could not run (its error is the step's reason) */
  | 'error'
  /** written while the search went on (after every step): a crash or a kill left it so */
  | 'unfinished';

/** The outcome of a rate search (run --find-max-rate, docs/scenarios.md "Rate discovery"). */
export interface SearchResult {
  /** the highest offered rate (msgs/s, in total over the searched groups' sockets) whose step held; null: none did */
  maxRate: number | null;
  /** the lowest offered rate above maxRate that failed; null: none failed above it */
  failedRate: number | null;
  stoppedBy: SearchStop;
  /** index into steps of the step whose figures the rest of result.json holds */
  resultStep: number;
  /** the settings the search ran with, defaults worked out */
  settings: {
    start: number;
    ceiling: number;
    factor: number;
    precision: number;
    stepMs: number;
    maxSteps: number;
    /** group → its share of the offered rate per socket (rate per socket = offered × share) */
    groups: Record<string, number>;
    maxLoss: number;
    maxShortfall: number;
    maxP99Ms: number | null;
    maxSendLagMs: number | null;
  };
  /** in the order they ran */
  steps: SearchStep[];
}

export interface SearchStep {
  /** offered msgs/s, in total over the searched groups' sockets */
  rate: number;
  /** the run was complete and its measurement valid */
  valid: boolean;
  /** valid, and every criterion and threshold held */
  passed: boolean;
  /**
   * achieved msgs/s in the offered rate's terms: what the receivers took per second, each message
   * sent counted once (a fan-out's copies once), the searched senders' share of it when others send too
   */
  throughput: number;
  /** latency p99 of the totals, µs; null when not measured (or of mixed kinds) */
  p99: number | null;
  lost: number;
  /** lost / expected */
  lossRate: number;
  /** the searched senders' send lag p99, µs; null when nothing was sent */
  sendLagP99: number | null;
  /** why the step failed: its problems (not valid), the criteria and thresholds that failed; empty when it held */
  reasons: string[];
  /** how long the step took, set-up and drain included */
  wallMs: number;
}
