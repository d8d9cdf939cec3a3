import type { GroupResult, HostResult, RunResult } from '../core/types.js';

/**
 * What a run with hosts (run --agents) says about them, the same in every reporter: where each
 * host is and how its clock relates to the coordinator's, and which groups measured one-way
 * latency across hosts, whose figures are only as good as the clock offsets.
 */

/** ms with 3 decimals, signed: "+0.412", "-1.250", "0.000". */
export function signedMs(ms: number): string {
  const r = Math.round(ms * 1000) / 1000;
  return `${r > 0 ? '+' : r < 0 ? '-' : ''}${Math.abs(r).toFixed(3)}`;
}

/** "± 0.031 ms" */
export function withinMs(ms: number): string {
  return `± ${(Math.round(ms * 1000) / 1000).toFixed(3)} ms`;
}

/** A host's clock: "clock offset +0.412 ± 0.031 ms", or that it is the coordinator's own. */
export function clockText(h: HostResult): string {
  return h.clock ? `clock offset ${signedMs(h.clock.offsetMs)} ${withinMs(h.clock.uncertaintyMs)}` : "the coordinator's clock";
}

/** "a · node-1 · tcp://198.18.0.2:7000 · clock offset +0.412 ± 0.031 ms" */
export function hostLine(h: HostResult): string {
  return `${h.label} · ${h.facts.hostname} · ${h.agent} · ${clockText(h)}`;
}

/** One "hosts:" line per host of the run; none for a run without hosts. */
export function hostNotes(r: RunResult): string[] {
  return (r.hosts ?? []).map((h) => `hosts: ${hostLine(h)}`);
}

/** The groups whose latency is one-way across hosts, each with its clocks' uncertainty. */
export function acrossHosts(groups: readonly GroupResult[]): Array<{ name: string; ms: number }> {
  return groups.flatMap((g) => (g.clockUncertaintyMs === undefined ? [] : [{ name: g.name, ms: g.clockUncertaintyMs }]));
}

/** One line per group whose one-way latency crossed hosts. */
export function clockNotes(groups: readonly GroupResult[]): string[] {
  return acrossHosts(groups).map(
    (g) => `latency of ${g.name} is one-way across hosts: right within ${withinMs(g.ms)} (clock offsets estimated)`,
  );
}

/** Why a figure carries "± x ms (clocks)": for a tooltip. */
export function clockExplanation(ms: number): string {
  return (
    'One-way latency across hosts: the send time was read on one host and the arrival on another, ' +
    "both put on the coordinator's clock by offsets estimated over the control connection (NTP-style), " +
    `so these figures are right only within ${withinMs(ms)}.`
  );
}
