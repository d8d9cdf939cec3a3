import { Type, type Static } from '@sinclair/typebox';
import { DURATION_PATTERN, SIZE_PATTERN } from '../core/units.js';
import { CURVE_KEY_MESSAGE, CURVE_KEY_PATTERN } from './curve.js';
import type { Threshold } from './thresholds.js';
import {
  CheckSchema,
  EXTERNAL_ADDRESS_MESSAGE,
  EXTERNAL_ADDRESS_PATTERN,
  PayloadSchema,
  SequenceSchema,
  type ContentCheck,
  type PayloadPart,
  type SequenceLocation,
} from './external-schema.js';
import { ExpectSchema, type Expectation } from './expect/schema.js';

/**
 * The scenario file format. This TypeBox schema is at once the TypeScript type, the
 * validator's structural rules and the JSON Schema that `zmq-bench schema` prints and that
 * scenario.schema.json commits for editors. Rules that span fields (endpoint references,
 * options per socket type) live in validate.ts.
 */

/** Hard upper bounds against hostile or mistaken files. */
export const LIMITS = {
  groups: 64,
  endpoints: 64,
  countPerGroup: 1000,
  socketsInScenario: 2000,
  threadsPerGroup: 16,
  messageBytes: 64 * 1024 * 1024,
  messagesPerSocket: 1_000_000_000,
  durationMs: 24 * 3_600_000,
  ratePerSecond: 10_000_000,
  /**
   * The pacer spaces messages 1e9 / rate ns apart, as a BigInt of whole ns: a rate of 1e-300
   * made that Infinity and the sender threw. Below one message every 1000 s a run (24h at
   * most) sends next to nothing; 10,000,000 msgs/s is 100 ns apart.
   */
  minRatePerSecond: 0.001,
  prefixes: 256,
  topics: 1024,
  window: 100_000,
  delayPhases: 100,
  rateSteps: 100,
  burstSize: 1_000_000,
  pauses: 1000,
  events: 1000,
  retries: 1000,
  /** values per matrix key, and combinations in one matrix */
  matrixValues: 20,
  matrixVariants: 200,
  nameLength: 64,
  yamlAliases: 100,
  /** levels of lists and mappings in a scenario or suite file (a real one has fewer than 10) */
  nesting: 64,
  fileBytes: 1024 * 1024,
} as const;

/**
 * The smallest data message: the binary header every message starts with (HEADER_BYTES in
 * src/protocol/header.ts; scenario/ may not import protocol/, a test keeps the two equal).
 */
export const MIN_MESSAGE_BYTES = 32;

/*
 * `errorMessage` and `patternErrorMessage` are not JSON Schema keywords but an extension that
 * editors using vscode-json-languageservice (VS Code, yaml-language-server) show instead of
 * their own text; validate.ts uses the same texts, so the CLI and the editor say one thing.
 */

export const SOCKET_TYPES = ['pub', 'sub', 'push', 'pull', 'req', 'rep', 'dealer', 'router'] as const;
export type SocketType = (typeof SOCKET_TYPES)[number];

/** Types that originate data messages. */
export const SENDER_TYPES: readonly SocketType[] = ['pub', 'push', 'req', 'dealer'];
/** Senders that wait for replies, so their latency is a round trip. */
export const ROUND_TRIP_TYPES: readonly SocketType[] = ['req', 'dealer'];

export function isSender(type: SocketType): boolean {
  return SENDER_TYPES.includes(type);
}

export function isRoundTrip(type: SocketType): boolean {
  return ROUND_TRIP_TYPES.includes(type);
}

export const TRANSPORTS = ['inproc', 'ipc', 'tcp'] as const;
export type TransportName = (typeof TRANSPORTS)[number];

/** Which side of every connection starts first (B2): binders, or the connecting sockets. */
export const START_ORDERS = ['bind-first', 'connect-first'] as const;
export type StartOrder = (typeof START_ORDERS)[number];

export const PLACEMENTS = ['thread', 'process'] as const;
export type Placement = (typeof PLACEMENTS)[number];

export const FAULT_ACTIONS = ['kill', 'restart', 'pause', 'resume', 'stop'] as const;
export type FaultAction = (typeof FAULT_ACTIONS)[number];

