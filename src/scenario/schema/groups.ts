import { Type, type Static } from '@sinclair/typebox';
import { CheckSchema, EXTERNAL_ADDRESS_MESSAGE, EXTERNAL_ADDRESS_PATTERN, PayloadSchema, SequenceSchema } from '../external-schema.js';
import {
  Duration,
  ENGINES,
  EndpointRef,
  GROUP_TYPES,
  LIMITS,
  Name,
  PAIR_SIDES,
  PLACEMENTS,
  Size,
  SOCKET_TYPES,
  TRANSPORTS,
} from './basics.js';
import { SocketOptionsSchema } from './options.js';
import { RateSchema } from './rates.js';
import { DelaySchema, PauseSchema, RetrySchema } from './timing.js';

/** A group of sockets, its forward (a pipeline stage), and an endpoint as declared. */

export const ForwardSchema = Type.Object(
  {
    type: Type.Union([Type.Literal('push'), Type.Literal('pub')], { description: 'socket that passes each received message on' }),
    bind: Type.Optional(EndpointRef),
    connect: Type.Optional(EndpointRef),
    options: Type.Optional(SocketOptionsSchema),
  },
  { additionalProperties: false, description: 'pull and sub only: pass every received message on, header unchanged (a pipeline stage)' },
);

/**
 * One socket of a proxy: a frontend, a backend or a capture socket. Written like a forward (a
 * type, bind or connect, options), so that a proxy reads as a group with named sockets.
 */
export const ProxySocketSchema = (role: string, description: string) =>
  Type.Object(
    {
      type: Type.Union(
        SOCKET_TYPES.map((t) => Type.Literal(t)),
        { description: `${role} socket type` },
      ),
      bind: Type.Optional(EndpointRef),
      connect: Type.Optional(EndpointRef),
      options: Type.Optional(SocketOptionsSchema),
    },
    { additionalProperties: false, description },
  );

