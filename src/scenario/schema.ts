import { Type, type Static } from '@sinclair/typebox';
import { CURVE_KEY_MESSAGE, CURVE_KEY_PATTERN } from './curve.js';
import { ExpectSchema } from './expect/schema.js';
import { Duration, ENGINES, LIMITS, Name, START_ORDERS, TRANSPORTS } from './schema/basics.js';
import { FaultEventSchema } from './schema/events.js';
import { EndpointSchema, GroupSchema } from './schema/groups.js';
import { SearchSchema } from './schema/search.js';

/**
 * The scenario file format. This TypeBox schema is at once the TypeScript type, the
 * validator's structural rules and the JSON Schema that `zmq-bench schema` prints and that
 * scenario.schema.json commits for editors. Rules that span fields (endpoint references,
 * options per socket type) live in validate/, one module per topic.
 */

export * from './schema/basics.js';
export * from './schema/options.js';
export * from './schema/timing.js';
export * from './schema/rates.js';
export * from './schema/events.js';
export * from './schema/groups.js';
export * from './schema/normalized.js';
export * from './schema/search.js';

export const ThresholdSchema = Type.Union(
  [
    Type.String({ description: 'k6 grammar with units: "p(99) < 2ms", "avg >= 50k/s", "rate == 0", "count < 10"' }),
    Type.Object(
      {
        threshold: Type.String({ description: 'the expression, as in the short form' }),
        abortOnFail: Type.Optional(
          Type.Boolean({ description: 'stop the run as soon as this fails (judged every sample interval); exit code 99' }),
        ),
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
      'run every combination of these values: transport, engine, duration, warmup, curve, size, rate, hwm, placement (every group concerned), or groups.<name>.<field> / groups.<name>.options.<option>; exclude: [{ key: value, ... }] leaves combinations out',
  },
);

export const ThresholdListSchema = Type.Array(ThresholdSchema, { minItems: 1, maxItems: 20 });

export const ScenarioSchema = Type.Object(
  {
    $schema: Type.Optional(Type.String({ description: 'path or URL of this JSON Schema, for editors' })),
    name: Name('scenario name'),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
    transport: Type.Optional(
      Type.Union(
        TRANSPORTS.map((t) => Type.Literal(t)),
        { default: 'tcp', description: 'the transport of every endpoint that names none of its own (topology.endpoints[].transport)' },
      ),
    ),
    engine: Type.Optional(
      Type.Union(
        ENGINES.map((e) => Type.Literal(e)),
        {
          default: 'zeromq.js',
          description: "the binding that drives every group's sockets: zeromq.js (what a Node application gets) or native (libzmq's C API)",
        },
      ),
    ),
    duration: Type.Optional(Duration('measured time after warm-up; default 5s')),
    warmup: Type.Optional(Duration('time sent before measuring, excluded from latency and throughput; default 0s')),
    drain: Type.Optional(Duration('longest wait for receivers after the senders stop; default 5s')),
    sampleInterval: Type.Optional(Duration('time series resolution: every role reports this often, 10ms to 60s; default 100ms')),
    barrier: Type.Optional(
      Type.Boolean({ default: true, description: 'wait until every socket is connected and every subscription in effect before sending' }),
    ),
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
      Duration(
        "the run is not valid (exit 97) when a sender group's send lag p99 (actual send time minus the scheduled one) is more than this; default: no bound",
      ),
    ),
    curve: Type.Optional(
      Type.Union(
        [
          Type.Boolean(),
          Type.Object(
            {
              serverPublicKey: Type.String({
                pattern: CURVE_KEY_PATTERN,
                description: "the server public key every connecting socket is given instead of the run's own (Z85, 40 characters)",
                patternErrorMessage: CURVE_KEY_MESSAGE,
              }),
            },
            {
              additionalProperties: false,
              description: 'CURVE on, with clients given this server key: for a server zmq-bench did not start, or to test a wrong key',
            },
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
    hosts: Type.Optional(
      Type.Array(
        Type.Object(
          { label: Name('host label: groups name it in host, and run --agents binds it to an agent') },
          { additionalProperties: false },
        ),
        {
          minItems: 1,
          maxItems: LIMITS.hosts,
          description:
            'the hosts a run spans (docs/distributed.md): run --agents label=tcp://address:port puts the groups of each label on that agent; without --agents every group runs here',
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
          "pass/fail criteria in k6's grammar: metric or metric{group:NAME} → expressions; metrics: latency, latency_from_send, send_lag, throughput, loss_rate, blocked_rate, lost, sent, received, duplicates, reordered, not_sent, stalled (docs/ci.md)",
      }),
    ),
    search: Type.Optional(SearchSchema),
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
