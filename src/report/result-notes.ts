import type { FlowFigures, GroupResult, RunResult } from '../core/types.js';
import { formatBytes, formatCount, formatLatencyUs, formatPercent } from '../core/format.js';
import { hasLatency } from '../results/facts.js';

/**
 * What a RunResult says in words, the same in every reporter: notes on latency kinds, loss,
 * blocking and content, and its problems.
 */

export const KIND_TEXT: Record<FlowFigures['latencyKind'], string> = {
  'one-way': 'one-way',
  'round-trip': 'round trip',
  mixed: 'mixed',
  none: '',
};

/** Which groups' latency is one-way and which is a round trip: the columns do not say. */
export function latencyNote(groups: readonly GroupResult[]): string | undefined {
  const byKind = new Map<string, string[]>();
  for (const g of groups) {
    if (!hasLatency(g)) continue;
    const kind = KIND_TEXT[g.latencyKind];
    byKind.set(kind, [...(byKind.get(kind) ?? []), g.name]);
  }
  if (byKind.size === 0) return undefined;
  const parts = [...byKind].map(([kind, names]) => `${kind} (${names.join(', ')})`);
  return `latency: ${parts.join('; ')}`;
}

/**
 * Latency from the intended send time vs from the actual send: a p99 more than 10% apart means
 * the sender fell behind its schedule, so the coordinated-omission-corrected figure is the
 * larger. False when either was not measured (results written before latencyFromSend existed).
 */
export function fromSendDiffers(g: FlowFigures): boolean {
  const fromSend = g.latencyFromSend as FlowFigures['latencyFromSend'] | undefined;
  if (!hasLatency(g) || !fromSend || fromSend.count === 0) return false;
  return Math.abs(g.latency.p99 - fromSend.p99) > 0.1 * fromSend.p99;
}

/** One line for the groups whose latency from the actual send differs notably; undefined when none does. */
export function fromSendNote(groups: readonly GroupResult[]): string | undefined {
  const parts = groups
    .filter(fromSendDiffers)
    .map((g) => `${g.name} p50 ${formatLatencyUs(g.latencyFromSend.p50)}, p99 ${formatLatencyUs(g.latencyFromSend.p99)}`);
  if (parts.length === 0) return undefined;
  return `latency from the actual send: ${parts.join('; ')} (the schedule fell behind: see send lag)`;
}

/** A first message this long after the start is worth a note even in a bind-first run. */
export const FIRST_MESSAGE_NOTABLE_MS = 100;

/**
 * Notes on loss, blocking, requests, foreign content and draining, one line each; and the time
 * to the first message (B2) when the run started connect-first (`start`, as in the scenario) or
 * a group's first message came notably late.
 */
export function groupNotes(groups: readonly GroupResult[], start?: string): string[] {
  const lines: string[] = [];
  for (const g of groups) {
    if (g.lost > 0) {
      const { head, midstream, tail } = g.loss;
      lines.push(`loss in ${g.name}: head ${formatCount(head)}, midstream ${formatCount(midstream)}, tail ${formatCount(tail)}`);
    }
    if (g.misrouted > 0) lines.push(`misrouted replies in ${g.name}: ${formatCount(g.misrouted)}`);
    if (g.blocked.ms > 0) {
      lines.push(
        `blocked in ${g.name}: sends waited ${formatLatencyUs(g.blocked.ms * 1000)} on full queues (${formatPercent(g.blocked.share)} of the measured time)`,
      );
    }
    if (g.notSent > 0) lines.push(`not sent by ${g.name}: ${formatCount(g.notSent)} given up after the send timeout`);
    if (g.requests && (g.requests.stalled > 0 || g.requests.retries > 0 || g.requests.abandoned > 0)) {
      const q = g.requests;
      lines.push(
        `requests of ${g.name}: ${formatCount(q.stalled)} stalled` +
          (q.stalled > 0 ? ` (the longest for ${formatLatencyUs(q.stalledMs * 1000)})` : '') +
          `, ${formatCount(q.retries)} retries, ${formatCount(q.recovered)} recovered` +
          (q.recovered > 0 ? ` (within ${formatLatencyUs(q.recoveryMs * 1000)})` : '') +
          `, ${formatCount(q.abandoned)} abandoned`,
      );
    }
    lines.push(...contentNotes(g), ...xpubNotes(g));
    // a feed we did not start goes on after measurement: what came later is not "drained"
    const feed = g.sent === 0 && g.content !== undefined;
    if (g.drained.messages > 0 && !feed) {
      lines.push(
        `drained by ${g.name}: ${formatCount(g.drained.messages)} arrived after the senders stopped, the last ${formatLatencyUs(g.drained.ms * 1000)} after`,
      );
    }
  }
  const firsts = groups.flatMap((g) => (g.firstMessageMs === undefined ? [] : [{ name: g.name, ms: g.firstMessageMs }]));
  if (firsts.length > 0 && (start === 'connect-first' || firsts.some((f) => f.ms >= FIRST_MESSAGE_NOTABLE_MS))) {
    const why = start === 'connect-first' ? ' (connect-first: the connecting sockets connected before the binds)' : '';
    lines.push(`first message after the start: ${firsts.map((f) => `${f.name} ${formatLatencyUs(f.ms * 1000)}`).join(', ')}${why}`);
  }
  return lines;
}

