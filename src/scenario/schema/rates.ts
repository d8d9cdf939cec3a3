import { Type, type Static } from '@sinclair/typebox';
import { Duration, LIMITS } from './basics.js';

export const RATE_RANGE_MESSAGE = `must be from ${LIMITS.minRatePerSecond} to ${LIMITS.ratePerSecond} messages per second (at least one message every ${1 / LIMITS.minRatePerSecond}s)`;

export const RatePerSec = (description: string) =>
  Type.Number({ minimum: LIMITS.minRatePerSecond, maximum: LIMITS.ratePerSecond, description, errorMessage: RATE_RANGE_MESSAGE });

export const RATE_MESSAGE =
  'must be a number > 0, "max", { ramp: { from, to, over } }, { bursts: { size, every } } or { steps: [{ rate, for }, ...] }';
export const RATE_SHAPE_MESSAGE = 'must have exactly one of ramp, bursts or steps';

const RateStepSchema = Type.Object(
  {
    rate: Type.Union([Type.Literal('max'), RatePerSec('messages per second per socket')], {
      description: 'messages per second per socket, or max',
    }),
    for: Type.Optional(Duration('how long the step lasts; only the last step may leave it out (it lasts to the end anyway)')),
  },
  { additionalProperties: false },
);

/**
 * A rate that changes over time, timed from the start of measurement (warm-up sends at the
 * shape's first rate). One object with an optional key per shape rather than a union of
 * objects, so that a mistake inside `ramp` is reported where it is; validate/structural.ts knows this
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

/** `rate` as written: a number, max, or a shape (validate/structural.ts knows the union by its RateShapeSchema member). */
export const RateSchema = Type.Union([Type.Literal('max'), RatePerSec('messages per second per socket'), RateShapeSchema], {
  description: 'messages per second per socket, max (as fast as possible), or a shape: { ramp }, { bursts } or { steps } (senders only)',
});

/** `rate` as written: a number, max, or a shape. */
export type RateField = Static<typeof RateSchema>;
