import { durationText } from '../overrides.js';
import { got, isRecord } from '../problem-text.js';
import { isSender } from '../schema.js';
import { Findings, type Check, type CheckContext, type GroupFacts } from './context.js';
import type { Problem } from './problem.js';

/**
 * Timing: the scenario's durations (duration, warm-up, drain, sample interval, maxSendLag), and
 * the times of each group: a receiver's delay and pauses, a sender's giveUpAfter, a req's retry
 * timeout. Every duration must read and be at most 24h; the rules across fields are here too.
 */
export function timingProblems(raw: Record<string, unknown>, ctx: CheckContext): Problem[] {
  const found = new Findings(ctx);
  const durations = found.of('durations');
  durations.duration(raw['duration'], '/duration', true);
  for (const field of ['warmup', 'drain'] as const) durations.duration(raw[field], `/${field}`, false);
  const interval = durations.duration(raw['sampleInterval'], '/sampleInterval', true);
  if (interval !== undefined && (interval < 10 || interval > 60_000))
    durations.add('/sampleInterval', `must be from 10ms to 60s${got(raw['sampleInterval'])}`);

  for (const g of ctx.groups) {
    delayProblems(found.ofGroup('delay', g.index), ctx, g.fields['delay'], `${g.pointer}/delay`, true);
    pauseProblems(found.ofGroup('pauses', g.index), ctx, g.fields['pauses'], `${g.pointer}/pauses`);
    if (g.type !== undefined && isSender(g.type, g.side)) giveUpProblems(found.ofGroup('give-up', g.index), ctx, g);
    if (g.type === 'req') retryProblems(found.ofGroup('retry', g.index), ctx, g);
  }

  found.of('max-send-lag').duration(raw['maxSendLag'], '/maxSendLag', true);
  return found.problems;
}

/** delay: a duration, a distribution or (when `phases`) a list of phases. */
function delayProblems(check: Check, ctx: CheckContext, value: unknown, pointer: string, phases: boolean): void {
  if (typeof value === 'string') return void check.duration(value, pointer, false);
  if (isRecord(value)) {
    const uniform = value['uniform'];
    if (isRecord(uniform)) {
      const min = check.duration(uniform['min'], `${pointer}/uniform/min`, false);
      const max = check.duration(uniform['max'], `${pointer}/uniform/max`, false);
      if (min !== undefined && max !== undefined && min > max)
        check.add(`${pointer}/uniform/max`, `must be at least min (${String(uniform['min'])})${got(uniform['max'])}`);
    }
    const exponential = value['exponential'];
    if (isRecord(exponential)) check.duration(exponential['mean'], `${pointer}/exponential/mean`, true);
    return;
  }
  // a list refused as a whole (too long) would only echo its problem through its phases
  if (!phases || !Array.isArray(value) || ctx.refused(pointer)) return;
  value.forEach((phase: unknown, k) => {
    const pp = `${pointer}/${k}`;
    if (!isRecord(phase)) return;
    delayProblems(check, ctx, phase['delay'], `${pp}/delay`, false);
    if (phase['for'] !== undefined) check.duration(phase['for'], `${pp}/for`, true);
    // a misspelt `for` is already reported as an unknown field
    else if (k < value.length - 1 && !ctx.hasUnknownField(pp))
      check.add(`${pp}/for`, 'required field is missing (only the last phase may leave it out)');
  });
}

/** pauses: each sound, in order of `at`, none starting before the one before it has ended. */
function pauseProblems(check: Check, ctx: CheckContext, value: unknown, pointer: string): void {
  if (!Array.isArray(value) || ctx.refused(pointer)) return;
  let prev: { k: number; at: string; atMs: number; endMs: number } | undefined;
  value.forEach((pause: unknown, k) => {
    if (!isRecord(pause)) return;
    const atMs = check.duration(pause['at'], `${pointer}/${k}/at`, false);
    const forMs = check.duration(pause['for'], `${pointer}/${k}/for`, true);
    if (atMs === undefined || forMs === undefined) return;
    const at = pause['at'] as string;
    if (prev && atMs < prev.atMs) {
      check.add(`${pointer}/${k}/at`, `must not be before pauses[${prev.k}].at (${prev.at}): pauses are listed in order of at${got(at)}`);
    } else if (prev && atMs < prev.endMs) {
      check.add(
        `${pointer}/${k}/at`,
        `must not be before the end of pauses[${prev.k}] (${durationText(prev.endMs)}): pauses must not overlap${got(at)}`,
      );
    }
    prev = { k, at, atMs, endMs: atMs + forMs };
  });
}

/** whenBlocked and giveUpAfter of a sender; give-up sets the send timeout, so sndtimeo is out. */
function giveUpProblems(check: Check, ctx: CheckContext, g: GroupFacts): void {
  const giveUp = g.fields['whenBlocked'] === 'give-up';
  const after = g.fields['giveUpAfter'];
  if (after !== undefined) {
    if (!giveUp && ctx.sound(`${g.pointer}/whenBlocked`))
      check.add(`${g.pointer}/giveUpAfter`, 'is only allowed with whenBlocked: give-up (a sender that waits never gives up)');
    const afterMs = check.duration(after, `${g.pointer}/giveUpAfter`, false);
    // ZeroMQ's send timeout is a whole number of milliseconds
    if (afterMs !== undefined && !Number.isInteger(afterMs))
      check.add(`${g.pointer}/giveUpAfter`, `must be a whole number of milliseconds (it sets the send timeout)${got(after)}`);
  }
  const options = g.fields['options'];
  if (
    (giveUp || after !== undefined) &&
    isRecord(options) &&
    options['sndtimeo'] !== undefined &&
    ctx.sound(`${g.pointer}/options/sndtimeo`)
  ) {
    check.add(
      `${g.pointer}/options/sndtimeo`,
      `cannot be used with whenBlocked: give-up, which sets the send timeout from giveUpAfter${got(options['sndtimeo'])}`,
    );
  }
}

/** retry of a req: the lazy pirate's wait is the socket's receive timeout, so rcvtimeo is out. */
function retryProblems(check: Check, ctx: CheckContext, g: GroupFacts): void {
  const retry = g.fields['retry'];
  if (retry === undefined) return;
  if (isRecord(retry)) {
    const timeoutMs = check.duration(retry['timeout'], `${g.pointer}/retry/timeout`, true);
    if (timeoutMs !== undefined && !Number.isInteger(timeoutMs)) {
      check.add(
        `${g.pointer}/retry/timeout`,
        `must be a whole number of milliseconds (it sets the receive timeout)${got(retry['timeout'])}`,
      );
    }
  }
  const options = g.fields['options'];
  if (isRecord(options) && options['rcvtimeo'] !== undefined && ctx.sound(`${g.pointer}/options/rcvtimeo`)) {
    check.add(
      `${g.pointer}/options/rcvtimeo`,
      `cannot be used with retry, which sets the receive timeout from retry.timeout${got(options['rcvtimeo'])}`,
    );
  }
}
