import { Type, type Static } from '@sinclair/typebox';
import { Duration, LIMITS, Name } from './basics.js';

/**
 * `search:`: how `run --find-max-rate` looks for the highest rate the topology sustains. The
 * rate is the total offered by the searched sender groups (every socket of them), shared in the
 * ratio of their own rates; each step is a whole run of the scenario at one rate.
 */

/** The most a total may be: every socket of the largest scenario at the highest rate. */
export const MAX_TOTAL_RATE = LIMITS.ratePerSecond * LIMITS.socketsInScenario;

export const FRACTION_MESSAGE = 'must be a percentage such as 5% or a number from 0 to 1';
const PERCENT_PATTERN = '^[0-9]+(\\.[0-9]+)?%$';

const Fraction = (description: string) =>
  Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.String({ pattern: PERCENT_PATTERN })], {
    description: `${description} (a percentage such as 5%, or a number from 0 to 1)`,
    errorMessage: FRACTION_MESSAGE,
  });

const TOTAL_MESSAGE = `must be a number of messages per second from ${LIMITS.minRatePerSecond} to ${MAX_TOTAL_RATE}`;
const TotalRate = (description: string) =>
  Type.Number({ minimum: LIMITS.minRatePerSecond, maximum: MAX_TOTAL_RATE, description, errorMessage: TOTAL_MESSAGE });

export const SearchSchema = Type.Object(
  {
    start: Type.Optional(
      TotalRate(
        'messages per second offered at the first step, in total over every socket of the searched groups; the lowest rate tried. Default: their rates as written',
      ),
    ),
    ceiling: Type.Optional(
      TotalRate('never offer more than this many messages per second in total; default: as much as keeps every socket within 10M msgs/s'),
    ),
    factor: Type.Optional(
      Type.Number({
        exclusiveMinimum: 1,
        maximum: 100,
        description: 'after a step that held, the next offers this many times more; default 2',
      }),
    ),
    precision: Type.Optional(
      Fraction('bisection stops when the lowest rate that failed is within this of the highest that held (relative to it); default 5%'),
    ),
    duration: Type.Optional(Duration("measured time of each step; default: the scenario's duration (run --duration wins over both)")),
    maxSteps: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, description: 'runs at most, whatever the precision; default 20' })),
    groups: Type.Optional(
      Type.Array(Name('a sender group whose rate is searched'), {
        minItems: 1,
        maxItems: LIMITS.groups,
        description: 'the sender groups the offered rate applies to, in the ratio of their own rates; default: every sender group',
      }),
    ),
    maxLoss: Type.Optional(Fraction('a step fails when more than this share of the expected messages is lost; default 0 (no loss)')),
    maxShortfall: Type.Optional(
      Fraction('a step fails when the achieved throughput falls short of the offered rate by more than this; default 5%'),
    ),
    maxP99: Type.Optional(Duration('a step fails when the latency p99 (the totals) is above this; default: no bound')),
    maxSendLag: Type.Optional(Duration("a step fails when the senders' send lag p99 is above this; default: no bound")),
  },
  {
    additionalProperties: false,
    description:
      'rate discovery with run --find-max-rate: raise the offered rate step by step (×factor), then bisect between the highest rate that held and the lowest that failed (docs/scenarios.md "Rate discovery")',
  },
);
export type SearchFile = Static<typeof SearchSchema>;

/** `search:` after validation; null where the default depends on the scenario (see scenario/search.ts). */
export interface SearchSpec {
  /** total msgs/s of the first step; null: the searched groups' rates as written */
  start: number | null;
  /** total msgs/s never exceeded; null: as high as the per-socket rate limit allows */
  ceiling: number | null;
  factor: number;
  /** a fraction of 1 */
  precision: number;
  /** measured time of each step; null: the scenario's duration */
  durationMs: number | null;
  maxSteps: number;
  /** the searched sender groups; empty: every sender group */
  groups: string[];
  /** a fraction of 1 of the expected messages */
  maxLoss: number;
  /** a fraction of 1 of the offered rate */
  maxShortfall: number;
  maxP99Ms: number | null;
  maxSendLagMs: number | null;
}

export const SEARCH_DEFAULTS = {
  factor: 2,
  precision: 0.05,
  maxSteps: 20,
  maxLoss: 0,
  maxShortfall: 0.05,
} as const;

/** A fraction as written: a number from 0 to 1, or a percentage string. */
export function fractionOf(v: number | string): number {
  return typeof v === 'number' ? v : Number(v.slice(0, -1)) / 100;
}
