import { Type, type Static } from '@sinclair/typebox';

/**
 * What a scenario needs to drive a ZeroMQ service zmq-bench did not start and that knows
 * nothing of its header (docs/external.md): external endpoints, payloads, content checks and
 * the sequence numbers of a foreign feed. Rules across fields live in validate-external.ts.
 */

export const EXTERNAL_LIMITS = {
  payloadFrames: 16,
  templateBytes: 64 * 1024,
  payloadFileBytes: 16 * 1024 * 1024,
  randomBytes: 64 * 1024 * 1024,
  mismatchExamples: 3,
  /** messages per second per socket a sender towards an external endpoint gets when it names no rate */
  defaultRatePerSec: 100,
} as const;

export const EXTERNAL_ADDRESS_PATTERN = '^(tcp://[^\\s/]+:[0-9]{1,5}|ipc://\\S+)$';
export const EXTERNAL_ADDRESS_MESSAGE = 'must be a tcp://host:port or ipc://path address';

export const PAYLOAD_PART_MESSAGE = 'must have exactly one of string, json, file or random';
export const PAYLOAD_MESSAGE = `must be a part ({ string }, { json }, { file } or { random }) or { frames: [part, ...] }`;
export const CHECK_MESSAGE = 'must have exactly one of equals, matches or json';
export const SEQUENCE_MESSAGE = 'must be { offset, type } (a binary integer) or { json: "field.path" }';

/** The fields a `string` or `json` template may name, as {{field}}. */
export const TEMPLATE_FIELDS = ['seq', 'now', 'source', 'group', 'instance'] as const;
export type TemplateField = (typeof TEMPLATE_FIELDS)[number];

export const SEQUENCE_TYPES = ['u8', 'u16be', 'u16le', 'u32be', 'u32le', 'u64be', 'u64le'] as const;
export type SequenceType = (typeof SEQUENCE_TYPES)[number];

/**
 * One frame of a payload. One object with an optional key per kind rather than a union of
 * objects, so that a mistake inside one is reported where it is.
 */
export const PayloadPartSchema = Type.Object(
  {
    string: Type.Optional(
      Type.String({
        maxLength: EXTERNAL_LIMITS.templateBytes,
        description: 'UTF-8 text; {{seq}}, {{now}} (ms since 1970), {{source}}, {{group}} and {{instance}} are filled in per message',
      }),
    ),
    json: Type.Optional(
      Type.Unknown({
        description:
          'a JSON value sent as text; a string that is exactly "{{seq}}" or "{{now}}" becomes a number, other {{fields}} are filled into strings',
      }),
    ),
    file: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 1000,
        description: 'bytes of a file, relative to the scenario file (at most 16 MiB), the same every message',
      }),
    ),
    random: Type.Optional(
      Type.Union(
        [Type.Integer({ minimum: 0, maximum: EXTERNAL_LIMITS.randomBytes }), Type.String({ pattern: '^[0-9]+(B|KB|KiB|MB|MiB)$' })],
        {
          description: 'random bytes of this size, fresh every message (bytes, or a string such as 1KiB)',
          errorMessage: 'must be a size: a number of bytes or a string such as 64B or 1KiB',
        },
      ),
    ),
  },
  { additionalProperties: false, minProperties: 1, maxProperties: 1, errorMessage: PAYLOAD_PART_MESSAGE },
);

export const PayloadSchema = Type.Object(
  {
    string: PayloadPartSchema.properties.string,
    json: PayloadPartSchema.properties.json,
    file: PayloadPartSchema.properties.file,
    random: PayloadPartSchema.properties.random,
    frames: Type.Optional(
      Type.Array(PayloadPartSchema, {
        minItems: 1,
        maxItems: EXTERNAL_LIMITS.payloadFrames,
        description: 'a multipart message, one part per frame',
      }),
    ),
  },
  {
    additionalProperties: false,
    minProperties: 1,
    maxProperties: 1,
    errorMessage: PAYLOAD_MESSAGE,
    description:
      "senders only: what to send instead of zmq-bench's own header (for a service that does not know it); latency is then the round trip of req and dealer only",
  },
);

const Scalar = Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()]);

export const CheckSchema = Type.Object(
  {
    equals: Type.Optional(
      Type.String({ maxLength: EXTERNAL_LIMITS.templateBytes, description: 'the last frame, as UTF-8 text, must equal this' }),
    ),
    matches: Type.Optional(
      Type.String({
        maxLength: 1000,
        description: 'the last frame, as UTF-8 text, must match this regular expression (JavaScript syntax)',
      }),
    ),
    json: Type.Optional(
      Type.Object(
        {
          field: Type.String({
            minLength: 1,
            maxLength: 200,
            description: 'a dot path into the JSON of the last frame, e.g. status or result.code',
          }),
          equals: Scalar,
        },
        { additionalProperties: false, description: 'the last frame parsed as JSON: this field must equal this value' },
      ),
    ),
  },
  {
    additionalProperties: false,
    minProperties: 1,
    maxProperties: 1,
    errorMessage: CHECK_MESSAGE,
    description: 'req, dealer, sub and pull: check every reply or message; mismatches are counted and the first ones shown',
  },
);

export const SequenceSchema = Type.Object(
  {
    offset: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 1 << 20, description: 'byte offset of the sequence number in the last frame' }),
    ),
    type: Type.Optional(
      Type.Union(
        SEQUENCE_TYPES.map((t) => Type.Literal(t)),
        { description: 'the integer at offset: u8, u16be, u16le, u32be, u32le, u64be or u64le (default u64be)' },
      ),
    ),
    json: Type.Optional(
      Type.String({ minLength: 1, maxLength: 200, description: 'a dot path to an integer field in the JSON of the last frame' }),
    ),
  },
  {
    additionalProperties: false,
    minProperties: 1,
    errorMessage: SEQUENCE_MESSAGE,
    description: 'sub and pull from an external feed: where its sequence number is, so gaps, duplicates and reordering are counted',
  },
);

export type PayloadPartSpec = Static<typeof PayloadPartSchema>;
export type PayloadSpec = Static<typeof PayloadSchema>;
export type CheckSpec = Static<typeof CheckSchema>;
export type SequenceSpec = Static<typeof SequenceSchema>;

/** A payload frame after validation; file contents read by load.ts (base64, so plans cross to child processes as JSON). */
export type PayloadPart =
  | { kind: 'string'; template: string }
  | { kind: 'json'; template: unknown }
  /** `frame`: its index when the payload is a `frames` list (for error paths); absent otherwise */
  | { kind: 'file'; path: string; base64: string; frame?: number }
  | { kind: 'random'; bytes: number };

export type ContentCheck =
  | { kind: 'equals'; text: string }
  | { kind: 'matches'; pattern: string }
  | { kind: 'json'; field: string; equals: string | number | boolean | null };

export type SequenceLocation = { kind: 'binary'; offset: number; type: SequenceType } | { kind: 'json'; field: string };
