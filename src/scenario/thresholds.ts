import { isOneWaySender, isSender, SENDER_TYPES, type GroupType, type PairSide } from './schema/basics.js';

/**
 * Thresholds in k6's grammar: `metric{group:NAME}: ["p(99) < 2ms", ...]`. This module knows
 * the metrics, reads an expression into a number in the metric's unit, and says exactly what
 * is wrong with one that cannot be read. Judging a result against them is src/ci/.
 */

/** trend: a distribution (p(N), avg, min, max, med); rate: a fraction (rate); counter: a count (count). */
export type MetricKind = 'trend' | 'rate' | 'counter';
/** what a value is written in: a time (us/ms/s), msgs/s (k/s, M/s), a fraction (%), or a count */
export type MetricUnit = 'time' | 'throughput' | 'fraction' | 'count';
/** which groups a metric means something for */
export type MetricScope = 'any' | 'senders' | 'receivers' | 'requesters';

export interface MetricInfo {
  kind: MetricKind;
  unit: MetricUnit;
  scope: MetricScope;
  description: string;
}

export const METRICS = {
  latency: { kind: 'trend', unit: 'time', scope: 'any', description: 'one-way or round-trip latency, measured phase' },
  latency_from_send: {
    kind: 'trend',
    unit: 'time',
    scope: 'any',
    description: 'the same latency measured from the actual send time instead of the intended one',
  },
  send_lag: { kind: 'trend', unit: 'time', scope: 'senders', description: 'actual send time minus the scheduled one' },
  throughput: {
    kind: 'trend',
    unit: 'throughput',
    scope: 'any',
    description: 'msgs/s: avg over the measured phase; min, max, med, p(N) over the sample intervals',
  },
  loss_rate: { kind: 'rate', unit: 'fraction', scope: 'receivers', description: 'lost / expected' },
  blocked_rate: { kind: 'rate', unit: 'fraction', scope: 'senders', description: 'share of the measured time sends waited on full queues' },
  lost: { kind: 'counter', unit: 'count', scope: 'receivers', description: 'messages lost' },
  sent: { kind: 'counter', unit: 'count', scope: 'senders', description: 'messages sent' },
  received: { kind: 'counter', unit: 'count', scope: 'receivers', description: 'messages received' },
  duplicates: { kind: 'counter', unit: 'count', scope: 'receivers', description: 'messages received more than once' },
  reordered: { kind: 'counter', unit: 'count', scope: 'receivers', description: 'messages received out of order' },
  not_sent: { kind: 'counter', unit: 'count', scope: 'senders', description: 'messages given up after the send timeout' },
  stalled: { kind: 'counter', unit: 'count', scope: 'requesters', description: 'requests still waiting for a reply at the end' },
  mismatched: {
    kind: 'counter',
    unit: 'count',
    scope: 'receivers',
    description: "replies or messages that failed the group's check (docs/external.md)",
  },
  feed_missing: {
    kind: 'counter',
    unit: 'count',
    scope: 'receivers',
    description: "numbers missing from an external feed's own sequence (groups with sequence)",
  },
  detect_ms: {
    kind: 'trend',
    unit: 'time',
    scope: 'any',
    description:
      'network faults (partition, cut): time until a socket of either group saw a disconnect; a fault never noticed fails the threshold',
  },
  recovery_ms: {
    kind: 'trend',
    unit: 'time',
    scope: 'any',
    description: 'network faults (partition, cut): time from the heal until messages arrived again (within one sample interval)',
  },
} as const satisfies Record<string, MetricInfo>;

export type MetricName = keyof typeof METRICS;
export const METRIC_NAMES = Object.keys(METRICS) as MetricName[];

export type Aggregation = { kind: 'p'; p: number } | { kind: 'avg' | 'min' | 'max' | 'med' | 'rate' | 'count' };
export type Operator = '<' | '<=' | '>' | '>=' | '==' | '!=';

