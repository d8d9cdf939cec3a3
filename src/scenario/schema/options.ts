import { Type, type Static } from '@sinclair/typebox';

/** A time in ms from `minimum` up to an hour. */
const ms = (minimum: number, description: string) => Type.Integer({ minimum, maximum: 3_600_000, description });
/** A tcp keepalive setting: -1 = the OS default (0 is refused by validation: the kernel rejects it). */
const seconds = (maximum: number, description: string) =>
  Type.Integer({ minimum: -1, maximum, description: `${description}; -1 = OS default, else 1-${maximum}` });

export const SocketOptionsSchema = Type.Object(
  {
    sndhwm: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000_000, description: 'send high-water mark (messages; 0 = none)' })),
    rcvhwm: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000_000, description: 'receive high-water mark (messages; 0 = none)' })),
    linger: Type.Optional(
      Type.Integer({ minimum: -1, maximum: 3_600_000, description: 'ms to keep unsent messages at close (-1 = forever)' }),
    ),
    immediate: Type.Optional(Type.Boolean({ description: 'queue only to completed connections' })),
    conflate: Type.Optional(Type.Boolean({ description: 'keep only the last message (pub, sub, push, pull, dealer)' })),
    sndtimeo: Type.Optional(Type.Integer({ minimum: -1, maximum: 3_600_000, description: 'send timeout in ms (-1 = wait)' })),
    rcvtimeo: Type.Optional(Type.Integer({ minimum: -1, maximum: 3_600_000, description: 'receive timeout in ms (-1 = wait)' })),
    sndbuf: Type.Optional(Type.Integer({ minimum: -1, maximum: 1 << 30, description: 'kernel SO_SNDBUF in bytes (-1 = OS default)' })),
    rcvbuf: Type.Optional(Type.Integer({ minimum: -1, maximum: 1 << 30, description: 'kernel SO_RCVBUF in bytes (-1 = OS default)' })),
    nodrop: Type.Optional(Type.Boolean({ description: 'pub and xpub: fail the send at the HWM instead of dropping (XPUB_NODROP)' })),
    mandatory: Type.Optional(Type.Boolean({ description: 'router only: fail on unroutable messages (ROUTER_MANDATORY)' })),
    backlog: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 65_535,
        description:
          'tcp/ipc: connections a bound socket queues before accepting them (ZMQ_BACKLOG, default 100; the kernel caps it at net.core.somaxconn)',
      }),
    ),
    heartbeatIvl: Type.Optional(ms(0, 'ms between ZMTP PINGs on each connection (ZMQ_HEARTBEAT_IVL; 0 = no heartbeats, the default)')),
    heartbeatTimeout: Type.Optional(
      ms(0, 'ms to wait for any traffic after a PING before dropping the connection (ZMQ_HEARTBEAT_TIMEOUT; default: heartbeatIvl)'),
    ),
    heartbeatTtl: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 6_553_500,
        description:
          'ms the peer waits for traffic before dropping the connection, sent in each PING (ZMQ_HEARTBEAT_TTL; libzmq keeps tenths of a second: read back rounded down to 100 ms)',
      }),
    ),
    reconnectIvl: Type.Optional(ms(-1, 'ms before a lost connection is dialled again (ZMQ_RECONNECT_IVL, default 100; -1 = never)')),
    reconnectIvlMax: Type.Optional(
      ms(0, 'ms the reconnect interval doubles up to after each failed attempt (ZMQ_RECONNECT_IVL_MAX; 0 = no doubling, the default)'),
    ),
    tcpKeepalive: Type.Optional(
      Type.Integer({
        minimum: -1,
        maximum: 1,
        description: 'SO_KEEPALIVE on tcp connections (ZMQ_TCP_KEEPALIVE; -1 = OS default, 0 = off, 1 = on)',
      }),
    ),
    tcpKeepaliveIdle: Type.Optional(seconds(32_767, 'idle seconds before the first keepalive probe (TCP_KEEPIDLE)')),
    tcpKeepaliveCnt: Type.Optional(seconds(127, 'unanswered keepalive probes before the connection is dropped (TCP_KEEPCNT)')),
    tcpKeepaliveIntvl: Type.Optional(seconds(32_767, 'seconds between keepalive probes (TCP_KEEPINTVL)')),
    handshakeIvl: Type.Optional(
      ms(0, 'ms a new connection may take to complete the ZMTP handshake (ZMQ_HANDSHAKE_IVL, default 30000; 0 = no limit)'),
    ),
    connectTimeout: Type.Optional(
      ms(0, 'ms a tcp connect may take before it is retried (ZMQ_CONNECT_TIMEOUT; 0 = the OS timeout, the default)'),
    ),
    handover: Type.Optional(
      Type.Boolean({
        description: 'router only: a new peer with a routing id in use takes it over instead of being refused (ROUTER_HANDOVER)',
      }),
    ),
    probeRouter: Type.Optional(
      Type.Boolean({ description: 'router, dealer, req: send an empty message to each new peer on connect (ZMQ_PROBE_ROUTER)' }),
    ),
    routingId: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 255,
        pattern: '^[^\\u0000]',
        patternErrorMessage: 'must not start with a zero byte (libzmq reserves those routing ids)',
        description:
          'req, rep, dealer, router: the identity this socket gives its peers (ZMQ_ROUTING_ID; 1-255 bytes of UTF-8, not starting with a zero byte)',
      }),
    ),
    maxMsgSize: Type.Optional(
      Type.Integer({
        minimum: -1,
        maximum: Number.MAX_SAFE_INTEGER,
        description: 'bytes: a peer sending a larger message is disconnected (ZMQ_MAXMSGSIZE; -1 = no limit, the default)',
      }),
    ),
    xpubVerbose: Type.Optional(
      Type.Boolean({ description: 'xpub only: pass every subscription on, duplicates too (ZMQ_XPUB_VERBOSE); default: only new ones' }),
    ),
    xpubVerboser: Type.Optional(
      Type.Boolean({
        description: 'xpub only: pass every subscription and unsubscription on, duplicates too (ZMQ_XPUB_VERBOSER)',
      }),
    ),
    xpubWelcomeMsg: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 255,
        description:
          'xpub only: a message sent to every subscriber as it connects (ZMQ_XPUB_WELCOME_MSG); a subscriber gets it if it subscribed to a prefix of it, and counts it as `welcomes`',
      }),
    ),
  },
  { additionalProperties: false, description: 'ZeroMQ socket options, checked against the socket type' },
);
export type SocketOptions = Static<typeof SocketOptionsSchema>;
export type SocketOptionName = keyof SocketOptions;