export const GroupSchema = Type.Object(
  {
    name: Name('group name, unique in the scenario'),
    type: Type.Union(
      GROUP_TYPES.map((t) => Type.Literal(t)),
      {
        description:
          "ZeroMQ socket type, or proxy: libzmq's zmq_proxy between a frontend and a backend socket (xsub/xpub, router/dealer, pull/push)",
      },
    ),
    side: Type.Optional(
      Type.Union(
        PAIR_SIDES.map((p) => Type.Literal(p)),
        { description: 'pair only, required: which of the two PAIR sockets sends (sender) and which receives (receiver)' },
      ),
    ),
    count: Type.Optional(Type.Integer({ minimum: 1, maximum: LIMITS.countPerGroup, default: 1, description: 'sockets in the group' })),
    threads: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: LIMITS.threadsPerGroup,
        default: 1,
        description: 'worker threads the sockets are spread over (placement: thread only)',
      }),
    ),
    placement: Type.Optional(
      Type.Union(
        PLACEMENTS.map((p) => Type.Literal(p)),
        {
          default: 'thread',
          description:
            'thread: in worker threads of the zmq-bench process; process: every socket in a child process of its own (not with inproc)',
        },
      ),
    ),
    engine: Type.Optional(
      Type.Union(
        ENGINES.map((e) => Type.Literal(e)),
        { description: "the binding that drives this group's sockets; default: the scenario's engine" },
      ),
    ),
    host: Type.Optional(
      Type.Union(
        [Name('a label of hosts: where the sockets run'), Type.Array(Name('a label of hosts'), { minItems: 1, maxItems: LIMITS.hosts })],
        {
          description:
            "where the group's sockets run: one label of hosts, or a list to spread the sockets over those hosts in turn; default: the coordinator's host",
        },
      ),
    ),
    bind: Type.Optional(EndpointRef),
    connect: Type.Optional(EndpointRef),
    size: Type.Optional(Size('data message size, header included; at least 32')),
    rate: Type.Optional(RateSchema),
    messages: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: LIMITS.messagesPerSocket,
        description: 'stop each socket after this many messages (senders only)',
      }),
    ),
    whenBlocked: Type.Optional(
      Type.Union([Type.Literal('wait'), Type.Literal('give-up')], {
        default: 'wait',
        description: 'senders only: at the high-water mark, wait, or give the message up after giveUpAfter (counted as not sent)',
      }),
    ),
    giveUpAfter: Type.Optional(Duration('senders with whenBlocked: give-up only: how long a send may wait first; whole ms, default 0ms')),
    delay: Type.Optional(DelaySchema),
    pauses: Type.Optional(
      Type.Array(PauseSchema, {
        maxItems: LIMITS.pauses,
        description: 'receivers only: times when the receiver stops reading, in order, not overlapping',
      }),
    ),
    subscribe: Type.Optional(
      Type.Array(Type.String({ maxLength: 255 }), {
        minItems: 1,
        maxItems: LIMITS.prefixes,
        description: 'sub only: subscription prefixes; "" = everything (default)',
      }),
    ),
    topics: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 255 }), {
        minItems: 1,
        maxItems: LIMITS.topics,
        description: 'pub: topics sent in turn, as the first frame; radio (required): the groups its messages are sent to, in turn',
      }),
    ),
    join: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 255 }), {
        minItems: 1,
        maxItems: LIMITS.topics,
        description: 'dish only, required: the RADIO groups to join, whole names (not prefixes)',
      }),
    ),
    window: Type.Optional(
      Type.Integer({ minimum: 1, maximum: LIMITS.window, description: 'dealer only: requests in flight at most (default 100)' }),
    ),
    retry: Type.Optional(RetrySchema),
    options: Type.Optional(SocketOptionsSchema),
    forward: Type.Optional(ForwardSchema),
    frontend: Type.Optional(
      ProxySocketSchema('frontend', 'proxy only: the socket that faces the senders (xsub, router or pull), bound or connected'),
    ),
    backend: Type.Optional(
      ProxySocketSchema('backend', 'proxy only: the socket that faces the receivers (xpub, dealer or push, to match the frontend)'),
    ),
    capture: Type.Optional(
      ProxySocketSchema(
        'capture',
        'proxy only, native engine only: pub or push; the proxy sends a copy of every message it passes, both ways, on it',
      ),
    ),
    payload: Type.Optional(PayloadSchema),
    misuse: Type.Optional(
      Type.Union([Type.Literal('send-twice'), Type.Literal('reply-first')], {
        description:
          'break the REQ/REP order on purpose (B1): req send-twice sends a second request before each reply, rep reply-first sends before each receive; the errors are counted (refusedSends) and the run goes on',
      }),
    ),
    check: Type.Optional(CheckSchema),
    sequence: Type.Optional(SequenceSchema),
  },
  { additionalProperties: false },
);
export type GroupSpec = Static<typeof GroupSchema>;
export type ForwardSpec = Static<typeof ForwardSchema>;
export type ProxySocketSpec = Static<ReturnType<typeof ProxySocketSchema>>;

export const EndpointSchema = Type.Union(
  [
    Name('endpoint name'),
    Type.Object(
      {
        name: Name('endpoint name'),
        external: Type.Optional(
          Type.String({
            pattern: EXTERNAL_ADDRESS_PATTERN,
            maxLength: 200,
            description:
              'the address of a service zmq-bench does not start: groups connect to it (or bind it, for a peer that connects); loopback only unless --allow-remote',
            patternErrorMessage: EXTERNAL_ADDRESS_MESSAGE,
          }),
        ),
        transport: Type.Optional(
          Type.Union(
            TRANSPORTS.map((t) => Type.Literal(t)),
            {
              description:
                "this endpoint's own transport, so that transports mix in one scenario (inproc between threads of zmq-bench, tcp between processes); default: the scenario's transport. run --transport (and a matrix or suite transport) replaces it. Not with external (the address names its transport)",
            },
          ),
        ),
      },
      { additionalProperties: false },
    ),
  ],
  { errorMessage: 'must be an endpoint name or an object with a name (and an external address or a transport)' },
);
