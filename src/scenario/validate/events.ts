import { durationText } from '../overrides.js';
import { andList, got, isRecord, orList } from '../problem-text.js';
import {
  FAULT_ACTIONS,
  NETWORK_FAULT_ACTIONS,
  SENDER_TYPES,
  TARGET_PATTERN,
  isSender,
  type Direction,
  type FaultAction,
} from '../schema.js';
import { Findings, type Check, type CheckContext, type GroupInfo } from './context.js';
import { NetworkTimeline, networkEventProblem } from './network-events.js';
import type { Problem } from './problem.js';
import { directionsOf } from './socket-kinds.js';
import { suggestField } from './structural.js';

/**
 * Events and faults: each in order of `at`, within the duration, with exactly one action whose
 * target exists; the timeline is played through so that a restart follows a kill of what it
 * brings back and a resume a pause of what it resumes.
 */
export function eventProblems(raw: Record<string, unknown>, ctx: CheckContext): Problem[] {
  const found = new Findings(ctx);
  const events = raw['events'];
  if (!Array.isArray(events) || ctx.refused('/events')) return found.problems;
  const check = found.of('events');
  const timeline = new Timeline();
  const network = new NetworkTimeline();
  let prev: { k: number; at: string; atMs: number } | undefined;
  events.forEach((event: unknown, k) => {
    const ep = `/events/${k}`;
    if (!isRecord(event)) return timeline.lost();
    const atMs = check.duration(event['at'], `${ep}/at`, false);
    if (atMs !== undefined) {
      const at = event['at'] as string;
      if (ctx.durationMs !== undefined && atMs > ctx.durationMs)
        check.add(`${ep}/at`, `must be at most the duration (${durationText(ctx.durationMs)})${got(at)}`);
      if (prev && atMs < prev.atMs)
        check.add(`${ep}/at`, `must not be before events[${prev.k}].at (${prev.at}): events are listed in order of at${got(at)}`);
      prev = { k, at, atMs };
    }
    const netAction = NETWORK_FAULT_ACTIONS.find((a) => event[a] !== undefined);
    if (
      netAction !== undefined &&
      FAULT_ACTIONS.every((a) => event[a] === undefined) &&
      NETWORK_FAULT_ACTIONS.filter((a) => event[a] !== undefined).length === 1
    ) {
      if (event['what'] !== undefined) check.add(`${ep}/what`, `is only for pause and resume, not ${netAction}`);
      networkEventProblem(check, ctx, network, event, ep, netAction, atMs);
    } else eventProblem(check, ctx, timeline, event, ep);
  });
  return found.problems;
}

/** The sockets killed and paused so far, as the events are played through. */
class Timeline {
  readonly killed = new Set<string>();
  readonly paused = new Map<string, Set<Direction>>();
  /** once a kill or pause could not be followed, later restarts or resumes are not judged */
  killsKnown = true;
  pausesKnown = true;

  lost(): void {
    this.killsKnown = this.pausesKnown = false;
  }
}

/** Why a proxy is never paused (docs/zeromq-traps.md 31). */
const PROXY_PAUSE_TRAP =
  "libzmq 4.3.5's zmq_proxy_steerable mixes PAUSE and RESUME up (measured: PAUSE left it forwarding, RESUME stopped it, and after either it no longer answered STATISTICS; fixed after 4.3.5, libzmq pull request 4600)";