/** The directions a pause or resume can name; leaving `what` out means every direction the group has. */
export const DIRECTIONS = ['sending', 'receiving'] as const;
export type Direction = (typeof DIRECTIONS)[number];

const NAME_PATTERN = '^[A-Za-z][A-Za-z0-9_-]*$';
/** A fault's target: a group name, or a group name and a socket index, e.g. workers[1]. */
export const TARGET_PATTERN = '^([A-Za-z][A-Za-z0-9_-]*)(?:\\[(0|[1-9][0-9]{0,5})\\])?$';
export const TARGET_MESSAGE = 'must be a group name, or a group name and a socket index such as workers[1]';

const Name = (description: string) =>
  Type.String({
    pattern: NAME_PATTERN,
    maxLength: LIMITS.nameLength,
    description,
    patternErrorMessage: 'must start with a letter and contain only letters, digits, _ and -',
  });

export const DURATION_MESSAGE = 'must be a duration such as 500ms, 2s or 1m';
export const SIZE_MESSAGE = `must be a size from ${MIN_MESSAGE_BYTES} bytes to ${LIMITS.messageBytes / (1024 * 1024)}MiB: a number of bytes or a string such as 64B, 1KiB or 4MB`;

const Duration = (description: string) =>
  Type.String({
    pattern: DURATION_PATTERN,
    description: `${description} (e.g. 500ms, 2s, 1m)`,
    errorMessage: DURATION_MESSAGE,
  });

const Size = (description: string) =>
  Type.Union(
    [
      Type.Integer({ minimum: MIN_MESSAGE_BYTES, maximum: LIMITS.messageBytes }),
      Type.String({ pattern: SIZE_PATTERN }),
    ],
    // one text for every way a size can be wrong; validate.ts checks parsed strings against it too
    { description: `${description} (bytes, or a string such as 1KiB)`, errorMessage: SIZE_MESSAGE },
  );

const EndpointRef = Type.Union(
  [Name('endpoint name'), Type.Array(Name('endpoint name'), { minItems: 1, maxItems: LIMITS.endpoints })],
  { errorMessage: 'must be an endpoint name or a list of endpoint names' },
);

export const SocketOptionsSchema = Type.Object(
  {
    sndhwm: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000_000, description: 'send high-water mark (messages; 0 = none)' })),
    rcvhwm: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000_000, description: 'receive high-water mark (messages; 0 = none)' })),
    linger: Type.Optional(Type.Integer({ minimum: -1, maximum: 3_600_000, description: 'ms to keep unsent messages at close (-1 = forever)' })),
    immediate: Type.Optional(Type.Boolean({ description: 'queue only to completed connections' })),
    conflate: Type.Optional(Type.Boolean({ description: 'keep only the last message (pub, sub, push, pull, dealer)' })),
    sndtimeo: Type.Optional(Type.Integer({ minimum: -1, maximum: 3_600_000, description: 'send timeout in ms (-1 = wait)' })),
    rcvtimeo: Type.Optional(Type.Integer({ minimum: -1, maximum: 3_600_000, description: 'receive timeout in ms (-1 = wait)' })),
    sndbuf: Type.Optional(Type.Integer({ minimum: -1, maximum: 1 << 30, description: 'kernel SO_SNDBUF in bytes (-1 = OS default)' })),
    rcvbuf: Type.Optional(Type.Integer({ minimum: -1, maximum: 1 << 30, description: 'kernel SO_RCVBUF in bytes (-1 = OS default)' })),
    nodrop: Type.Optional(Type.Boolean({ description: 'pub only: fail the send at the HWM instead of dropping (XPUB_NODROP)' })),
    mandatory: Type.Optional(Type.Boolean({ description: 'router only: fail on unroutable messages (ROUTER_MANDATORY)' })),
    backlog: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 65_535, description: 'tcp/ipc: connections a bound socket queues before accepting them (ZMQ_BACKLOG, default 100; the kernel caps it at net.core.somaxconn)' }),
    ),
  },
  { additionalProperties: false, description: 'ZeroMQ socket options, checked against the socket type' },
);
export type SocketOptions = Static<typeof SocketOptionsSchema>;
export type SocketOptionName = keyof SocketOptions;

