/** result.json's figures of issue 22's sockets: what an xpub read, and what a proxy passed (types.ts re-exports them). */

/** The subscription messages an xpub group's sockets read (issue 22). */
export interface SubscriptionFigures {
  /** messages starting with byte 1: a subscription (only new ones, unless xpubVerbose) */
  subscribe: number;
  /** messages starting with byte 0: an unsubscription (when the last subscriber of a prefix leaves, or xpubVerboser) */
  unsubscribe: number;
  /** messages that are neither (an xsub may send anything upstream) */
  other: number;
  /** prefix → subscriptions to it ("" = everything); at most 256 prefixes are named, the others count in `subscribe` only */
  prefixes: Record<string, number>;
}

/** What one side of a proxy passed, as libzmq's proxy counts it: frames (a two-frame message counts 2) and bytes. */
export interface ProxySideTraffic {
  framesReceived: number;
  bytesReceived: number;
  framesSent: number;
  bytesSent: number;
}

export interface ProxyTraffic {
  frontend: ProxySideTraffic;
  backend: ProxySideTraffic;
}

/** A proxy group (libzmq's zmq_proxy, issue 22): its sockets, and its traffic where the engine can read it. */
export interface ProxyFigures {
  frontend: string;
  backend: string;
  /** the capture socket's type; null: none */
  capture: string | null;
  /**
   * whether libzmq's counters could be read (zmq_proxy_steerable's STATISTICS): on the native
   * engine; zeromq.js's Proxy keeps its control socket to itself, so there `total` and `measured` are null
   */
  counted: boolean;
  /** from the proxy's start (before the start barrier) to its end (after the drain) */
  total: ProxyTraffic | null;
  /** from the start of measurement to the moment the senders were told to stop */
  measured: ProxyTraffic | null;
}
