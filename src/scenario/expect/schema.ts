import { Type, type Static } from '@sinclair/typebox';

/**
 * The `expect:` block of a catalogue scenario: which ZeroMQ claim of BEHAVIOURS.md it
 * reproduces, and the assertions over its result.json that say whether the claim holds.
 * Only the structure lives here; check.ts (beside it) reads the `that` expressions
 * against the scenario's groups.
 */

export const EXPECT_LIMITS = {
  assertions: 20,
  seeds: 10,
  /** claim, says and that: one line each */
  lineLength: 200,
} as const;

export const BEHAVIOUR_PATTERN = '^B[0-9]{1,2}$';
export const BEHAVIOUR_MESSAGE = 'must be a behaviour id from BEHAVIOURS.md such as B7';
/** Seed files are 000_<hash>.txt ...: the id is the three digits. */
export const SEED_PATTERN = '^[0-9]{3}$';
export const SEED_MESSAGE = 'must be a seed id such as "002", or a list of them';
const ONE_LINE_PATTERN = '^[^\\r\\n]+$';
const ONE_LINE_MESSAGE = 'must be one line of text';

const OneLine = (description: string) =>
  Type.String({
    minLength: 1,
    maxLength: EXPECT_LIMITS.lineLength,
    pattern: ONE_LINE_PATTERN,
    description,
    patternErrorMessage: ONE_LINE_MESSAGE,
  });

// YAML reads `seed: 002` as the number 2, so a number is accepted too and written back as "002".
const SeedId = Type.Union([Type.String({ pattern: SEED_PATTERN }), Type.Integer({ minimum: 0, maximum: 999 })], {
  description: 'a seed file id: its three leading digits, such as "002"',
  errorMessage: SEED_MESSAGE,
});

export const AssertionSchema = Type.Object(
  {
    that: OneLine(
      '<path> <operator> <number or path> over result.json, such as "groups.subscribers.loss.head > 0"; operators > >= < <= == !=',
    ),
    says: OneLine('what this assertion checks, in words, for the verify table'),
    required: Type.Optional(
      Type.Boolean({
        default: true,
        description: 'false: reported, but its failure does not fail `zmq-bench verify` (the claim holds only partly)',
      }),
    ),
  },
  { additionalProperties: false },
);

export const ExpectSchema = Type.Object(
  {
    behaviour: Type.String({
      pattern: BEHAVIOUR_PATTERN,
      description: "the claim's id in BEHAVIOURS.md, such as B7",
      patternErrorMessage: BEHAVIOUR_MESSAGE,
    }),
    claim: OneLine('the claim, in one line, as the seeds make it'),
    seed: Type.Union([SeedId, Type.Array(SeedId, { minItems: 1, maxItems: EXPECT_LIMITS.seeds })], {
      description: 'the seed file(s) the claim comes from: "002" or ["000", "003"]',
      errorMessage: SEED_MESSAGE,
    }),
    transports: Type.Optional(
      Type.Array(Type.Union([Type.Literal('inproc'), Type.Literal('ipc'), Type.Literal('tcp'), Type.Literal('udp')]), {
        minItems: 1,
        maxItems: 4,
        uniqueItems: true,
        description:
          'the transports the claim applies to (default inproc, ipc and tcp; udp only where named, for radio and dish); `verify --transport` skips the others',
      }),
    ),
    assertions: Type.Array(AssertionSchema, {
      minItems: 1,
      maxItems: EXPECT_LIMITS.assertions,
      description: 'what must be true of the result for the claim to hold; `zmq-bench verify` judges them',
    }),
  },
  {
    additionalProperties: false,
    description: 'the behaviour this scenario reproduces and the assertions that say whether it holds on this machine (`zmq-bench verify`)',
  },
);
export type ExpectFile = Static<typeof ExpectSchema>;

/** One assertion with its default filled. */
export interface Assertion {
  that: string;
  says: string;
  required: boolean;
}

/** The `expect:` block after validation: seeds always a list of three-digit ids. */
export interface Expectation {
  behaviour: string;
  claim: string;
  seeds: string[];
  /** where the claim applies */
  transports: ('inproc' | 'ipc' | 'tcp' | 'udp')[];
  assertions: Assertion[];
}

export function normalizeExpect(e: ExpectFile): Expectation {
  const seeds = Array.isArray(e.seed) ? e.seed : [e.seed];
  return {
    behaviour: e.behaviour,
    claim: e.claim,
    seeds: seeds.map((s) => (typeof s === 'number' ? String(s).padStart(3, '0') : s)),
    transports: e.transports ?? ['inproc', 'ipc', 'tcp'],
    assertions: e.assertions.map((a) => ({ that: a.that, says: a.says, required: a.required ?? true })),
  };
}