const ForwardSchema = Type.Object(
  {
    type: Type.Union([Type.Literal('push'), Type.Literal('pub')], { description: 'socket that passes each received message on' }),
    bind: Type.Optional(EndpointRef),
    connect: Type.Optional(EndpointRef),
    options: Type.Optional(SocketOptionsSchema),
  },
  { additionalProperties: false, description: 'pull and sub only: pass every received message on, header unchanged (a pipeline stage)' },
);

export const DELAY_MESSAGE = 'must be a duration such as 1ms, { uniform: { min, max } }, { exponential: { mean } } or a list of phases';
export const PHASE_DELAY_MESSAGE = 'must be a duration such as 1ms, { uniform: { min, max } } or { exponential: { mean } } (phases do not nest)';
export const DISTRIBUTION_MESSAGE = 'must have exactly one of uniform or exponential';

/**
 * A random delay. One object with optional keys rather than a union of two objects, so that a
 * mistake inside `uniform` is reported where it is (a union of objects could only say "no match").
 * validate.ts knows this node by identity, to name an unknown key an unknown distribution.
 */
export const DelayDistributionSchema = Type.Object(
  {
    uniform: Type.Optional(
      Type.Object(
        { min: Duration('shortest delay'), max: Duration('longest delay, at least min') },
        { additionalProperties: false, description: 'every delay from min to max equally likely' },
      ),
    ),
    exponential: Type.Optional(
      Type.Object({ mean: Duration('mean delay, longer than 0s') }, { additionalProperties: false, description: 'exponentially distributed delays (many short, a few long)' }),
    ),
  },
  { additionalProperties: false, minProperties: 1, maxProperties: 1, errorMessage: DISTRIBUTION_MESSAGE },
);

const DelaySpecSchema = Type.Union([Duration('fixed processing time per message'), DelayDistributionSchema], {
  errorMessage: PHASE_DELAY_MESSAGE,
});

const DelayPhaseSchema = Type.Object(
  {
    for: Type.Optional(Duration('how long the phase lasts; only the last phase may leave it out')),
    delay: DelaySpecSchema,
  },
  { additionalProperties: false },
);

const DelaySchema = Type.Union(
  [
    Duration('fixed processing time per message'),
    DelayDistributionSchema,
    Type.Array(DelayPhaseSchema, {
      minItems: 1,
      maxItems: LIMITS.delayPhases,
      description: 'phases, timed from the start of measurement (warm-up uses the first); the last one goes on to the end',
    }),
  ],
  { errorMessage: DELAY_MESSAGE, description: 'processing time per received message (receivers only): fixed, random or in phases' },
);

const RetrySchema = Type.Object(
  {
    timeout: Duration('how long to wait for each reply before giving the socket up; longer than 0s, whole ms'),
    retries: Type.Integer({ minimum: 0, maximum: LIMITS.retries, description: 'resends of one request at most, each on a new socket, before it is abandoned' }),
  },
  {
    additionalProperties: false,
    description: 'req only: the lazy pirate; on a timeout close the socket, open a new one and resend the same request',
  },
);

export const RATE_RANGE_MESSAGE = `must be from ${LIMITS.minRatePerSecond} to ${LIMITS.ratePerSecond} messages per second (at least one message every ${1 / LIMITS.minRatePerSecond}s)`;

export const RatePerSec = (description: string) =>
  Type.Number({ minimum: LIMITS.minRatePerSecond, maximum: LIMITS.ratePerSecond, description, errorMessage: RATE_RANGE_MESSAGE });

export const RATE_MESSAGE =
  'must be a number > 0, "max", { ramp: { from, to, over } }, { bursts: { size, every } } or { steps: [{ rate, for }, ...] }';
export const RATE_SHAPE_MESSAGE = 'must have exactly one of ramp, bursts or steps';

const RateStepSchema = Type.Object(
  {
    rate: Type.Union([Type.Literal('max'), RatePerSec('messages per second per socket')], { description: 'messages per second per socket, or max' }),
    for: Type.Optional(Duration('how long the step lasts; only the last step may leave it out (it lasts to the end anyway)')),
  },
  { additionalProperties: false },
);

/**
 * A rate that changes over time, timed from the start of measurement (warm-up sends at the
 * shape's first rate). One object with an optional key per shape rather than a union of
 * objects, so that a mistake inside `ramp` is reported where it is; validate.ts knows this
 * node by identity, to name an unknown key an unknown shape.
 */
