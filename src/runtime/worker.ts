import { monitorEventLoopDelay } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';
import type { MessagePort } from 'node:worker_threads';
import { monotonicClock, sleep } from '../core/clock.js';
import { messageOf } from '../core/errors.js';
import type { Command, Notice, Reply, WorkerInit, WorkerMessage } from '../protocol/control.js';
import { PROTOCOL_VERSION } from '../protocol/control.js';
import { createRole } from '../roles/registry.js';
import type { RoleHost, SocketRole } from '../roles/role.js';
import { createLatencyHistogram, encodeHistogram } from '../stats/histogram.js';

/**
 * Worker entry (a piscina task that lives for the whole run): hosts the roles of one slot
 * and obeys the coordinator's commands on `port`. It never gets terminated with sockets
 * open (that aborts the process, ZEROMQ-NOTES trap 7): `finish` closes every socket, and
 * only then does the task return.
 */
export default async function runWorker({ port, init }: { port: MessagePort; init: WorkerInit }): Promise<void> {
  if (init.protocolVersion !== PROTOCOL_VERSION) throw new Error(`protocol ${init.protocolVersion} not understood (worker speaks ${PROTOCOL_VERSION})`);
  const post = (m: WorkerMessage) => port.postMessage(m);
  const notify = (n: Notice) => post(n);
  const host: RoleHost = { clock: monotonicClock, notify, warmup: init.warmup, intervalHistogram: createLatencyHistogram() };
  const roles: SocketRole[] = init.roles.map((plan) => createRole(plan, host));
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  const context: WorkerContext = { slot: init.slot, group: init.roles[0]?.group ?? '', roles, host, loopDelay };

  await new Promise<void>((resolve) => {
    port.on('message', (command: Command) => {
      handle(command, context)
        .then((reply) => {
          post(reply);
          if (command.kind === 'finish') resolve();
        })
        .catch((e: unknown) => {
          notify({ kind: 'role-error', roleId: -1, message: `worker ${init.slot} ${command.kind}: ${messageOf(e)}` });
          post({ kind: 'ok', id: command.id });
          if (command.kind === 'finish') resolve();
        });
    });
  });
  loopDelay.disable();
  port.close();
}

interface WorkerContext {
  slot: number;
  group: string;
  roles: SocketRole[];
  host: RoleHost;
  loopDelay: ReturnType<typeof monitorEventLoopDelay>;
}

async function handle(command: Command, context: WorkerContext): Promise<Reply> {
  const { id } = command;
  const { roles } = context;
  switch (command.kind) {
    case 'bind': {
      const bound = await Promise.all(roles.map((r) => r.bind(command.addresses[r.plan.roleId] ?? {})));
      return { kind: 'bound', id, addresses: bound.flat() };
    }
    case 'connect':
      for (const r of roles) r.connect(command.addresses);
      return { kind: 'ok', id };
    case 'await-barrier':
      while (roles.some((r) => r.barrierWaitingFor().length > 0)) await sleep(5);
      return { kind: 'ok', id };
    case 'start':
      for (const r of roles) r.begin();
      return { kind: 'ok', id };
    case 'measure':
      for (const r of roles) r.measure();
      return { kind: 'ok', id };
    case 'stop-senders': {
      for (const r of roles) r.sendersStopping();
      const lastSeqs = await Promise.all(roles.map((r) => r.stopSending(command.graceMs)));
      return { kind: 'senders-stopped', id, lastSeqs: lastSeqs.flat() };
    }
    case 'streams-ended':
      for (const r of roles) r.streamsEnded(command.lastSeqs);
      return { kind: 'ok', id };
    case 'status':
      return {
        kind: 'status',
        id,
        roles: roles.map((r) => ({ roleId: r.plan.roleId, received: r.receivedSoFar(), waiting: r.barrierWaitingFor() })),
      };
    case 'sample':
      return sample(id, context);
    case 'finish':
      return { kind: 'results', id, reports: await Promise.all(roles.map((r) => r.finish())) };
  }
}

/** Cumulative counters of this worker's roles, and what happened since the last sample. */
function sample(id: number, { slot, group, roles, host, loopDelay }: WorkerContext): Reply {
  const counters = { sent: 0, received: 0, lostKnown: 0, notSent: 0, blockedMs: 0 };
  for (const r of roles) {
    const c = r.counters();
    counters.sent += c.sent;
    counters.received += c.received;
    counters.lostKnown += c.lostKnown;
    counters.notSent += c.notSent;
    counters.blockedMs += c.blockedMs;
  }
  const histogram = host.intervalHistogram.totalCount > 0 ? encodeHistogram(host.intervalHistogram) : '';
  host.intervalHistogram.reset();
  const reply: Reply = {
    kind: 'sample',
    id,
    slot,
    group,
    counters,
    streamsSent: roles.flatMap((r) => r.streamsSent()),
    histogram,
    eventLoopDelayP99Ms: loopDelay.percentile(99) / 1e6,
    eventLoopDelayMaxMs: loopDelay.max / 1e6,
    heapUsedBytes: getHeapStatistics().used_heap_size,
  };
  loopDelay.reset();
  return reply;
}
