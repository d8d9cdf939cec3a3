import { Type, type Static } from '@sinclair/typebox';
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
