import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { MessagePort } from 'node:worker_threads';
import { offsetClock, sleep } from '../core/clock.js';
import { messageOf } from '../core/errors.js';
import type { Command, Notice, Reply, SocketEventRecord, WorkerInit, WorkerMessage } from '../protocol/control.js';
import { PROTOCOL_VERSION } from '../protocol/control.js';
import { engineNamed, nativeEngine } from '../engine/current.js';
import { createRole } from '../roles/registry.js';
import { SocketFailure, type RoleHost, type SocketRole } from '../roles/role.js';
import { SAMPLE_WAITS_FOR_REPLIES_MS, roundTripsSettled } from './round-trips-settled.js';
import { createRecordingHistogram, enableWasmHistograms, encodeHistogram, releaseHistogram } from '../stats/histogram.js';

/**
 * Worker entry (a piscina task that lives for the whole run): hosts the roles of one slot
 * and obeys the coordinator's commands on `port`. It never gets terminated with sockets
 * open (that aborts the process, trap 7): `finish` closes every socket, and
 * only then does the task return.
 */
export default async function runWorker({ port, init }: { port: MessagePort; init: WorkerInit }): Promise<void> {
  if (init.protocolVersion !== PROTOCOL_VERSION)
    throw new Error(`protocol ${init.protocolVersion} not understood (worker speaks ${PROTOCOL_VERSION})`);
  // Before any role or histogram is built; JS histograms if WebAssembly cannot start here.
  await enableWasmHistograms();
  const post = (m: WorkerMessage) => port.postMessage(m);
  const notify = (n: Notice) => post(n);
  const socketEvents: SocketEventRecord[] = [];
  const clock = offsetClock(init.clockOffsetNs ?? 0n);
  const host: RoleHost = {
    clock,
    engine: engineNamed('zeromq.js'),
    notify,
    warmup: init.warmup,
    intervalHistogram: createRecordingHistogram(),
    intervalFromSendHistogram: createRecordingHistogram(),
    intervalSendLagHistogram: createRecordingHistogram(),
    socketEvent: (roleId, event, address) => {
      // Bounded: a peer that stays down retries every 100 ms; the newest events matter most.
      if (socketEvents.length >= MAX_BUFFERED_SOCKET_EVENTS) socketEvents.shift();
      socketEvents.push({ tNs: String(clock.nowNs()), roleId, event, address });
    },
  };
  // koffi is loaded only here, in a thread with a native role
  if (init.nativeContext !== undefined && init.roles.some((r) => r.engine === 'native')) nativeEngine().adoptContext(init.nativeContext);
  // each role drives its sockets with its group's engine; the rest of the host is shared
  const roles: SocketRole[] = init.roles.map((plan) =>
    createRole(plan, plan.engine === host.engine.name ? host : { ...host, engine: engineNamed(plan.engine) }),
  );
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  const context: WorkerContext = { slot: init.slot, group: init.roles[0]?.group ?? '', roles, host, loopDelay, socketEvents };

  await new Promise<void>((resolve) => {
    port.on('message', (command: Command) => {
      handle(command, context)
        .then((reply) => {
          post(reply);
          if (command.kind === 'finish') resolve();
        })
        .catch((e: unknown) => {
          notify({ kind: 'role-error', roleId: -1, message: problemOf(e, init.slot, command.kind) });
          post({ kind: 'ok', id: command.id });
          if (command.kind === 'finish') resolve();
        });
    });
  });
  loopDelay.disable();
  port.close();
  // No command can come in any more: free the WASM memory (a thread may host several runs).
  releaseHistogram(host.intervalHistogram);
  releaseHistogram(host.intervalFromSendHistogram);
  releaseHistogram(host.intervalSendLagHistogram);
}

/** One problem line: a socket's failure names itself; anything else is the worker's and the command's. */
function problemOf(e: unknown, slot: number, kind: Command['kind']): string {
  return e instanceof SocketFailure ? e.message : `worker ${slot} ${kind}: ${messageOf(e)}`;
}

interface WorkerContext {
  slot: number;
  group: string;
  roles: SocketRole[];
  host: RoleHost;
  loopDelay: ReturnType<typeof monitorEventLoopDelay>;
  socketEvents: SocketEventRecord[];
}

