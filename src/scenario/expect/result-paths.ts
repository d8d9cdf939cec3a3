/**
 * The numeric fields of result.json an `expect:` assertion may name, as one table of paths,
 * so a misspelt path is refused when the scenario is read instead of failing after the run.
 * A field added to RunResult becomes usable by adding a row here (a unit test walks a real
 * result and fails when a row that is not optional does not resolve to a number).
 */

import { closest } from '../problem-text.js';

export { closest };

/** flow: under `totals.` and `groups.<name>.`; group: under `groups.<name>.` only; top: from the root. */
export type FieldScope = 'flow' | 'group' | 'top';

export interface ResultField {
  /**
   * dot path below its scope: "loss.head" (flow, group) or "timing.measuredMs" (top); a
   * segment in <angle brackets> stands for any key, e.g. prefixes.counts.<prefix>
   */
  path: string;
  scope: FieldScope;
  doc: string;
  /** set when results may lack the field: which groups have it */
  optional?: string;
}

const SUMMARY_FIELDS: ReadonlyArray<[string, string]> = [
  ['count', 'samples'],
  ['min', 'smallest, µs'],
  ['mean', 'mean, µs'],
  ['p50', 'median, µs'],
  ['p90', '90th percentile, µs'],
  ['p99', '99th percentile, µs'],
  ['p999', '99.9th percentile, µs'],
  ['max', 'largest, µs'],
];

/** The eight fields of a LatencySummary under `prefix`. */
function summaryRows(prefix: string, scope: FieldScope, what: string, optional?: string): ResultField[] {
  return SUMMARY_FIELDS.map(([name, doc]) => ({
    path: `${prefix}.${name}`,
    scope,
    doc: `${what}: ${doc}`,
    ...(optional ? { optional } : {}),
  }));
}

const REQ_ONLY = 'req groups only';
const SENDERS_ONLY = 'sender groups only (pub, xpub, push, req, dealer, radio, a pair sender)';
const PREFIXES_ONLY = 'sub groups with subscription prefixes, and dish groups';
const MANY_SOCKETS = 'groups of more than one socket';
const MANY_SOURCES = 'receiving groups that read more than one sending socket';
const FOREIGN_ONLY = "groups that received messages without zmq-bench's header";
const NETWORK_FAULTS_ONLY = 'scenarios with a partition or cut in events';
const SEQUENCE_ONLY = 'groups with `sequence` that received a foreign feed';
const WELCOMED_ONLY = 'sub and xsub groups in a scenario with an xpub welcome message';
const XPUB_ONLY = 'xpub groups';
const COUNTED_PROXIES = 'proxy groups whose engine reads their counters (native)';

const PROXY_SIDE_FIELDS: ReadonlyArray<[string, string]> = [
  ['framesReceived', 'frames it received'],
  ['bytesReceived', 'bytes it received'],
  ['framesSent', 'frames it sent'],
  ['bytesSent', 'bytes it sent'],
];

/** The counters of a proxy's two sides over one span (total or measured), as libzmq's proxy counts them. */
function proxyRows(span: 'total' | 'measured', what: string): ResultField[] {
  return (['frontend', 'backend'] as const).flatMap((side) =>
    PROXY_SIDE_FIELDS.map(([name, doc]) => ({
      path: `proxy.${span}.${side}.${name}`,
      scope: 'group' as const,
      doc: `a proxy's ${side}, ${what}: ${doc} (a two-frame message counts 2)`,
      optional: COUNTED_PROXIES,
    })),
  );
}

