/**
 * Every live metric of a run: name, type, unit, labels and meaning, in one list that the
 * Prometheus endpoint and the OTLP exporter both read (docs/metrics.md describes the same list).
 * Names are Prometheus names without the `_total` a counter gets there; OTLP uses them as they are.
 */

export type MetricType = 'counter' | 'gauge' | 'histogram';

export interface MetricDefinition {
  name: string;
  type: MetricType;
  /** UCUM, as OpenTelemetry wants it ('s', 'By', '{message}'); Prometheus carries it in the name */
  unit: string;
  /** labels beyond the run's own (scenario, variant, run) */
  labels: readonly string[];
  help: string;
}

/** Every series carries these: the scenario's name, the variant (suite entry or matrix combination) and which repeat. */
export const RUN_LABELS = ['scenario', 'variant', 'run'] as const;
const GROUP = ['group', 'engine', 'host'] as const;

/**
 * Latency and send-lag bucket bounds in seconds: 1-2.5-5 per decade from 1 µs to 10 s, so
 * histogram_quantile() is within a bucket's width of result.json's percentiles (which come from
 * the HDR histogram: use those for exact figures).
 */
export const LATENCY_BUCKETS_S: readonly number[] = [
  1e-6, 2.5e-6, 5e-6, 1e-5, 2.5e-5, 5e-5, 1e-4, 2.5e-4, 5e-4, 1e-3, 2.5e-3, 5e-3, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];

const define = (name: string, type: MetricType, unit: string, labels: readonly string[], help: string): MetricDefinition => ({
  name: `zmq_bench_${name}`,
  type,
  unit,
  labels,
  help,
});

export const METRICS = {
  sent: define('messages_sent', 'counter', '{message}', GROUP, 'Data messages sent, whole run (result.json groups[].sent)'),
  received: define(
    'messages_received',
    'counter',
    '{message}',
    GROUP,
    'Data messages received, duplicates included, whole run (result.json groups[].received)',
  ),
  lost: define(
    'messages_lost',
    'counter',
    '{message}',
    [...GROUP, 'loss'],
    'Messages lost by class (head, midstream, tail): during the run every gap seen so far counts as midstream, at the end result.json groups[].loss',
  ),
  notSent: define(
    'messages_not_sent',
    'counter',
    '{message}',
    GROUP,
    'Sends given up at the high-water mark (whenBlocked: give-up), whole run (result.json groups[].notSent)',
  ),
  blocked: define(
    'send_blocked_seconds',
    'counter',
    's',
    GROUP,
    'Time sends waited on a full queue in the measured phase, summed over the group sockets (result.json groups[].blocked.ms)',
  ),
  throughput: define(
    'throughput_messages_per_second',
    'gauge',
    '{message}/s',
    GROUP,
    "Messages per second the group's direction counts: the last sample interval's rate during the run, result.json groups[].throughput.msgsPerSec at the end",
  ),
  inFlight: define(
    'in_flight_messages',
    'gauge',
    '{message}',
    GROUP,
    'Messages sent towards the group that it has neither received nor seen as a gap, at the last sample',
  ),
  latency: define(
    'latency_seconds',
    'histogram',
    's',
    [...GROUP, 'kind'],
    'Latency from the intended send time (one-way or round-trip, as kind says), measured phase (result.json groups[].histogram)',
  ),
  sendLag: define(
    'send_lag_seconds',
    'histogram',
    's',
    GROUP,
    'Send lag of sender groups: actual send start minus its intended time, measured phase (result.json groups[].sendLag.histogram)',
  ),
  loopDelayP99: define(
    'worker_event_loop_delay_p99_seconds',
    'gauge',
    's',
    ['worker', ...GROUP],
    "A worker's event-loop delay p99 over the last sample interval",
  ),
  loopDelayMax: define(
    'worker_event_loop_delay_max_seconds',
    'gauge',
    's',
    ['worker', ...GROUP],
    "A worker's longest event-loop delay in the last sample interval",
  ),
  heapUsed: define('worker_heap_used_bytes', 'gauge', 'By', ['worker', ...GROUP], "A worker's V8 heap in use, at the last sample"),
  heapTotal: define(
    'worker_heap_total_bytes',
    'gauge',
    'By',
    ['worker', ...GROUP],
    "A worker's V8 heap held, used or not, at the last sample",
  ),
  kernelQueue: define(
    'kernel_queue_bytes',
    'gauge',
    'By',
    ['endpoint', 'side', 'direction'],
    "Bytes in the kernel's socket queues of a tcp endpoint's connections (side bind or connect, direction send or recv), at the last sample",
  ),
  faults: define(
    'fault_events',
    'counter',
    '{event}',
    ['action', 'target', 'outcome', 'host'],
    'Fault events carried out (outcome done) or failed (outcome failed), by action (result.json timeline)',
  ),
  socketEvents: define(
    'socket_events',
    'counter',
    '{event}',
    ['group', 'event', 'host'],
    'ZeroMQ socket monitor events (connect, disconnect, accept, handshake, ...) by group (result.json timeline)',
  ),
  phase: define(
    'run_phase',
    'gauge',
    '1',
    ['phase'],
    'The phase the run is in (1; every other phase 0): set-up, barrier, measure, stop, drain, finish, then done once the figures are result.json',
  ),
  measured: define('measured_seconds', 'gauge', 's', [], 'Measured time so far (result.json timing.measuredMs at the end)'),
} as const satisfies Record<string, MetricDefinition>;

export type MetricKey = keyof typeof METRICS;

/** The name Prometheus shows: counters end in _total. */
export function prometheusName(d: MetricDefinition): string {
  return d.type === 'counter' ? `${d.name}_total` : d.name;
}
