import { Type, type Static } from '@sinclair/typebox';
import { BANDWIDTH_PATTERN } from '../../core/units.js';
import { DIRECTIONS, Duration, LIMITS, TARGET_MESSAGE, TARGET_PATTERN } from './basics.js';

const Target = (action: string) =>
  Type.Optional(
    Type.String({
      pattern: TARGET_PATTERN,
      maxLength: LIMITS.nameLength + 8,
      description: `${action}: a group name, or one socket as name[i] (i from 0)`,
      patternErrorMessage: TARGET_MESSAGE,
    }),
  );

const Pair = (description: string) =>
  Type.Optional(
    Type.Array(
      Type.String({
        pattern: TARGET_PATTERN,
        maxLength: LIMITS.nameLength + 8,
        description: 'a group, or one socket of the binding group as name[i]',
        patternErrorMessage: TARGET_MESSAGE,
      }),
      { minItems: 2, maxItems: 2, description: `${description}: [groupA, groupB]` },
    ),
  );

/**
 * A fault on the timeline. One object with an optional key per action rather than a union of
 * objects, so that a mistake is reported where it is; validate/events.ts wants exactly one action.
 */
export const FaultEventSchema = Type.Object(
  {
    at: Duration('when, after the start of measurement; at most the duration'),
    kill: Target('kill the socket(s) abruptly, as a crash would'),
    restart: Target('bring back socket(s) an earlier kill stopped'),
    pause: Target('stop sending and/or receiving (what)'),
    resume: Target('undo an earlier pause'),
    stop: Target('end a sender (pub, push, req, dealer) early'),
    partition: Pair('the tcp connections between two groups go silently dead: packets dropped, no RST, no FIN'),
    cut: Pair('the tcp connections between two groups are reset (both ends see it at once)'),
    slow: Pair('the tcp connections between two groups get a bandwidth limit (bandwidth)'),
    heal: Pair('undo an earlier partition or slow of the same two groups'),
    bandwidth: Type.Optional(
      Type.String({
        pattern: BANDWIDTH_PATTERN,
        description: 'slow only: the limit, as tc writes it (512kbit, 1mbit, 1gbit)',
        patternErrorMessage: 'must be a bandwidth such as 512kbit, 1mbit or 1gbit',
      }),
    ),
    for: Type.Optional(Duration('partition and slow only: heal by itself after this long')),
    what: Type.Optional(
      Type.Union(
        DIRECTIONS.map((d) => Type.Literal(d)),
        { description: 'pause and resume only: one direction; default every direction the group has' },
      ),
    ),
  },
  {
    additionalProperties: false,
    description: 'one fault: at, and exactly one of kill, restart, pause, resume, stop, partition, cut, slow or heal',
  },
);
export type FaultEventSpec = Static<typeof FaultEventSchema>;