export const RESULT_FIELDS: readonly ResultField[] = [
  // FlowFigures: totals and every group
  { path: 'sent', scope: 'flow', doc: 'data messages sent, whole run' },
  { path: 'received', scope: 'flow', doc: 'data messages received, duplicates included, whole run' },
  { path: 'expected', scope: 'flow', doc: 'messages that should have arrived at the receivers' },
  { path: 'lost', scope: 'flow', doc: 'loss.head + loss.midstream + loss.tail' },
  { path: 'loss.head', scope: 'flow', doc: 'lost before the first message that arrived (slow joiner)' },
  { path: 'loss.midstream', scope: 'flow', doc: 'gaps between messages that arrived (HWM drops)' },
  { path: 'loss.tail', scope: 'flow', doc: 'sent after the last message that arrived' },
  { path: 'duplicates', scope: 'flow', doc: 'sequence numbers that arrived twice' },
  { path: 'reordered', scope: 'flow', doc: 'messages that arrived after a higher sequence number' },
  { path: 'misrouted', scope: 'flow', doc: 'replies that came back to another socket than the asker' },
  { path: 'throughput.msgsPerSec', scope: 'flow', doc: 'messages per second, measured phase' },
  { path: 'throughput.bytesPerSec', scope: 'flow', doc: 'data-frame bytes per second, measured phase' },
  ...summaryRows('latency', 'flow', 'latency from the intended send time'),
  ...summaryRows('latencyFromSend', 'flow', 'latency from the actual send time'),
  // GroupResult only
  { path: 'count', scope: 'group', doc: 'sockets in the group' },
  { path: 'blocked.ms', scope: 'group', doc: 'ms sends waited on a full queue, measured phase' },
  { path: 'blocked.share', scope: 'group', doc: 'blocked.ms as a share of measured time × sockets (0 to 1)' },
  { path: 'notSent', scope: 'group', doc: 'sends given up after giveUpAfter (whenBlocked: give-up)' },
  { path: 'drained.messages', scope: 'group', doc: 'messages that arrived after the senders stopped' },
  { path: 'drained.ms', scope: 'group', doc: 'ms from the stop to the last of them' },
  {
    path: 'firstMessageMs',
    scope: 'group',
    doc: "ms from the start command to the group's first data message (B2)",
    optional: 'groups that received something (not pub or push)',
  },
  { path: 'requests.stalled', scope: 'group', doc: 'requests still waiting for a reply at the end', optional: REQ_ONLY },
  { path: 'requests.stalledMs', scope: 'group', doc: 'longest of those waits, ms', optional: REQ_ONLY },
  { path: 'requests.retries', scope: 'group', doc: 'lazy-pirate resends after a timeout', optional: REQ_ONLY },
  { path: 'requests.recovered', scope: 'group', doc: 'requests answered after at least one retry', optional: REQ_ONLY },
  { path: 'requests.abandoned', scope: 'group', doc: 'requests given up after the last retry', optional: REQ_ONLY },
  { path: 'requests.recoveryMs', scope: 'group', doc: 'longest time from a first timeout to the reply, ms', optional: REQ_ONLY },
  ...summaryRows('sendLag.summary', 'group', 'send lag (actual minus intended send time)', SENDERS_ONLY),
  {
    path: 'prefixes.counts.<prefix>',
    scope: 'group',
    doc: 'messages whose first frame starts with the prefix (a key: counts["news."])',
    optional: PREFIXES_ONLY,
  },
  { path: 'prefixes.unmatched', scope: 'group', doc: 'messages that matched no prefix', optional: PREFIXES_ONLY },
  {
    path: 'refusedSends.<code>',
    scope: 'group',
    doc: 'out-of-order sends made on purpose (misuse, B1) by the error they got, e.g. refusedSends.EFSM',
    optional: 'req and rep groups with misuse',
  },
  {
    path: 'perSocket.counts.<socket>',
    scope: 'group',
    doc: 'messages received (sent, for groups that only send) by one socket, e.g. perSocket.counts["workers[0]"]',
    optional: MANY_SOCKETS,
  },
  {
    path: 'perSocket.maxShare',
    scope: 'group',
    doc: "the busiest socket's share of the group's messages (1/n = even, 1 = one took all)",
    optional: MANY_SOCKETS,
  },
  {
    path: 'perSocket.maxDeviation',
    scope: 'group',
    doc: "largest distance of a socket's count from the mean, over the mean (0 = even)",
    optional: MANY_SOCKETS,
  },
  {
    path: 'perSource.counts.<socket>',
    scope: 'group',
    doc: 'messages received from one sending socket, e.g. perSource.counts["pushers[1]"]',
    optional: MANY_SOURCES,
  },
  { path: 'perSource.maxShare', scope: 'group', doc: "the largest source's share of what the group received", optional: MANY_SOURCES },
  {
    path: 'perSource.maxDeviation',
    scope: 'group',
    doc: "largest distance of a source's count from the mean, over the mean (0 = fair)",
    optional: MANY_SOURCES,
  },
  { path: 'content.messages', scope: 'group', doc: "messages without zmq-bench's header, measured phase", optional: FOREIGN_ONLY },
  { path: 'content.checked', scope: 'group', doc: "messages the group's check looked at", optional: FOREIGN_ONLY },
  { path: 'content.mismatched', scope: 'group', doc: 'messages that failed the check', optional: FOREIGN_ONLY },
  ...['min', 'mean', 'max', 'total'].map((k) => ({
    path: `content.bytes.${k}`,
    scope: 'group' as const,
    doc: `bytes per message, all frames: ${k}`,
    optional: FOREIGN_ONLY,
  })),
  ...summaryRows('content.interArrival', 'group', 'time between arrivals', FOREIGN_ONLY),
  { path: 'content.sequence.first', scope: 'group', doc: 'first feed sequence number read (-1: none)', optional: SEQUENCE_ONLY },
  { path: 'content.sequence.last', scope: 'group', doc: 'last feed sequence number read (-1: none)', optional: SEQUENCE_ONLY },
  { path: 'content.sequence.missing', scope: 'group', doc: 'feed sequence numbers skipped', optional: SEQUENCE_ONLY },
  { path: 'content.sequence.gaps', scope: 'group', doc: "jumps in the feed's sequence", optional: SEQUENCE_ONLY },
  { path: 'content.sequence.backwards', scope: 'group', doc: 'feed numbers repeated or out of order', optional: SEQUENCE_ONLY },
  { path: 'content.sequence.unreadable', scope: 'group', doc: 'messages whose feed number could not be read', optional: SEQUENCE_ONLY },
  { path: 'welcomes', scope: 'group', doc: 'xpub welcome messages received (not counted as data)', optional: WELCOMED_ONLY },
  { path: 'subscriptions.subscribe', scope: 'group', doc: 'subscription messages (byte 1) the xpub sockets read', optional: XPUB_ONLY },
  { path: 'subscriptions.unsubscribe', scope: 'group', doc: 'unsubscription messages (byte 0) they read', optional: XPUB_ONLY },
  { path: 'subscriptions.other', scope: 'group', doc: 'messages they read that are neither', optional: XPUB_ONLY },
  {
    path: 'subscriptions.prefixes.<prefix>',
    scope: 'group',
    doc: 'subscriptions to one prefix, e.g. subscriptions.prefixes.news (the empty prefix: prefixes[""])',
    optional: XPUB_ONLY,
  },
  ...proxyRows('total', 'whole run'),
  ...proxyRows('measured', 'measured phase'),
  // RunResult
  {
    path: 'wire.<endpoint>.bytesSent',
    scope: 'top',
    doc: 'bytes the binding side of an endpoint sent on its tcp connections (kernel counters)',
    optional: 'tcp runs on a machine with ss',
  },
  {
    path: 'wire.<endpoint>.bytesReceived',
    scope: 'top',
    doc: 'bytes the binding side of an endpoint received on its tcp connections',
    optional: 'tcp runs on a machine with ss',
  },
  {
    path: 'wire.<endpoint>.connections',
    scope: 'top',
    doc: 'established tcp connections counted on that side',
    optional: 'tcp runs on a machine with ss',
  },
  ...(
    [
      ['detectedMs', 'ms from the fault to the first disconnect either group saw (null, so not a number, when never noticed)'],
      ['recoveredMs', 'ms from the heal to the first message received again (null when none came)'],
      ['queuedMax', 'most messages in flight towards the pair until traffic came back'],
      ['lostMeanwhile', 'messages lost in that time'],
    ] as const
  ).map(([name, doc]) => ({
    path: `networkFaults.<n>.${name}`,
    scope: 'top' as const,
    doc: `the n-th partition or cut of the scenario's events (from 0, in their order): ${doc}`,
    optional: NETWORK_FAULTS_ONLY,
  })),
  { path: 'timing.measureStartMs', scope: 'top', doc: 'start of the measured phase, ms since the run started' },
  { path: 'timing.measureEndMs', scope: 'top', doc: 'end of the measured phase, ms since the run started' },
  { path: 'timing.measuredMs', scope: 'top', doc: 'length of the measured phase, ms' },
  { path: 'timing.warmupMs', scope: 'top', doc: 'warm-up asked for, ms' },
  { path: 'timing.drainedMs', scope: 'top', doc: 'time receivers were given to drain, ms' },
  { path: 'timing.totalMs', scope: 'top', doc: 'the whole run, ms' },
];

