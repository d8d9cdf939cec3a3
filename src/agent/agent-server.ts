import { invalidInput, messageOf } from '../core/errors.js';
import { monotonicClock } from '../core/clock.js';
import { formatDurationMs } from '../core/units.js';
import { engineNamed } from '../engine/current.js';
import {
  AGENT_PROTOCOL_VERSION,
  COORDINATOR_LOST_AFTER_MS,
  decodeToAgent,
  encodeAgentMessage,
  type FromAgent,
  type HostFacts,
  type ToAgent,
} from '../protocol/agent.js';
import type { Reply, WorkerInit } from '../protocol/control.js';
import { describeEnvironment } from '../runtime/environment.js';
import { ProcessWorkerHandle } from '../runtime/process-worker-handle.js';
import { ControlSocket } from '../runtime/remote/control-socket.js';
import { NetFaults, netFaultsSkipReason, type Applied } from '../transport/net-faults.js';

/** The agent's own CURVE keys and the one coordinator key it accepts. */
export interface AgentKeys {
  publicKey: string;
  secretKey: string;
  coordinatorPublicKey: string;
}

export interface AgentOptions {
  /** tcp://address:port of the control socket */
  listen: string;
  keys: AgentKeys | null;
  /** the IP the run's binding sockets bind on this host, and peers dial */
  advertise: string;
  log: (line: string) => void;
  /** aborting ends the agent (its run's processes first) */
  signal: AbortSignal;
  /** started before the control socket binds, when keys are given: only the coordinator's key gets in (ZAP) */
  authenticate?: (allowed: string[], log: (line: string) => void) => Promise<{ stop(): Promise<void> }>;
}

/** One coordinator's run on this agent. */
interface Session {
  identity: Buffer;
  runId: string;
  lastHeardMs: number;
  workers: Map<number, ProcessWorkerHandle>;
  /** network faults on this host, made at the coordinator's word (one nft table for the session) */
  netFaults: NetFaults | null;
  healers: Map<string, Applied>;
}

const WATCH_EVERY_MS = 500;

/**
 * `zmq-bench agent`: a long-running process that runs a coordinator's groups on this host. Its
 * control socket is a ROUTER (a CURVE server when keys are given); one coordinator at a time.
 * Each slot of the run becomes a child process (the same child-main.js as placement: process),
 * whose worker messages are relayed both ways unchanged. A coordinator silent for 5 s is given
 * up: its processes are killed, and the agent waits for the next one.
 */