export const RateShapeSchema = Type.Object(
  {
    ramp: Type.Optional(
      Type.Object(
        {
          from: RatePerSec('messages per second per socket at the start'),
          to: RatePerSec('messages per second per socket at the end of the ramp, and after it'),
          over: Duration('how long the ramp lasts; longer than 0s'),
        },
        { additionalProperties: false, description: 'a rate going linearly from `from` to `to` over `over`, then staying at `to`' },
      ),
    ),
    bursts: Type.Optional(
      Type.Object(
        {
          size: Type.Integer({ minimum: 1, maximum: LIMITS.burstSize, description: 'messages per burst' }),
          every: Duration('time from one burst to the next; longer than 0s'),
        },
        { additionalProperties: false, description: '`size` messages as fast as possible at the start of every period of `every`' },
      ),
    ),
    steps: Type.Optional(
      Type.Array(RateStepSchema, {
        minItems: 1,
        maxItems: LIMITS.rateSteps,
        description: 'constant rates one after the other, each for its `for`; the last one goes on to the end',
      }),
    ),
  },
  { additionalProperties: false, minProperties: 1, maxProperties: 1, errorMessage: RATE_SHAPE_MESSAGE },
);

/** `rate` as written: a number, max, or a shape (validate.ts knows the union by its RateShapeSchema member). */
export const RateSchema = Type.Union([Type.Literal('max'), RatePerSec('messages per second per socket'), RateShapeSchema], {
  description: 'messages per second per socket, max (as fast as possible), or a shape: { ramp }, { bursts } or { steps } (senders only)',
});

const Target = (action: string) =>
  Type.Optional(
    Type.String({
      pattern: TARGET_PATTERN,
      maxLength: LIMITS.nameLength + 8,
      description: `${action}: a group name, or one socket as name[i] (i from 0)`,
      patternErrorMessage: TARGET_MESSAGE,
    }),
  );

/**
 * A fault on the timeline. One object with an optional key per action rather than a union of
 * objects, so that a mistake is reported where it is; validate.ts wants exactly one action.
 */
export const FaultEventSchema = Type.Object(
  {
    at: Duration('when, after the start of measurement; at most the duration'),
    kill: Target('kill the socket(s) abruptly, as a crash would'),
    restart: Target('bring back socket(s) an earlier kill stopped'),
    pause: Target('stop sending and/or receiving (what)'),
    resume: Target('undo an earlier pause'),
    stop: Target('end a sender (pub, push, req, dealer) early'),
    what: Type.Optional(
      Type.Union(
        DIRECTIONS.map((d) => Type.Literal(d)),
        { description: 'pause and resume only: one direction; default every direction the group has' },
      ),
    ),
  },
  { additionalProperties: false, description: 'one fault: at, and exactly one of kill, restart, pause, resume or stop' },
);
export type FaultEventSpec = Static<typeof FaultEventSchema>;

const PauseSchema = Type.Object(
  {
    at: Duration('when the receiver stops reading, after the start of measurement'),
    for: Duration('how long it stops reading'),
  },
  { additionalProperties: false },
);

