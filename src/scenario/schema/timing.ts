import { Type, type Static } from '@sinclair/typebox';
import { Duration, LIMITS } from './basics.js';

/** Time in a group's life: the processing delay of a receiver, its pauses, and a req's retry. */

export const DELAY_MESSAGE = 'must be a duration such as 1ms, { uniform: { min, max } }, { exponential: { mean } } or a list of phases';
export const PHASE_DELAY_MESSAGE =
  'must be a duration such as 1ms, { uniform: { min, max } } or { exponential: { mean } } (phases do not nest)';
export const DISTRIBUTION_MESSAGE = 'must have exactly one of uniform or exponential';

/**
 * A random delay. One object with optional keys rather than a union of two objects, so that a
 * mistake inside `uniform` is reported where it is (a union of objects could only say "no match").
 * validate/structural.ts knows this node by identity, to name an unknown key an unknown distribution.
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
      Type.Object(
        { mean: Duration('mean delay, longer than 0s') },
        { additionalProperties: false, description: 'exponentially distributed delays (many short, a few long)' },
      ),
    ),
  },
  { additionalProperties: false, minProperties: 1, maxProperties: 1, errorMessage: DISTRIBUTION_MESSAGE },
);

export const DelaySpecSchema = Type.Union([Duration('fixed processing time per message'), DelayDistributionSchema], {
  errorMessage: PHASE_DELAY_MESSAGE,
});

const DelayPhaseSchema = Type.Object(
  {
    for: Type.Optional(Duration('how long the phase lasts; only the last phase may leave it out')),
    delay: DelaySpecSchema,
  },
  { additionalProperties: false },
);

export const DelaySchema = Type.Union(
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

export const RetrySchema = Type.Object(
  {
    timeout: Duration('how long to wait for each reply before giving the socket up; longer than 0s, whole ms'),
    retries: Type.Integer({
      minimum: 0,
      maximum: LIMITS.retries,
      description: 'resends of one request at most, each on a new socket, before it is abandoned',
    }),
  },
  {
    additionalProperties: false,
    description: 'req only: the lazy pirate; on a timeout close the socket, open a new one and resend the same request',
  },
);

export const PauseSchema = Type.Object(
  {
    at: Duration('when the receiver stops reading, after the start of measurement'),
    for: Duration('how long it stops reading'),
  },
  { additionalProperties: false },
);

/** `delay` as written: a duration, a distribution or a list of phases. */
export type DelayField = Static<typeof DelaySchema>;
/** The delay of one phase: a duration or a distribution. */
export type DelaySpecField = Static<typeof DelaySpecSchema>;
export type RetrySpec = Static<typeof RetrySchema>;