export interface Threshold {
  /** the key as written, e.g. "latency{group:subscribers}" */
  key: string;
  metric: MetricName;
  /** null: the whole topology (the groups where messages end, as result.json's totals) */
  group: string | null;
  /** the expression as written */
  expression: string;
  aggregation: Aggregation;
  operator: Operator;
  /** in the metric's unit: µs for times, msgs/s, a fraction of 1, a count */
  value: number;
  abortOnFail: boolean;
  /** abortOnFail is not judged before this much measured time */
  delayAbortEvalMs: number;
}

const AGGREGATIONS: Record<MetricKind, string> = { trend: 'avg, min, max, med or p(N)', rate: 'rate', counter: 'count' };

export function aggregationText(a: Aggregation): string {
  return a.kind === 'p' ? `p(${a.p})` : a.kind;
}

const KEY = /^([a-z_]+)(?:\{group:([A-Za-z][A-Za-z0-9_-]*)\})?$/;
const EXPRESSION = /^(p\(\s*([0-9]+(?:\.[0-9]+)?)\s*\)|avg|min|max|med|rate|count)\s*(<=|>=|==|!=|<|>)\s*(.+)$/;

export interface ThresholdKey {
  metric: MetricName;
  group: string | null;
}

/** What a threshold needs to know of a group: its type, and for a pair its side. */
export interface GroupKind {
  type: GroupType;
  side: PairSide | null;
}

/** A key such as `latency{group:subscribers}`; a message (without path) when it cannot be used. */
export function parseThresholdKey(key: string, groups: ReadonlyMap<string, GroupKind>): ThresholdKey | string {
  const m = KEY.exec(key);
  if (!m) return `expected a metric name with an optional {group:NAME}, such as latency{group:subscribers}`;
  const metric = m[1]!;
  if (!(metric in METRICS)) return `unknown metric "${metric}"; expected one of ${METRIC_NAMES.join(', ')}`;
  const name = metric as MetricName;
  const group = m[2] ?? null;
  if (group === null) return { metric: name, group };
  const kind = groups.get(group);
  if (kind === undefined) return `no group "${group}"; the groups are ${[...groups.keys()].join(', ')}`;
  const scope = METRICS[name].scope;
  if (!inScope(scope, kind))
    return `${name} applies to ${SCOPE_TEXT[scope]}; "${group}" is a ${kind.type}${kind.side === null ? '' : ` ${kind.side}`} group`;
  return { metric: name, group };
}

function inScope(scope: MetricScope, { type, side }: GroupKind): boolean {
  switch (scope) {
    case 'any':
      return true;
    case 'senders':
      return isSender(type, side);
    case 'receivers':
      return !isOneWaySender(type, side);
    case 'requesters':
      return type === 'req';
  }
}

const SCOPE_TEXT: Record<MetricScope, string> = {
  any: 'every group',
  senders: `groups that send (${SENDER_TYPES.join(', ')}, and the sender of a pair)`,
  receivers: 'groups that receive (every type but pub, xpub, push and radio, and the receiver of a pair)',
  requesters: 'req groups',
};

const TIME_UNITS: Record<string, number> = { us: 1, µs: 1, ms: 1000, s: 1_000_000 };
const RATE_UNITS: Record<string, number> = { '/s': 1, 'k/s': 1000, 'M/s': 1_000_000 };
const COUNT_UNITS: Record<string, number> = { '': 1, k: 1000, M: 1_000_000 };

/** A value in the metric's unit, or what was expected. */
export function parseValue(text: string, unit: MetricUnit): number | string {
  const m = /^(-?[0-9]+(?:\.[0-9]+)?)\s*([a-zA-Zµ/%]*)$/.exec(text.trim());
  const number = m ? Number(m[1]) : Number.NaN;
  const suffix = m?.[2] ?? '';
  switch (unit) {
    case 'time':
      if (m && suffix in TIME_UNITS) return number * TIME_UNITS[suffix]!;
      return `"${text}" is not a time; expected a number with us, ms or s, such as 2ms`;
    case 'throughput':
      // msgs/s whether or not "/s" is written: "50k" reads as 50k/s
      if (m && suffix in RATE_UNITS) return number * RATE_UNITS[suffix]!;
      if (m && suffix in COUNT_UNITS) return number * COUNT_UNITS[suffix]!;
      return `"${text}" is not a rate; expected messages per second such as 50k/s, 1.5M/s or 800/s`;
    case 'fraction':
      if (m && suffix === '%') return number / 100;
      if (m && suffix === '' && number >= 0 && number <= 1) return number;
      return `"${text}" is not a fraction; expected a percentage such as 0.1% or a number from 0 to 1`;
    case 'count':
      if (m && suffix in COUNT_UNITS) return number * COUNT_UNITS[suffix]!;
      return `"${text}" is not a count; expected a number such as 0, 250 or 10k`;
  }
}

