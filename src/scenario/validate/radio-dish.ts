import { parseSizeBytes } from '../../core/units.js';
import { got } from '../problem-text.js';
import { GROUP_MAX_BYTES, UDP_DATAGRAM_BYTES, UDP_GROUP_MAX_BYTES } from '../schema.js';
import { endpointOver, transportPhrase, type Check, type CheckContext, type GroupFacts } from './context.js';
import type { Side } from './sides.js';

/**
 * RADIO and DISH (libzmq's draft API) and the udp transport: a radio's groups (`topics`) and a
 * dish's (`join`) as libzmq takes them; udp for these two types only, the DISH binding and the
 * RADIO connecting, each message and its group within one datagram. udp is an endpoint's
 * transport (its own or the scenario's): the udp rules hold for the groups on udp endpoints.
 */

/** A radio's groups and a dish's joins; udp's types and datagram size. */
export function radioDishGroupProblems(check: Check, ctx: CheckContext, g: GroupFacts): void {
  const gp = g.pointer;
  const over = endpointOver(ctx, g, 'udp');
  const udp = over !== undefined;
  if (over !== undefined && g.type !== undefined && g.type !== 'radio' && g.type !== 'dish')
    check.add(
      `${gp}/type`,
      `must be radio or dish with ${transportPhrase(...over)} (libzmq's udp transport carries RADIO and DISH only)${got(g.type)}`,
    );
  const field = g.type === 'radio' ? 'topics' : g.type === 'dish' ? 'join' : undefined;
  if (field === undefined) return;
  const names = g.fields[field];
  if (names === undefined) {
    check.add(
      `${gp}/${field}`,
      g.type === 'radio'
        ? 'is required for a radio group: the groups its messages are sent to, in turn (a RADIO sends each message to one group)'
        : 'is required for a dish group: the groups it joins, whole names (a DISH receives only groups it joined)',
    );
    return;
  }
  if (!Array.isArray(names) || !ctx.sound(`${gp}/${field}`)) return;
  (names as string[]).forEach((name, k) => {
    const at = `${gp}/${field}/${k}`;
    const bytes = Buffer.byteLength(name);
    if (name.includes('\u0000')) check.add(at, `must not contain a NUL character (libzmq takes a group as a C string)${got(name)}`);
    else if (bytes > GROUP_MAX_BYTES)
      check.add(at, `must be at most ${GROUP_MAX_BYTES} bytes of UTF-8 (ZMQ_GROUP_MAX_LENGTH), got ${bytes}`);
    else if (udp && bytes > UDP_GROUP_MAX_BYTES)
      check.add(
        at,
        `must be at most ${UDP_GROUP_MAX_BYTES} bytes of UTF-8 over udp (libzmq's udp engine reads a longer group's length as negative and the dish aborts), got ${bytes}`,
      );
    else if (field === 'join' && names.indexOf(name) !== k)
      check.add(at, `must not name a group twice (libzmq refuses a second join of a group: EINVAL)${got(name)}`);
  });
  if (udp && g.type === 'radio') datagramProblems(check, ctx, g, names as string[]);
}

/** A radio's message and its longest group in one udp datagram (trap 38). */
function datagramProblems(check: Check, ctx: CheckContext, g: GroupFacts, topics: readonly string[]): void {
  const size = g.fields['size'];
  if (size === undefined || !ctx.sound(`${g.pointer}/size`)) return;
  const bytes = parseSizeBytes(size as number | string);
  const longest = topics.reduce((m, t) => Math.max(m, Buffer.byteLength(t)), 0);
  const most = UDP_DATAGRAM_BYTES - 1 - longest;
  if (bytes === undefined || bytes <= most) return;
  check.add(
    `${g.pointer}/size`,
    `must be at most ${most} bytes over udp: a message and its group (the longest is ${longest} bytes) travel in one datagram of at most ${UDP_DATAGRAM_BYTES} bytes, and libzmq does not check (a dish gets it cut short, or the radio's memory is overrun)${got(size)}`,
  );
}

/**
 * udp: each DISH binds its own port and RADIOs connect to it (libzmq refuses a DISH's udp
 * connect, ENOCOMPATPROTO, and a RADIO's udp bind); one problem per side the other way round.
 */
export function udpSideProblems(check: Check, ctx: CheckContext, sides: readonly Side[]): void {
  for (const side of sides) {
    if (!side.refs.some((r) => ctx.endpoints.transports.get(r.endpoint)?.transport === 'udp')) continue;
    if (side.type === 'radio' && side.mode === 'bind')
      check.add(
        `${side.pointer}/bind`,
        "cannot be used by a radio over udp: each DISH binds a udp port and RADIOs connect to it (libzmq refuses a RADIO's udp bind); use connect",
      );
    if (side.type === 'dish' && side.mode === 'connect')
      check.add(
        `${side.pointer}/connect`,
        "cannot be used by a dish over udp: each DISH binds a udp port and RADIOs connect to it (libzmq refuses a DISH's udp connect: ENOCOMPATPROTO); use bind",
      );
  }
}