/** One event's action and target, played on the timeline. */
function eventProblem(check: Check, ctx: CheckContext, timeline: Timeline, event: Record<string, unknown>, ep: string): void {
  const actions = [...FAULT_ACTIONS, ...NETWORK_FAULT_ACTIONS].filter((a) => event[a] !== undefined);
  const action = FAULT_ACTIONS.find((a) => event[a] !== undefined);
  if (action === undefined || actions.length > 1) {
    // a misspelt action is already reported as an unknown field, with a suggestion
    if (actions.length > 1 || !ctx.hasUnknownField(ep))
      check.add(
        ep,
        `must have exactly one of ${orList([...FAULT_ACTIONS, ...NETWORK_FAULT_ACTIONS])}, got ${actions.length === 0 ? 'none' : andList(actions)}`,
      );
    return timeline.lost();
  }
  for (const field of ['bandwidth', 'for'])
    if (event[field] !== undefined)
      check.add(`${ep}/${field}`, `is only for ${field === 'for' ? 'partition and slow' : 'slow'}, not ${action}`);
  const what = event['what'];
  if (what !== undefined && action !== 'pause' && action !== 'resume')
    check.add(`${ep}/what`, `is only for pause and resume, not ${action}`);

  const tp = `${ep}/${action}`;
  const target = resolveTarget(check, ctx, event[action], tp);
  if (!target) {
    if (action === 'kill') timeline.killsKnown = false;
    if (action === 'pause') timeline.pausesKnown = false;
    return;
  }
  const { info } = target;
  if (action === 'stop' && info.type !== undefined && !isSender(info.type, info.side) && !(info.type === 'pair' && info.side === null)) {
    check.add(tp, `is only for ${andList(SENDER_TYPES)} groups and the sender of a pair (it ends a sender early), not ${info.type}`);
  }

  // pause and resume: the directions acted on, when known
  let directions: Direction[] | undefined;
  if ((action === 'pause' || action === 'resume') && info.type !== undefined) {
    const has = directionsOf(info.type, info.hasForward, info.side);
    if (info.type === 'proxy') {
      check.add(tp, `cannot ${action} a proxy: ${PROXY_PAUSE_TRAP}${got(event[action])}`);
      return;
    } else if (what === undefined) directions = has;
    else if ((what === 'sending' || what === 'receiving') && ctx.sound(`${ep}/what`)) {
      if (has.includes(what)) directions = [what];
      else
        check.add(
          `${ep}/what`,
          `must be ${has.join(' or ')}, the only direction group ${JSON.stringify(target.group)} (${info.type}) has${got(what)}`,
        );
    }
  }
  play(check, timeline, action, target, directions, { what, value: event[action], pointer: tp });
}

/** A kill, restart, pause or resume on the timeline; a restart or resume of what is not killed or paused is a problem. */
function play(
  check: Check,
  timeline: Timeline,
  action: FaultAction,
  target: { group: string; sockets: number[] },
  directions: Direction[] | undefined,
  written: { what: unknown; value: unknown; pointer: string },
): void {
  const { killed, paused } = timeline;
  const socketName = (i: number) => `${target.group}[${i}]`;
  const { sockets } = target;
  switch (action) {
    case 'kill':
      for (const i of sockets) killed.add(socketName(i));
      break;
    case 'restart': {
      if (!timeline.killsKnown) break;
      const running = sockets.find((i) => !killed.has(socketName(i)));
      if (running !== undefined) {
        check.add(
          written.pointer,
          `must follow a kill of the same target (a kill of the group covers each of its sockets): ${socketName(running)} is not killed at this point${got(written.value)}`,
        );
      } else for (const i of sockets) killed.delete(socketName(i));
      break;
    }
    case 'pause':
      if (directions === undefined) timeline.pausesKnown = false;
      else
        for (const i of sockets)
          for (const d of directions) paused.set(socketName(i), (paused.get(socketName(i)) ?? new Set<Direction>()).add(d));
      break;
    case 'resume': {
      if (!timeline.pausesKnown || directions === undefined) break;
      const dirs = directions;
      const notPaused = sockets.find((i) => !dirs.some((d) => paused.get(socketName(i))?.has(d)));
      if (notPaused !== undefined) {
        const which = written.what === undefined ? '' : ` (${String(written.what)})`;
        check.add(
          written.pointer,
          `must follow a pause of the same target (a pause of the group covers each of its sockets): ${socketName(notPaused)} is not paused${which} at this point${got(written.value)}`,
        );
      } else for (const i of sockets) for (const d of dirs) paused.get(socketName(i))?.delete(d);
      break;
    }
    case 'stop':
      break;
  }
}

/** The group and sockets a target names, or undefined (with the problem reported when there is one). */
function resolveTarget(
  check: Check,
  ctx: CheckContext,
  value: unknown,
  pointer: string,
): { group: string; info: GroupInfo; sockets: number[] } | undefined {
  if (typeof value !== 'string' || !ctx.sound(pointer)) return undefined;
  const m = new RegExp(TARGET_PATTERN).exec(value);
  if (!m) return undefined; // reported by the schema
  const group = m[1]!;
  const info = ctx.groupInfo.get(group);
  if (!info) {
    if (ctx.namesComplete) {
      const hint = suggestField(group, [...ctx.groupInfo.keys()]);
      check.add(pointer, `group ${JSON.stringify(group)} is not in topology.groups${hint ? ` (did you mean "${hint}"?)` : ''}`);
    }
    return undefined;
  }
  if (info.count === undefined) return undefined;
  if (m[2] === undefined) return { group, info, sockets: Array.from({ length: info.count }, (_, i) => i) };
  const instance = Number(m[2]);
  if (instance >= info.count) {
    check.add(pointer, `socket index must be less than the count of group ${JSON.stringify(group)} (${info.count})${got(value)}`);
    return undefined;
  }
  return { group, info, sockets: [instance] };
}

export { parseTarget } from './targets.js';
