/**
 * A remote clock's offset, NTP-style: the coordinator sends t1 (its clock), the agent answers
 * with t2 (its clock), the answer arrives at t3. If the two legs took equal time, the agent's
 * clock minus ours is t2 - (t1 + t3) / 2; however the legs split, the truth lies within half
 * the round trip of that. The sample with the smallest round trip is the tightest, so it is
 * the one kept (its round trip was least delayed by queues and scheduling).
 */

export interface ClockSample {
  t1: bigint;
  t2: bigint;
  t3: bigint;
}

export interface ClockEstimate {
  /** the remote clock minus ours, ns */
  offsetNs: bigint;
  /** half the kept sample's round trip: the offset is right within ± this */
  uncertaintyNs: bigint;
  /** the kept sample's round trip */
  rttNs: bigint;
  samples: number;
}

export function estimateOffset(samples: readonly ClockSample[]): ClockEstimate {
  const valid = samples.filter((s) => s.t3 >= s.t1);
  if (valid.length === 0) throw new Error('no clock sample to estimate an offset from');
  let best = valid[0]!;
  for (const s of valid) if (s.t3 - s.t1 < best.t3 - best.t1) best = s;
  const rttNs = best.t3 - best.t1;
  // (t1 + t3) / 2 rounded down: one ns is far below the uncertainty
  return { offsetNs: best.t2 - (best.t1 + best.t3) / 2n, uncertaintyNs: (rttNs + 1n) / 2n, rttNs, samples: valid.length };
}