export async function runAgent(options: AgentOptions): Promise<void> {
  const { log } = options;
  const zap = options.keys && options.authenticate ? await options.authenticate([options.keys.coordinatorPublicKey], log) : null;
  const socket = engineNamed('zeromq.js').open({
    type: 'router',
    options: {},
    curve: options.keys ? { as: 'server', secretKey: options.keys.secretKey } : null,
  });
  const control = new ControlSocket(socket, (line) => log(line));
  const facts: HostFacts = { ...describeEnvironment(), address: options.advertise, pid: process.pid };
  let session: Session | null = null;

  const send = (identity: Buffer, m: FromAgent) => control.send([identity, encodeAgentMessage(m)]);
  const endSession = (why: string) => {
    if (session === null) return;
    const alive = [...session.workers.values()];
    if (alive.length > 0) log(`${why}: ending ${alive.length} process(es) of run ${session.runId}`);
    for (const w of alive) w.kill();
    void session.netFaults?.removeAll();
    session = null;
  };

  const onMessage = (identity: Buffer, m: ToAgent) => {
    if (m.kind === 'hello') {
      const busy =
        session !== null && !session.identity.equals(identity) && performance.now() - session.lastHeardMs < COORDINATOR_LOST_AFTER_MS;
      if (busy) return send(identity, { kind: 'refused', reason: `busy with run ${session!.runId} of another coordinator` });
      if (m.protocolVersion !== AGENT_PROTOCOL_VERSION)
        return send(identity, { kind: 'refused', reason: `speaks agent protocol ${AGENT_PROTOCOL_VERSION}, not ${m.protocolVersion}` });
      endSession('a new run');
      session = { identity, runId: m.runId, lastHeardMs: performance.now(), workers: new Map(), netFaults: null, healers: new Map() };
      log(`run ${m.runId}: a coordinator said hello`);
      return send(identity, { kind: 'welcome', protocolVersion: AGENT_PROTOCOL_VERSION, facts });
    }
    const s = session;
    if (s === null || !s.identity.equals(identity)) return; // not the coordinator of the current run
    s.lastHeardMs = performance.now();
    switch (m.kind) {
      case 'ping':
        return send(identity, { kind: 'pong', t1: m.t1, t2: monotonicClock.nowNs() });
      case 'spawn': {
        const worker = spawnWorker(m.worker, m.slot, m.init, (out) => send(identity, out));
        s.workers.set(m.worker, worker);
        // only the processes still running are left in the session
        const gone = () => s.workers.delete(m.worker);
        worker.done.then(gone, gone);
        return;
      }
      case 'command': {
        const { id, ...body } = m.command;
        s.workers
          .get(m.worker)
          ?.call(body)
          .then(
            (reply: Reply) => send(identity, { kind: 'message', worker: m.worker, message: { ...reply, id } }),
            () => {}, // the worker ended: its 'ended' tells the coordinator
          );
        return;
      }
      case 'kill':
        return s.workers.get(m.worker)?.kill();
      case 'netfault':
        return void netFault(s, m).then(
          () => send(identity, { kind: 'netfault-done', id: m.id, error: null }),
          (e: unknown) => send(identity, { kind: 'netfault-done', id: m.id, error: messageOf(e) }),
        );
      case 'bye':
        return endSession(`run ${s.runId} is over`);
    }
  };

  // bound before its receive loop starts: zeromq.js refuses a bind while a receive is pending (trap 22)
  try {
    await socket.bind(options.listen);
  } catch (e) {
    socket.close();
    await zap?.stop();
    throw invalidInput([`--listen ${options.listen}: cannot listen there (${messageOf(e)})`]);
  }
  control.receiveEach((frames) => {
    const [identity, frame] = frames;
    const m = identity && frame && frames.length === 2 ? decodeToAgent(frame) : null;
    if (m === null) log('ignored a message that is not of the agent protocol');
    else onMessage(identity!, m);
  });
  log(`listening on ${socket.lastEndpoint}${options.keys ? ' (CURVE)' : ''}; groups here bind ${options.advertise}`);

  const watch = setInterval(() => {
    const silentMs = session === null ? 0 : performance.now() - session.lastHeardMs;
    if (silentMs > COORDINATOR_LOST_AFTER_MS)
      endSession(`the coordinator was lost (nothing heard for ${formatDurationMs(Math.round(silentMs))})`);
  }, WATCH_EVERY_MS);
  await new Promise<void>((resolve) => {
    if (options.signal.aborted) resolve();
    options.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  clearInterval(watch);
  endSession('stopping');
  await control.close();
  await zap?.stop();
  log('stopped');
}

/** A network fault on this host: a partition of addresses, a cut of the connections bound here, a slow link, or a heal. */
async function netFault(s: Session, m: ToAgent & { kind: 'netfault' }): Promise<void> {
  await s.healers.get(m.key)?.remove();
  s.healers.delete(m.key);
  if (m.action === 'heal') return;
  const why = netFaultsSkipReason();
  if (why !== null) throw new Error(`network faults cannot act here: ${why}`);
  s.netFaults ??= new NetFaults();
  if (m.action === 'partition') {
    s.healers.set(m.key, await s.netFaults.partitionAddresses(m.addresses));
    return;
  }
  if (m.action === 'slow') {
    if (m.bandwidthBps === undefined) throw new Error('slow needs a bandwidth');
    s.healers.set(m.key, await s.netFaults.slowConnections(m.addresses, m.bandwidthBps));
    return;
  }
  await s.netFaults.cutAddresses(m.addresses);
}

/** A slot's worker in a child process; its notices, and its end, go to the coordinator. */
function spawnWorker(worker: number, slot: number, init: WorkerInit, send: (m: FromAgent) => void): ProcessWorkerHandle {
  const handle = new ProcessWorkerHandle(slot, init);
  handle.onNotice((n) => send({ kind: 'message', worker, message: n }));
  handle.done.then(
    () => send({ kind: 'ended', worker, error: null, killed: false }),
    (e: unknown) => send({ kind: 'ended', worker, error: messageOf(e), killed: handle.killed }),
  );
  return handle;
}