export const GroupSchema = Type.Object(
  {
    name: Name('group name, unique in the scenario'),
    type: Type.Union(SOCKET_TYPES.map((t) => Type.Literal(t)), { description: 'ZeroMQ socket type' }),
    count: Type.Optional(Type.Integer({ minimum: 1, maximum: LIMITS.countPerGroup, default: 1, description: 'sockets in the group' })),
    threads: Type.Optional(
      Type.Integer({ minimum: 1, maximum: LIMITS.threadsPerGroup, default: 1, description: 'worker threads the sockets are spread over (placement: thread only)' }),
    ),
    placement: Type.Optional(
      Type.Union(
        PLACEMENTS.map((p) => Type.Literal(p)),
        {
          default: 'thread',
          description: 'thread: in worker threads of the zmq-bench process; process: every socket in a child process of its own (not with inproc)',
        },
      ),
    ),
    bind: Type.Optional(EndpointRef),
    connect: Type.Optional(EndpointRef),
    size: Type.Optional(Size('data message size, header included; at least 32')),
    rate: Type.Optional(RateSchema),
    messages: Type.Optional(Type.Integer({ minimum: 1, maximum: LIMITS.messagesPerSocket, description: 'stop each socket after this many messages (senders only)' })),
    whenBlocked: Type.Optional(
      Type.Union([Type.Literal('wait'), Type.Literal('give-up')], {
        default: 'wait',
        description: 'senders only: at the high-water mark, wait, or give the message up after giveUpAfter (counted as not sent)',
      }),
    ),
    giveUpAfter: Type.Optional(Duration('senders with whenBlocked: give-up only: how long a send may wait first; whole ms, default 0ms')),
    delay: Type.Optional(DelaySchema),
    pauses: Type.Optional(
      Type.Array(PauseSchema, { maxItems: LIMITS.pauses, description: 'receivers only: times when the receiver stops reading, in order, not overlapping' }),
    ),
    subscribe: Type.Optional(Type.Array(Type.String({ maxLength: 255 }), { minItems: 1, maxItems: LIMITS.prefixes, description: 'sub only: subscription prefixes; "" = everything (default)' })),
    topics: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 255 }), { minItems: 1, maxItems: LIMITS.topics, description: 'pub only: topics sent in turn, as the first frame' })),
    window: Type.Optional(Type.Integer({ minimum: 1, maximum: LIMITS.window, description: 'dealer only: requests in flight at most (default 100)' })),
    retry: Type.Optional(RetrySchema),
    options: Type.Optional(SocketOptionsSchema),
    forward: Type.Optional(ForwardSchema),
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
/** `delay` as written: a duration, a distribution or a list of phases. */
export type DelayField = Static<typeof DelaySchema>;
/** The delay of one phase: a duration or a distribution. */
export type DelaySpecField = Static<typeof DelaySpecSchema>;
export type ForwardSpec = Static<typeof ForwardSchema>;
export type RetrySpec = Static<typeof RetrySchema>;
/** `rate` as written: a number, max, or a shape. */
export type RateField = Static<typeof RateSchema>;

const EndpointSchema = Type.Union(
  [
    Name('endpoint name'),
    Type.Object(
      {
        name: Name('endpoint name'),
        external: Type.Optional(
          Type.String({
            pattern: EXTERNAL_ADDRESS_PATTERN,
            maxLength: 200,
            description: 'the address of a service zmq-bench does not start: groups connect to it (or bind it, for a peer that connects); loopback only unless --allow-remote',
            patternErrorMessage: EXTERNAL_ADDRESS_MESSAGE,
          }),
        ),
      },
      { additionalProperties: false },
    ),
  ],
  { errorMessage: 'must be an endpoint name or an object with a name (and an external address)' },
);

export const ThresholdSchema = Type.Union(
  [
    Type.String({ description: 'k6 grammar with units: "p(99) < 2ms", "avg >= 50k/s", "rate == 0", "count < 10"' }),
    Type.Object(
      {
        threshold: Type.String({ description: 'the expression, as in the short form' }),
        abortOnFail: Type.Optional(Type.Boolean({ description: 'stop the run as soon as this fails (judged every sample interval); exit code 99' })),
        delayAbortEval: Type.Optional(Duration('measured time before abortOnFail is judged; default 0s')),
      },
      { additionalProperties: false },
    ),
  ],
  { errorMessage: 'must be an expression such as "p(99) < 2ms" or { threshold, abortOnFail, delayAbortEval }' },
);

const MatrixScalar = Type.Union([Type.String({ maxLength: 200 }), Type.Number(), Type.Boolean()]);

/** matrix: key → values; every combination runs. `exclude` lists combinations to leave out. */
export const MatrixSchema = Type.Record(
  Type.String(),
  Type.Array(Type.Union([MatrixScalar, Type.Record(Type.String(), MatrixScalar)]), { minItems: 1, maxItems: LIMITS.matrixValues }),
  {
    description:
      'run every combination of these values: transport, duration, warmup, curve, size, rate, hwm, placement (every group concerned), or groups.<name>.<field> / groups.<name>.options.<option>; exclude: [{ key: value, ... }] leaves combinations out',
  },
);

export const ThresholdListSchema = Type.Array(ThresholdSchema, { minItems: 1, maxItems: 20 });