/** A proxy's traffic (frames, as libzmq counts them), the subscriptions an xpub read, and welcome messages. */
export function xpubNotes(g: GroupResult): string[] {
  const lines: string[] = [];
  const p = g.proxy;
  if (p) {
    const t = p.total;
    lines.push(
      t
        ? `proxy ${g.name} (${p.frontend}→${p.backend}): frontend received ${formatCount(t.frontend.framesReceived)} frames and sent ${formatCount(t.frontend.framesSent)}, backend sent ${formatCount(t.backend.framesSent)} and received ${formatCount(t.backend.framesReceived)} (libzmq's counters, whole run)`
        : `proxy ${g.name} (${p.frontend}→${p.backend}): zeromq.js's Proxy cannot be asked what it passed (engine: native can); the receivers behind it count loss and latency`,
    );
  }
  const q = g.subscriptions;
  if (q) {
    const prefixes = Object.entries(q.prefixes).map(([prefix, n]) => `${JSON.stringify(prefix)} ${formatCount(n)}`);
    lines.push(
      `subscriptions read by ${g.name}: ${formatCount(q.subscribe)} subscribe (${prefixes.join(', ') || 'none'}), ${formatCount(q.unsubscribe)} unsubscribe` +
        (q.other > 0 ? `, ${formatCount(q.other)} other` : ''),
    );
  }
  if (g.welcomes !== undefined && g.welcomes > 0) lines.push(`welcome messages received by ${g.name}: ${formatCount(g.welcomes)}`);
  return lines;
}

/** What a group saw of messages from a service zmq-bench did not start (docs/external.md). */
export function contentNotes(g: GroupResult): string[] {
  const lines: string[] = [];
  const c = g.content;
  if (c) {
    if (c.messages > 0) {
      lines.push(
        `${g.name} received ${formatCount(c.messages)} messages without zmq-bench's header: ${formatBytes(c.bytes.min)}–${formatBytes(c.bytes.max)} (mean ${formatBytes(c.bytes.mean)}), ` +
          `${formatLatencyUs(c.interArrival.p50)} apart at the median, ${formatLatencyUs(c.interArrival.p99)} at p99`,
      );
    }
    if (c.checked > 0) {
      const examples = c.mismatchExamples.length > 0 ? `; first: ${c.mismatchExamples.join(', ')}` : '';
      lines.push(
        `check of ${g.name}: ${formatCount(c.checked - c.mismatched)} of ${formatCount(c.checked)} passed, ${formatCount(c.mismatched)} mismatched${examples}`,
      );
    }
    const q = c.sequence;
    if (q) {
      lines.push(
        q.first < 0
          ? `sequence of ${g.name}: none read (${formatCount(q.unreadable)} unreadable)`
          : `sequence of ${g.name}: ${q.first}…${q.last}, ${formatCount(q.missing)} missing in ${formatCount(q.gaps)} gaps, ${formatCount(q.backwards)} repeated or out of order` +
              (q.unreadable > 0 ? `, ${formatCount(q.unreadable)} unreadable` : ''),
      );
    }
  }
  if (g.prefixes) {
    const counts = Object.entries(g.prefixes.counts).map(([p, n]) => `${JSON.stringify(p)} ${formatCount(n)}`);
    lines.push(`per prefix in ${g.name}: ${counts.join(', ')}; matching none: ${formatCount(g.prefixes.unmatched)}`);
  }
  return lines;
}

/** The run's problems, then each group's errors not already among them. */
export function problemLines(r: RunResult): string[] {
  const seen = new Set(r.problems);
  const lines = [...r.problems];
  for (const g of r.groups) {
    for (const e of g.errors) {
      const line = `${g.name}: ${e}`;
      if (seen.has(e) || seen.has(line)) continue;
      seen.add(line);
      lines.push(line);
    }
  }
  return lines;
}

/** A partition's or cut's figures: when a socket noticed it, when traffic came back. */
export function networkFaultNote(e: {
  detectedMs?: number | null;
  recoveredMs?: number | null;
  queuedMax?: number;
  lostMeanwhile?: number;
}): string {
  if (e.detectedMs === undefined && e.recoveredMs === undefined) return '';
  const noticed = e.detectedMs == null ? 'never noticed' : `noticed after ${formatLatencyUs(e.detectedMs * 1000)}`;
  const back = e.recoveredMs == null ? 'no traffic after it' : `traffic back ${formatLatencyUs(e.recoveredMs * 1000)} after the heal`;
  const meanwhile =
    e.queuedMax === undefined ? '' : `; meanwhile up to ${formatCount(e.queuedMax)} in flight, ${formatCount(e.lostMeanwhile ?? 0)} lost`;
  return ` (${noticed}; ${back}${meanwhile})`;
}
