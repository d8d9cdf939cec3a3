import type { HostResult, RunResult } from '../../core/types.js';
import { DASH, formatBytes } from '../../core/format.js';
import { signedMs, withinMs } from '../host-notes.js';
import { html, table, type Cell, type SafeHtml } from './html.js';

/**
 * A run with hosts: one row per host (where it is, what it is, how its clock relates to the
 * coordinator's), then the coordinator itself, the clock every time was put on. Nothing for a
 * run without hosts.
 */

function clockCell(h: HostResult): Cell {
  if (!h.clock) return { text: "coordinator's clock", title: "runs on the coordinator's host: no offset to estimate" };
  const c = h.clock;
  return {
    text: `${signedMs(c.offsetMs)} ${withinMs(c.uncertaintyMs)}`,
    title:
      `this host's clock minus the coordinator's, from the fastest of ${c.samples} round trips over the control connection ` +
      `(${c.rttMs.toFixed(3)} ms); right within ${withinMs(c.uncertaintyMs)} (half that round trip)`,
  };
}

export function hostsSection(r: RunResult): SafeHtml | false {
  const hosts = r.hosts ?? [];
  if (hosts.length === 0) return false;
  const e = r.environment;
  const rows: Cell[][] = [
    ...hosts.map((h): Cell[] => [
      h.label,
      h.agent,
      h.address,
      h.facts.hostname,
      String(h.facts.cores),
      formatBytes(h.facts.totalMemoryBytes),
      h.facts.libzmq,
      clockCell(h),
    ]),
    ['(coordinator)', 'local', DASH, e.hostname, String(e.cores), formatBytes(e.totalMemoryBytes), e.libzmq, 'reference'],
  ];
  return html`<section class="card hosts"><h3>Hosts</h3>
${table(['host', 'agent', 'address', 'hostname', 'cores', 'memory', 'libzmq', 'clock offset (ms)'], rows, [false, false, false, false, true, true, false, true])}
<p class="muted">Times measured on a host are put on the coordinator's clock by its offset. One-way latency between two hosts is right only within the sum of their uncertainties.</p></section>`;
}
