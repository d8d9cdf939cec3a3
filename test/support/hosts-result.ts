import type { HostResult, RunResult } from '../../src/core/types.js';
import { group, LAT, pipeline } from './sample-result.js';

/**
 * The sample pipeline as a run with hosts would write it (run --agents a=…,b=…), made by
 * hand: producers on agent a, the workers spread over a and b, a sink left on the
 * coordinator's host. The workers' and the sink's one-way latency crossed hosts.
 */

export const HOST_A: HostResult = {
  label: 'a',
  agent: 'tcp://198.18.0.2:7000',
  address: '198.18.0.2',
  facts: { ...pipeline().environment, hostname: 'rack1-node7', cores: 16, totalMemoryBytes: 64 * 2 ** 30, libzmq: '4.3.4' },
  clock: { offsetMs: 0.4123, uncertaintyMs: 0.021, rttMs: 0.042, samples: 16 },
};

export const HOST_B: HostResult = {
  label: 'b',
  agent: 'tcp://198.18.0.3:7000',
  address: '198.18.0.3',
  facts: { ...pipeline().environment, hostname: 'rack2-node3', cores: 8, totalMemoryBytes: 32 * 2 ** 30 },
  clock: { offsetMs: -1.25, uncertaintyMs: 0.02, rttMs: 0.04, samples: 16 },
};

export function hostsPipeline(): RunResult {
  const r = pipeline({
    scenario: {
      name: 'pipeline-hosts',
      transport: 'tcp',
      hosts: [{ label: 'a' }, { label: 'b' }],
      topology: {
        endpoints: ['work', 'results'],
        groups: [
          { name: 'producers', type: 'push', count: 2, host: 'a', bind: 'work', rate: 1000, size: 64 },
          { name: 'workers', type: 'pull', count: 4, host: ['a', 'b'], connect: 'work', forward: { type: 'push', connect: 'results' } },
          { name: 'sink', type: 'pull', bind: 'results' },
        ],
      },
    },
    endpoints: { work: ['tcp://198.18.0.2:40001'], results: ['tcp://198.18.0.1:40002'] },
    hosts: [HOST_A, HOST_B],
    timeline: [
      { tMs: -20, kind: 'socket', group: 'workers', instance: 1, host: 'b', event: 'connect', address: 'tcp://198.18.0.2:40001' },
      { tMs: -19, kind: 'socket', group: 'producers', instance: 0, host: 'a', event: 'accept', address: 'tcp://198.18.0.2:40001' },
    ],
  });
  r.groups[0]!.host = 'a';
  r.groups[1]!.host = ['a', 'b'];
  r.groups[1]!.clockUncertaintyMs = 0.041;
  r.groups.push(
    group(
      { name: 'sink', type: 'pull', direction: 'receives', clockUncertaintyMs: 0.021 },
      { received: 9_800, expected: 9_800, latency: LAT, latencyKind: 'one-way' },
    ),
  );
  return r;
}
