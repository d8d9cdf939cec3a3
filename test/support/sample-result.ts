import type { FlowFigures, GroupResult, LatencySummary, RunResult } from '../../src/core/types.js';

/** RunResults made by hand for the reporters' unit tests (integration tests use real runs). */

export const NO_LATENCY: LatencySummary = { count: 0, mean: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0, min: 0 };

export function flow(f: Partial<FlowFigures>): FlowFigures {
  return {
    sent: 0,
    received: 0,
    expected: 0,
    lost: 0,
    loss: { head: 0, midstream: 0, tail: 0 },
    duplicates: 0,
    reordered: 0,
    misrouted: 0,
    throughput: { msgsPerSec: 0, bytesPerSec: 0 },
    latency: NO_LATENCY,
    latencyKind: 'none',
    histogram: '',
    latencyFromSend: NO_LATENCY,
    histogramFromSend: '',
    ...f,
  };
}

export function group(g: Partial<GroupResult> & Pick<GroupResult, 'name' | 'type' | 'direction'>, f: Partial<FlowFigures>): GroupResult {
  return {
    count: 1,
    engine: 'zeromq.js',
    errors: [],
    blocked: { ms: 0, share: 0 },
    notSent: 0,
    drained: { messages: 0, ms: 0 },
    options: {},
    ...flow(f),
    ...g,
  };
}

export const LAT: LatencySummary = { count: 9_800, mean: 120, p50: 85.04, p90: 150, p99: 210.4, p999: 900, max: 1_234.5, min: 20 };

/** A push → pull pipeline: 10,000 sent, 9,800 received, 200 lost at the tail. */
export function pipeline(over: Partial<RunResult> = {}): RunResult {
  return {
    schemaVersion: 1,
    tool: { name: 'zmq-bench', version: '0.1.0' },
    complete: true,
    problems: [],
    scenario: { name: 'pipeline', transport: 'tcp' },
    endpoints: { work: ['tcp://127.0.0.1:5555'] },
    environment: {
      node: 'v20.0.0',
      zeromqJs: '6.8.0',
      libzmq: '4.3.5',
      cpuModel: 'test',
      cores: 2,
      totalMemoryBytes: 1,
      os: 'Linux',
      arch: 'x64',
      hostname: 'h',
    },
    timing: {
      startedAt: '2024-01-01T00:00:00.000Z',
      measureStartMs: 1000,
      measureEndMs: 6000,
      measuredMs: 5000,
      warmupMs: 1000,
      drainedMs: 10,
      totalMs: 6100,
    },
    totals: flow({
      sent: 10_000,
      received: 9_800,
      expected: 10_000,
      lost: 200,
      loss: { head: 0, midstream: 0, tail: 200 },
      duplicates: 1,
      throughput: { msgsPerSec: 1_960, bytesPerSec: 125_440 },
      latency: LAT,
      latencyKind: 'one-way',
    }),
    groups: [
      group(
        { name: 'producers', type: 'push', count: 2, direction: 'sends' },
        { sent: 10_000, throughput: { msgsPerSec: 2_000, bytesPerSec: 128_000 } },
      ),
      group(
        { name: 'workers', type: 'pull', count: 4, direction: 'receives' },
        {
          received: 9_800,
          expected: 10_000,
          lost: 200,
          loss: { head: 0, midstream: 0, tail: 200 },
          duplicates: 1,
          throughput: { msgsPerSec: 1_960, bytesPerSec: 125_440 },
          latency: LAT,
          latencyKind: 'one-way',
        },
      ),
    ],
    ...over,
  };
}

/** The pipeline with its producers on the native engine, and the libzmq file that engine loaded. */
export function mixedEngines(over: Partial<RunResult> = {}): RunResult {
  const r = pipeline(over);
  r.groups[0]!.engine = 'native';
  r.environment.nativeEngine = { library: '/opt/zeromq/build/Release/addon.node', libzmq: '4.3.5' };
  return r;
}
