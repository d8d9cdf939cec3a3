import { Type, type Static } from '@sinclair/typebox';

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
    nodrop: Type.Optional(Type.Boolean({ description: 'pub only: fail the send at the HWM instead of dropping (XPUB_NODROP)' })),
    mandatory: Type.Optional(Type.Boolean({ description: 'router only: fail on unroutable messages (ROUTER_MANDATORY)' })),
    backlog: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 65_535,
        description:
          'tcp/ipc: connections a bound socket queues before accepting them (ZMQ_BACKLOG, default 100; the kernel caps it at net.core.somaxconn)',
      }),
    ),
  },
  { additionalProperties: false, description: 'ZeroMQ socket options, checked against the socket type' },
);
export type SocketOptions = Static<typeof SocketOptionsSchema>;
export type SocketOptionName = keyof SocketOptions;
