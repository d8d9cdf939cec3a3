import type { FlowFigures, ProxyFigures, ProxySideTraffic, ProxyTraffic } from '../core/types.js';
import type { RoleReport } from '../protocol/control.js';
import type { Group, ProxyOf } from '../scenario/schema.js';
import { encodeHistogram, mergeEncoded, summarizeLatency } from '../stats/histogram.js';

/**
 * A proxy group's figures. Its flow counts what libzmq's proxy passed, as libzmq counts it:
 * frames (a two-frame message counts 2), both ways (requests and replies, data and
 * subscriptions); `received` is what its sockets took in, `sent` what they passed on, and the
 * throughput frames taken in per second of the measured phase. Nothing is tracked for loss
 * (the receivers behind it count that, end to end); an engine that cannot read the counters
 * (zeromq.js) leaves them 0 and says so in `proxy.counted`.
 */

export function proxyFigures(group: Group, proxy: ProxyOf, reports: readonly RoleReport[]): ProxyFigures {
  const figures = reports.flatMap((r) => (r.proxy ? [r.proxy] : []));
  const counted = figures.length > 0 && figures.every((f) => f.counted);
  return {
    frontend: proxy.frontend,
    backend: group.forward?.type ?? '',
    capture: proxy.capture?.type ?? null,
    counted,
    total: counted ? sumTraffic(figures.map((f) => f.total)) : null,
    measured: counted ? sumTraffic(figures.map((f) => f.measured)) : null,
  };
}

export function proxyFlow(group: Group, reports: readonly RoleReport[], seconds: number): FlowFigures {
  const proxy = group.proxy ? proxyFigures(group, group.proxy, reports) : null;
  const total = proxy?.total ?? null;
  const measured = proxy?.measured ?? null;
  const received = total ? total.frontend.framesReceived + total.backend.framesReceived : 0;
  const none = encodeHistogram(mergeEncoded([]));
  const perSecond = (n: number) => (seconds > 0 ? n / seconds : 0);
  return {
    sent: total ? total.frontend.framesSent + total.backend.framesSent : 0,
    received,
    expected: received,
    lost: 0,
    loss: { head: 0, midstream: 0, tail: 0 },
    duplicates: 0,
    reordered: 0,
    misrouted: 0,
    throughput: {
      msgsPerSec: perSecond(measured ? measured.frontend.framesReceived + measured.backend.framesReceived : 0),
      bytesPerSec: perSecond(measured ? measured.frontend.bytesReceived + measured.backend.bytesReceived : 0),
    },
    latency: summarizeLatency(mergeEncoded([none])),
    latencyKind: 'none',
    histogram: none,
    latencyFromSend: summarizeLatency(mergeEncoded([none])),
    histogramFromSend: none,
  };
}

function sumTraffic(parts: ReadonlyArray<ProxyTraffic | null>): ProxyTraffic | null {
  if (parts.some((p) => p === null)) return null;
  const side = (pick: (t: ProxyTraffic) => ProxySideTraffic): ProxySideTraffic => {
    const all = (parts as ProxyTraffic[]).map(pick);
    const total = (f: (s: ProxySideTraffic) => number) => all.reduce((n, s) => n + f(s), 0);
    return {
      framesReceived: total((s) => s.framesReceived),
      bytesReceived: total((s) => s.bytesReceived),
      framesSent: total((s) => s.framesSent),
      bytesSent: total((s) => s.bytesSent),
    };
  };
  return { frontend: side((t) => t.frontend), backend: side((t) => t.backend) };
}