const NAME = /^(?:[A-Za-z_][A-Za-z0-9_-]*|0|[1-9][0-9]*)$/;
const NAME_AT = /[A-Za-z_][A-Za-z0-9_-]*|0|[1-9][0-9]*/y;
const KEY_AT = /\["(?:[^"\\]|\\.)*"\]/y;
export const PATH_EXAMPLE = 'groups.subscribers.loss.head';

/**
 * "groups.subs.loss.head" → its segments, or what is wrong. Group names cannot contain dots
 * (the scenario's name pattern) so they never need quoting; keys that are not names, such as
 * subscription prefixes, are written as JSON strings in brackets: prefixes.counts["news."].
 */
export function parsePath(text: string): string[] | string {
  const bad = `"${text}" is not a path: expected names joined by dots, such as ${PATH_EXAMPLE} (other keys in brackets: counts["news."])`;
  const segments: string[] = [];
  let i = 0;
  for (;;) {
    NAME_AT.lastIndex = i;
    const name = NAME_AT.exec(text);
    if (!name) return bad;
    segments.push(name[0]);
    i += name[0].length;
    for (let key = keyAt(text, i); key !== undefined; key = keyAt(text, i)) {
      if (key.value === undefined) return bad;
      segments.push(key.value);
      i += key.length;
    }
    if (i === text.length) return segments;
    if (text[i] !== '.') return bad;
    i++;
  }
}