/** One expression of a metric, or what is wrong with it (without path). */
export function parseExpression(expression: string, metric: MetricName): Pick<Threshold, 'aggregation' | 'operator' | 'value'> | string {
  const m = EXPRESSION.exec(expression.trim());
  const info = METRICS[metric];
  if (!m) return `cannot read "${expression}": expected <aggregation> <operator> <value>, such as "${example(metric)}"`;
  const aggregation: Aggregation =
    m[2] !== undefined ? { kind: 'p', p: Number(m[2]) } : { kind: m[1] as 'avg' | 'min' | 'max' | 'med' | 'rate' | 'count' };
  const allowed =
    info.kind === 'trend'
      ? aggregation.kind !== 'rate' && aggregation.kind !== 'count'
      : aggregation.kind === (info.kind === 'rate' ? 'rate' : 'count');
  if (!allowed) return `"${aggregationText(aggregation)}" does not apply to ${metric}; use ${AGGREGATIONS[info.kind]}`;
  if (aggregation.kind === 'p' && !(aggregation.p > 0 && aggregation.p <= 100)) return `p(N) needs 0 < N <= 100, got p(${m[2]})`;
  const value = parseValue(m[4]!, info.unit);
  if (typeof value === 'string') return value;
  const operator = m[3] as Operator;
  const pointless = pointlessProblem(metric, operator, value);
  if (pointless) return `${metric} ${aggregationText(aggregation)} ${operator} ${m[4]!.trim()} ${pointless}`;
  return { aggregation, operator, value };
}

/**
 * "can never pass: …" or "can never fail: …" for a comparison that every possible figure
 * decides the same way (`avg < -1ms`, `count > -5`, `rate <= 1`); undefined for a useful one.
 * Every figure is >= 0; fractions are at most 1; counts are whole numbers.
 */
function pointlessProblem(metric: MetricName, operator: Operator, v: number): string | undefined {
  const unit = METRICS[metric].unit;
  const hi = unit === 'fraction' ? 1 : Infinity;
  const low = `${metric} is never negative`;
  const high = `${metric} is never more than 1 (100%)`;
  const whole = unit === 'count' && !Number.isInteger(v) ? `${metric} is a whole number` : undefined;
  const never = (what: 'pass' | 'fail', why: string) => `can never ${what}: ${why}`;
  switch (operator) {
    case '<':
      return v <= 0 ? never('pass', low) : v > hi ? never('fail', high) : undefined;
    case '<=':
      return v < 0 ? never('pass', low) : v >= hi ? never('fail', high) : undefined;
    case '>':
      return v >= hi ? never('pass', high) : v < 0 ? never('fail', low) : undefined;
    case '>=':
      return v > hi ? never('pass', high) : v <= 0 ? never('fail', low) : undefined;
    case '==':
      return v < 0 ? never('pass', low) : v > hi ? never('pass', high) : whole ? never('pass', whole) : undefined;
    case '!=':
      return v < 0 ? never('fail', low) : v > hi ? never('fail', high) : whole ? never('fail', whole) : undefined;
  }
}

function example(metric: MetricName): string {
  switch (METRICS[metric].unit) {
    case 'time':
      return 'p(99) < 2ms';
    case 'throughput':
      return 'avg >= 50k/s';
    case 'fraction':
      return 'rate < 0.1%';
    case 'count':
      return 'count == 0';
  }
}

export function compare(actual: number, operator: Operator, limit: number): boolean {
  switch (operator) {
    case '<':
      return actual < limit;
    case '<=':
      return actual <= limit;
    case '>':
      return actual > limit;
    case '>=':
      return actual >= limit;
    case '==':
      return actual === limit;
    case '!=':
      return actual !== limit;
  }
}
