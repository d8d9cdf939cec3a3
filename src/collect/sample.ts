/**
 * One interval's figures as the coordinator samples them from its workers: the input of the time
 * series (collect/timeseries.ts) and of the live figures.
 */

/** One group's figures for one interval: deltas, except the gauge inFlight. */
export interface GroupSample {
  sent: number;
  received: number;
  /** the change of the open gaps (may be negative); result.json gets it settled by settleLossSeries */
  lost: number;
  notSent: number;
  blockedMs: number;
  /** gauge: value at the end of the interval */
  inFlight: number;
  /** encoded HDR histogram (ns) of this interval's latencies, '' if none */
  histogram: string;
  /** the same latencies from the actual send time (for thresholds judged during the run; not kept in the series); '' or absent if none */
  histogramFromSend?: string;
  /** senders: encoded HDR histogram (ns) of this interval's send lags; '' or absent if none */
  sendLagHistogram?: string;
}

/** Gauges: on merge, the worst delays and the later heap. */
export interface WorkerSample {
  eventLoopDelayP99Ms: number;
  eventLoopDelayMaxMs: number;
  heapUsedBytes: number;
  heapTotalBytes: number;
}

/** Gauges in bytes: on merge, the later. */
export interface KernelSample {
  bindSendQueue: number;
  bindRecvQueue: number;
  connectSendQueue: number;
  connectRecvQueue: number;
}

export interface Sample {
  /** END of the interval, ms since measurement started (negative during warm-up) */
  tMs: number;
  warmup: boolean;
  groups: Record<string, GroupSample>;
  workers: Record<string, WorkerSample>;
  kernel: Record<string, KernelSample>;
}