/** A ["..."] at i: its key (undefined when the escapes are not JSON) and its length; undefined when there is none. */
function keyAt(text: string, i: number): { value: string | undefined; length: number } | undefined {
  KEY_AT.lastIndex = i;
  const m = KEY_AT.exec(text);
  if (!m) return undefined;
  try {
    const value: unknown = JSON.parse(m[0].slice(1, -1));
    return { value: typeof value === 'string' ? value : undefined, length: m[0].length };
  } catch {
    return { value: undefined, length: m[0].length };
  }
}

/** Segments back to the written form: names joined by dots, other keys in brackets. */
export function pathText(segments: readonly string[]): string {
  return segments.map((s, i) => (!NAME.test(s) ? `[${JSON.stringify(s)}]` : i === 0 ? s : `.${s}`)).join('');
}

export interface PathTarget {
  field: ResultField;
  /** the group named, or null for totals and top-level fields */
  group: string | null;
}

const GROUP_SCOPES: readonly FieldScope[] = ['flow', 'group'];
const TOTALS_SCOPES: readonly FieldScope[] = ['flow'];

/** The table row a path names, or a message (without location) saying what is wrong with it. */
export function lookupResultPath(segments: readonly string[], groups: readonly string[]): PathTarget | string {
  const text = pathText(segments);
  const [root, name] = segments;
  if (root === 'groups') {
    if (segments.length < 3) return `"${text}" needs a group name and a field, such as ${PATH_EXAMPLE}`;
    if (!groups.includes(name!)) {
      const hint = closest(name!, groups);
      return `no group "${name}"${hint ? `; did you mean ${hint}?` : `; the groups are ${groups.join(', ')}`}`;
    }
    const field = findField(segments.slice(2), GROUP_SCOPES, text, 'a group');
    return typeof field === 'string' ? field : { field, group: name! };
  }
  if (root === 'totals') {
    if (segments.length < 2) return `"${text}" needs a field, such as totals.lost`;
    const rest = segments.slice(1);
    if (RESULT_FIELDS.some((f) => f.scope === 'group' && startsWith(f.path.split('.'), rest))) {
      const restText = pathText(rest);
      return `"${text}": ${restText} is a figure of each group, not of totals; use groups.<name>.${restText}`;
    }
    const field = findField(rest, TOTALS_SCOPES, text, 'totals');
    return typeof field === 'string' ? field : { field, group: null };
  }
  const field = findField(segments, ['top'], text, 'the result');
  if (typeof field !== 'string') return { field, group: null };
  // an unknown root: say where paths may start, and suggest across every full path
  const known = RESULT_FIELDS.filter((f) => f.scope === 'top').map((f) => f.path);
  if (known.some((k) => k.startsWith(`${root}.`))) return field;
  const hint = closest(text, [...known, ...RESULT_FIELDS.filter((f) => f.scope === 'flow').map((f) => `totals.${f.path}`)]);
  return `"${text}" is not a field of the result; paths start with groups.<name>., totals., timing. or networkFaults.<n>.${hint ? `; did you mean ${hint}?` : ''}`;
}

