import { got, orList } from '../problem-text.js';
import { PROXIES_PER_PROCESS, PROXY_CAPTURE_TYPES, PROXY_PAIRS, type SocketType } from '../schema.js';
import { Findings, PROXY_SOCKETS, type Check, type CheckContext, type GroupFacts } from './context.js';
import { DEFAULTS } from './defaults.js';
import { optionProblems } from './groups.js';
import type { Problem } from './problem.js';

/**
 * Proxies (issue 22): libzmq's zmq_proxy between a frontend and a backend, with an optional
 * capture socket. The pairs are libzmq's devices (xsub/xpub, router/dealer, pull/push); each
 * socket's options are checked against its type; capture needs the native engine (zeromq.js's
 * Proxy takes none); a proxy is one socket set (count 1); and at most PROXIES_PER_PROCESS run
 * in threads of one process, since each holds a libuv threadpool thread while it runs.
 */
export function proxyProblems(raw: Record<string, unknown>, ctx: CheckContext): Problem[] {
  const found = new Findings(ctx);
  const proxies = ctx.groups.filter((g) => g.type === 'proxy');
  for (const g of proxies) groupProblems(found.ofGroup('proxy', g.index), ctx, g, raw);
  threadProblems(found.of('proxies'), ctx, proxies);
  return found.problems;
}

const FRONTENDS = Object.keys(PROXY_PAIRS) as Array<keyof typeof PROXY_PAIRS>;
const PAIRS_TEXT = FRONTENDS.map((f) => `${f}/${PROXY_PAIRS[f]}`).join(', ');

function groupProblems(check: Check, ctx: CheckContext, g: GroupFacts, raw: Record<string, unknown>): void {
  const proxy = g.proxy ?? {};
  const missing = (['frontend', 'backend'] as const).filter((field) => g.fields[field] === undefined);
  if (missing.length > 0)
    check.add(g.pointer, `must have a frontend and a backend (a proxy passes messages between them), got no ${missing.join(' and no ')}`);
  const frontend = proxy.frontend?.type;
  if (frontend !== undefined && !(FRONTENDS as readonly SocketType[]).includes(frontend))
    check.add(`${g.pointer}/frontend/type`, `must be ${orList(FRONTENDS)} (the pairs are ${PAIRS_TEXT})${got(frontend)}`);
  const backend = proxy.backend?.type;
  const pair = frontend === undefined ? undefined : PROXY_PAIRS[frontend as keyof typeof PROXY_PAIRS];
  if (backend !== undefined && pair !== undefined && backend !== pair)
    check.add(
      `${g.pointer}/backend/type`,
      `must be ${pair} to go with a ${frontend} frontend (the pairs are ${PAIRS_TEXT})${got(backend)}`,
    );
  const capture = proxy.capture?.type;
  if (capture !== undefined && !(PROXY_CAPTURE_TYPES as readonly string[]).includes(capture))
    check.add(`${g.pointer}/capture/type`, `must be ${orList(PROXY_CAPTURE_TYPES)} (a capture socket only sends)${got(capture)}`);
  if (proxy.capture && ctx.sound(`${g.pointer}/engine`) && ctx.sound('/engine')) {
    const engine = g.fields['engine'] ?? raw['engine'] ?? DEFAULTS.engine;
    if (engine === 'zeromq.js')
      check.add(
        `${g.pointer}/capture`,
        `needs engine native (zeromq.js's Proxy takes no capture socket), got engine zeromq.js${g.fields['engine'] === undefined ? " (the scenario's)" : ''}`,
      );
  }
  if (g.count !== undefined && g.count !== 1)
    check.add(
      `${g.pointer}/count`,
      `must be 1: a proxy is one frontend and one backend (two proxies between the same endpoints would deliver each message twice)${got(g.count)}`,
    );
  for (const field of PROXY_SOCKETS) {
    const facts = proxy[field];
    if (facts?.type !== undefined) optionProblems(check, facts.fields['options'], facts.type, `${g.pointer}/${field}/options`);
  }
}

/**
 * libzmq's proxy blocks the thread that runs it: zeromq.js and koffi both run it on libuv's
 * threadpool, 4 threads for the whole process (worker threads included). Measured: with 4
 * proxies running, an fs.readFile of the process never completed; with 3 it took 1 ms.
 */
function threadProblems(check: Check, ctx: CheckContext, proxies: readonly GroupFacts[]): void {
  const inThreads = proxies.filter(
    (g) => (g.fields['placement'] ?? DEFAULTS.placement) === 'thread' && ctx.sound(`${g.pointer}/placement`),
  );
  for (const g of inThreads.slice(PROXIES_PER_PROCESS)) {
    check.add(
      g.fields['placement'] === undefined ? g.pointer : `${g.pointer}/placement`,
      `must be process: at most ${PROXIES_PER_PROCESS} proxies run in threads of one process (each holds one of libuv's 4 threadpool threads while it runs, and a 4th leaves none for file work), got ${inThreads.length} in threads`,
    );
  }
}