export const ScenarioSchema = Type.Object(
  {
    $schema: Type.Optional(Type.String({ description: 'path or URL of this JSON Schema, for editors' })),
    name: Name('scenario name'),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
    transport: Type.Optional(Type.Union(TRANSPORTS.map((t) => Type.Literal(t)), { default: 'tcp', description: 'transport of every endpoint' })),
    duration: Type.Optional(Duration('measured time after warm-up; default 5s')),
    warmup: Type.Optional(Duration('time sent before measuring, excluded from latency and throughput; default 0s')),
    drain: Type.Optional(Duration('longest wait for receivers after the senders stop; default 5s')),
    sampleInterval: Type.Optional(Duration('time series resolution: every role reports this often, 10ms to 60s; default 100ms')),
    barrier: Type.Optional(Type.Boolean({ default: true, description: 'wait until every socket is connected and every subscription in effect before sending' })),
    start: Type.Optional(
      Type.Union(
        START_ORDERS.map((o) => Type.Literal(o)),
        {
          default: 'bind-first',
          description:
            'bind-first: every socket binds, then the others connect; connect-first: every connecting socket connects before anything binds (to an address reserved up front), then, after a short wait, the binders bind (B2: either side may start first)',
        },
      ),
    ),
    maxSendLag: Type.Optional(
      Duration('the run is not valid (exit 97) when a sender group\'s send lag p99 (actual send time minus the scheduled one) is more than this; default: no bound'),
    ),
    curve: Type.Optional(
      Type.Union(
        [
          Type.Boolean(),
          Type.Object(
            {
              serverPublicKey: Type.String({
                pattern: CURVE_KEY_PATTERN,
                description: 'the server public key every connecting socket is given instead of the run\'s own (Z85, 40 characters)',
                patternErrorMessage: CURVE_KEY_MESSAGE,
              }),
            },
            { additionalProperties: false, description: 'CURVE on, with clients given this server key: for a server zmq-bench did not start, or to test a wrong key' },
          ),
        ],
        {
          default: false,
          description:
            'CURVE encryption of every connection (tcp and ipc only): true makes new key pairs for each run, binding sockets are CURVE servers and connecting sockets clients; keys are never written to results',
          errorMessage: 'must be true, false or { serverPublicKey: "<40-character Z85 key>" }',
        },
      ),
    ),
    topology: Type.Object(
      {
        endpoints: Type.Array(EndpointSchema, { minItems: 1, maxItems: LIMITS.endpoints }),
        groups: Type.Array(GroupSchema, { minItems: 1, maxItems: LIMITS.groups }),
      },
      { additionalProperties: false },
    ),
    matrix: Type.Optional(MatrixSchema),
    expect: Type.Optional(ExpectSchema),
    thresholds: Type.Optional(
      Type.Record(Type.String(), ThresholdListSchema, {
        description:
          'pass/fail criteria in k6\'s grammar: metric or metric{group:NAME} → expressions; metrics: latency, latency_from_send, send_lag, throughput, loss_rate, blocked_rate, lost, sent, received, duplicates, reordered, not_sent, stalled (docs/ci.md)',
      }),
    ),
    events: Type.Optional(
      Type.Array(FaultEventSchema, {
        maxItems: LIMITS.events,
        description: 'faults on the timeline, in order of at, e.g. { at: 2s, kill: "workers[1]" } (quote name[i] inside { })',
      }),
    ),
  },
  { additionalProperties: false, $id: 'https://zmq-bench.dev/scenario.schema.json', title: 'zmq-bench scenario' },
);
export type ScenarioFile = Static<typeof ScenarioSchema>;

/** A scenario after validation and defaults: every optional field the engine needs is filled. */
export interface Scenario {
  name: string;
  description: string;
  transport: TransportName;
  durationMs: number;
  warmupMs: number;
  drainMs: number;
  /** every role reports its counters this often, for the time series */
  sampleIntervalMs: number;
  barrier: boolean;
  /** connect-first: every connecting socket connects before any socket binds (B2); the start barrier still follows the binds */
  startOrder: StartOrder;
  /** a sender group whose send lag p99 is above this makes the run not valid; null: no bound */
  maxSendLagMs: number | null;
  /**
   * CURVE on every tcp/ipc connection: binders are servers, connectors clients, with keys made
   * for each run. serverPublicKey: the key clients get instead of the run's own (null: the run's).
   */
  curve: { enabled: boolean; serverPublicKey: string | null };
  /** pass/fail criteria, in the order written */
  thresholds: Threshold[];
  /** the ZeroMQ claim this scenario reproduces and what must hold (`zmq-bench verify`); null: none */
  expect: Expectation | null;
  endpoints: string[];
  /** endpoint name → the address of a service zmq-bench did not start (docs/external.md) */
  external: Record<string, string>;
  groups: Group[];
  /** faults on a timeline, sorted by atMs */
  events: FaultEvent[];
}