const isWildcard = (pattern: string) => pattern.startsWith('<');

/** Does `segments` begin with every segment of `prefix`, a <key> in the pattern matching any key? */
function startsWith(pattern: readonly string[], prefix: readonly string[]): boolean {
  return prefix.length <= pattern.length && prefix.every((s, i) => pattern[i] === s || isWildcard(pattern[i]!));
}

function findField(rest: readonly string[], scopes: readonly FieldScope[], text: string, owner: string): ResultField | string {
  const rows = RESULT_FIELDS.filter((f) => scopes.includes(f.scope));
  const exact = rows.find((f) => f.path.split('.').length === rest.length && startsWith(f.path.split('.'), rest));
  if (exact) return exact;
  const below = rows.filter((f) => startsWith(f.path.split('.'), rest)).map((f) => f.path);
  if (below.length > 0) return `"${text}" is an object, not a number; use ${orList(below)}`;
  const hint = closest(
    pathText(rest),
    rows.filter((f) => !f.path.includes('<')).map((f) => f.path),
  );
  if (hint) return `"${text}" is not a field of ${owner}; did you mean ${hint}?`;
  return `"${text}" is not a field of ${owner}; the fields are ${outline(rows)} (docs/results.md)`;
}

/** "sent, lost, loss.*, latency.*": every field once, objects by their first name. */
function outline(rows: readonly ResultField[]): string {
  const names = rows.map((f) => (f.path.includes('.') ? `${f.path.slice(0, f.path.indexOf('.'))}.*` : f.path));
  return [...new Set(names)].join(', ');
}

function orList(items: readonly string[]): string {
  return items.length === 1 ? items[0]! : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/** Every full path the table allows for these groups: for docs, completion and tests. */
export function allResultPaths(groups: readonly string[]): string[] {
  return RESULT_FIELDS.flatMap((f) => {
    if (f.scope === 'top') return [f.path];
    const inGroups = groups.map((g) => `groups.${g}.${f.path}`);
    return f.scope === 'flow' ? [`totals.${f.path}`, ...inGroups] : inGroups;
  });
}