const MAX_BUFFERED_SOCKET_EVENTS = 10_000;

async function handle(command: Command, context: WorkerContext): Promise<Reply> {
  const { id } = command;
  const { roles } = context;
  switch (command.kind) {
    case 'bind': {
      const settled = await Promise.allSettled(roles.map((r) => r.bind(command.addresses[r.plan.roleId] ?? {})));
      const failed = settled.flatMap((b) => (b.status === 'rejected' ? [b.reason as unknown] : []));
      // a line for every socket that could not bind; the first is thrown, as any failed command
      for (const e of failed.slice(1))
        context.host.notify({ kind: 'role-error', roleId: -1, message: problemOf(e, context.slot, command.kind) });
      if (failed.length > 0) throw failed[0];
      return { kind: 'bound', id, addresses: settled.flatMap((b) => (b.status === 'fulfilled' ? b.value : [])) };
    }
    case 'dial':
      for (const r of roles) r.dial(command.addresses);
      return { kind: 'ok', id };
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
      await roundTripsSettled(roles, SAMPLE_WAITS_FOR_REPLIES_MS);
      // a proxy reads libzmq's counters for the sample (each role bounds its own wait)
      await Promise.all(roles.map((r) => r.refreshCounters()));
      return sample(id, context);
    case 'fault': {
      const role = roles.find((r) => r.plan.roleId === command.roleId);
      if (!role) throw new Error(`no role ${command.roleId} here`);
      if (command.action === 'kill') await role.crash();
      else if (command.action === 'stop') role.stopEarly();
      else role.setPaused(command.what, command.action === 'pause');
      return { kind: 'ok', id };
    }
    case 'restart': {
      const role = roles.find((r) => r.plan.roleId === command.roleId);
      if (!role) throw new Error(`no role ${command.roleId} here`);
      await role.revive(command.bind, command.connect);
      return { kind: 'ok', id };
    }
    case 'finish': {
      const reports = await Promise.all(roles.map((r) => r.finish()));
      await releaseReceivedMessages();
      return { kind: 'results', id, reports };
    }
  }
}

/**
 * zeromq.js receives messages over 128 bytes without copying; such a Buffer releases its
 * message when it is garbage-collected. Over inproc that message is the *sender's* buffer,
 * whose release is handed back to the sending thread's zeromq module: if that thread has
 * already been torn down, the heap is corrupted (measured: glibc aborts in the next run of
 * the same process). So every worker collects its garbage at finish, while all threads of
 * the run are still alive, and gives the finalizers a turn of the event loop to run.
 */
async function releaseReceivedMessages(): Promise<void> {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  for (let i = 0; i < 2; i++) {
    gc();
    await yieldToLoop();
  }
}

/** Cumulative counters of this worker's roles, and what happened since the last sample. */
function sample(id: number, { slot, group, roles, host, loopDelay, socketEvents }: WorkerContext): Reply {
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
  const histogramFromSend = host.intervalFromSendHistogram.totalCount > 0 ? encodeHistogram(host.intervalFromSendHistogram) : '';
  host.intervalFromSendHistogram.reset();
  const sendLagHistogram = host.intervalSendLagHistogram.totalCount > 0 ? encodeHistogram(host.intervalSendLagHistogram) : '';
  host.intervalSendLagHistogram.reset();
  const reply: Reply = {
    kind: 'sample',
    id,
    slot,
    group,
    counters,
    streamsSent: roles.flatMap((r) => r.streamsSent()),
    histogram,
    histogramFromSend,
    sendLagHistogram,
    eventLoopDelayP99Ms: loopDelay.percentile(99) / 1e6,
    eventLoopDelayMaxMs: loopDelay.max / 1e6,
    ...heapBytes(),
    socketEvents: socketEvents.splice(0),
  };
  loopDelay.reset();
  return reply;
}

/** This thread's V8 heap: what is in use, and what V8 has taken for it (young generation included). */
function heapBytes(): { heapUsedBytes: number; heapTotalBytes: number } {
  const h = getHeapStatistics();
  return { heapUsedBytes: h.used_heap_size, heapTotalBytes: h.total_heap_size };
}