/** Lazy pirate (seed 003): wait `timeoutMs` for a reply, then close, reopen and resend, `retries` times at most. */
export interface RetryPolicy {
  timeoutMs: number;
  retries: number;
}

/** One fault: at `atMs` after the start of measurement, do `action` to a group or one of its sockets. */
export interface FaultEvent {
  atMs: number;
  action: FaultAction;
  group: string;
  /** null: every socket of the group */
  instance: number | null;
  /**
   * pause/resume: the direction named, or, without `what`, every direction the group has
   * ('both' for a group that sends and receives, else its only one); kill/restart/stop: 'both'
   */
  what: Direction | 'both';
}

export interface Group {
  name: string;
  type: SocketType;
  count: number;
  threads: number;
  /** thread: in worker threads of this process; process: one child process per socket */
  placement: Placement;
  bind: string[];
  connect: string[];
  sizeBytes: number;
  /**
   * A constant rate: messages per second per socket; null = as fast as possible (`max`), or
   * the rate changes over time (then rateShape says how).
   */
  ratePerSec: number | null;
  /** A rate that changes over time (ratePerSec is then null); null = constant or max, as ratePerSec says. */
  rateShape: RateShape | null;
  /** per socket; null = until the duration ends */
  messages: number | null;
  /** senders: give a send up after this long at the high-water mark; null = wait */
  giveUpAfterMs: number | null;
  /** receivers: processing time per message */
  delay: DelayModel;
  /** receivers: when to stop reading, sorted by atMs, not overlapping */
  pauses: Pause[];
  subscribe: string[];
  topics: string[];
  window: number;
  /** req only: lazy-pirate retries; null = plain REQ (waits for ever) */
  retry: RetryPolicy | null;
  options: SocketOptions;
  forward: Forward | null;
  /** senders: the frames sent instead of the header (a service that does not know it); null: the header */
  payload: PayloadPart[] | null;
  /** req, dealer, sub, pull: what every reply or message must be; null: no check */
  check: ContentCheck | null;
  /** sub, pull: where a foreign feed carries its sequence number; null: none */
  sequence: SequenceLocation | null;
  /** req send-twice / rep reply-first: break the REQ/REP order on purpose (B1); null: never */
  misuse: 'send-twice' | 'reply-first' | null;
}

export interface Forward {
  type: 'push' | 'pub';
  bind: string[];
  connect: string[];
  options: SocketOptions;
}

export type DelaySpec = { kind: 'fixed'; ms: number } | { kind: 'uniform'; minMs: number; maxMs: number } | { kind: 'exponential'; meanMs: number };

export interface DelayPhase {
  /** end of the phase, ms after the start of measurement (cumulative); null = to the end. The last phase goes on after it anyway. */
  untilMs: number | null;
  spec: DelaySpec;
}

/** Processing time by phase; a fixed delay is one phase with untilMs null. */
export interface DelayModel {
  phases: DelayPhase[];
}

/** The receiver stops reading at atMs after the start of measurement, for forMs. */
export interface Pause {
  atMs: number;
  forMs: number;
}

/**
 * A rate that changes over time, per socket, timed from the start of measurement (warm-up
 * sends at its first rate: the ramp's `from`, the first step's, or the bursts themselves).
 */
export type RateShape =
  /** linear from fromPerSec to toPerSec over overMs, then toPerSec */
  | { kind: 'ramp'; fromPerSec: number; toPerSec: number; overMs: number }
  /** `size` messages as fast as possible at the start of every period of everyMs */
  | { kind: 'bursts'; size: number; everyMs: number }
  /** constant rates one after the other; the last one goes on to the end */
  | { kind: 'steps'; steps: RateStep[] };

export interface RateStep {
  /** messages per second per socket; null = as fast as possible */
  ratePerSec: number | null;
  /** how long the step lasts; null (the last step only) = to the end. The last step goes on after it anyway. */
  forMs: number | null;
}
