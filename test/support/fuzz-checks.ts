import { dirname, relative, isAbsolute } from 'node:path';
import { isBenchError, messageOf } from '../../src/core/errors.js';
import { constantRatePacer, shapePacer } from '../../src/pacing/pacer.js';
import type { LoadedFile } from '../../src/scenario/suite.js';
import { compare, METRICS } from '../../src/scenario/thresholds.js';

/**
 * What the fuzz tests demand of every input: it is accepted as something that can run as
 * written, or refused with exit code 104 and one line per problem that says where
 * (`file: field.path: …`, `file: line L, column C: …`, or a problem of the whole file).
 */

const SEGMENT = String.raw`(?:[A-Za-z_$][\w$-]*|\[\d+\]|\["(?:[^"\\]|\\.)*"\])`;
/** After "<file>: ": a field path, a line and column, or the top level. */
const WHERE = new RegExp(
  String.raw`^(?:line \d+, column \d+|\(top level\)|${SEGMENT}(?:\.[A-Za-z_$][\w$-]*|\[\d+\]|\["(?:[^"\\]|\\.)*"\])*): \S`,
);
/** Problems of a whole file, where the file is the path. */
const WHOLE_FILE =
  /^(?:the file is empty|must be at most \d+ bytes|file not found|cannot read the file|is a directory|is not a regular file|must be a \.yaml|YAML aliases expand too much|not UTF-8 text|.*not UTF-8)/;

/** JavaScript's own messages: they tell a user nothing about the file (issue 17 item 5: "Maximum call stack size exceeded"). */
const INTERNAL =
  /Maximum call stack size exceeded|cannot be converted to a BigInt|Cannot read properties of|is not a function|Invalid array length|Invalid string length/;

/** Whether one problem line names `file` and where in it. */
export function namesAPath(line: string, file: string): boolean {
  if (!line.startsWith(`${file}: `)) return false;
  const rest = line.slice(file.length + 2);
  return WHERE.test(rest) || WHOLE_FILE.test(rest);
}

/** What is wrong with the way loading `file` failed ([] when it failed as it should). */
export function refusalProblems(e: unknown, file: string): string[] {
  if (!isBenchError(e))
    return [`threw ${e instanceof Error ? e.name : typeof e} instead of refusing with exit 104: ${messageOf(e).slice(0, 300)}`];
  if (e.exitCode !== 104) return [`exit code ${e.exitCode}, not 104: ${e.problems.join(' | ').slice(0, 300)}`];
  if (e.problems.length === 0) return ['refused without a problem line'];
  return e.problems.flatMap((p) => [
    ...(namesAPath(p, file) ? [] : [`a problem without a path: ${JSON.stringify(p.slice(0, 300))}`]),
    ...(INTERNAL.test(p) ? [`a JavaScript error shown as a problem: ${JSON.stringify(p.slice(0, 300))}`] : []),
  ]);
}

/** ipc:// and inproc:// have no port; tcp://host:port must have one zmq can use. */
function portProblem(address: string): string | undefined {
  const m = /^tcp:\/\/.*:([^:\]]*)$/.exec(address);
  if (!m) return undefined;
  const port = Number(m[1]);
  return Number.isInteger(port) && port >= 1 && port <= 65535 ? undefined : `port ${JSON.stringify(m[1])} is not 1-65535`;
}

/** Candidate figures for a threshold, within what the metric can be. */
function figures(value: number, fraction: boolean): number[] {
  const all = [0, 1, value, value / 2, value * 2, value + 1, value - 1, value + 1e-9, value - 1e-9, 1e12];
  return all.filter((x) => Number.isFinite(x) && x >= 0 && (!fraction || x <= 1));
}

/**
 * Why an accepted file could not run as written (issue 17 items 6, 7, 8, 15): a port zmq would
 * wrap, a rate or time the pacer cannot turn into nanoseconds, a payload read from outside the
 * scenario's folder, a threshold that can never fail or never pass.
 */
export function runnableProblems(loaded: LoadedFile): string[] {
  const out: string[] = [];
  for (const { scenario: s, file } of loaded.entries) {
    const at = (what: string) => `${s.name}: ${what}`;
    for (const [name, address] of Object.entries(s.external)) {
      const p = portProblem(address);
      if (p) out.push(at(`accepted external endpoint ${name}=${address}: ${p}`));
    }
    for (const [field, ms] of [
      ['duration', s.durationMs],
      ['warmup', s.warmupMs],
      ['drain', s.drainMs],
    ] as const) {
      if (!Number.isSafeInteger(Math.round(ms * 1e6))) out.push(at(`accepted ${field} ${ms} ms, not a whole number of nanoseconds`));
    }
    for (const g of s.groups) {
      try {
        const pacer =
          g.ratePerSec !== null
            ? constantRatePacer(g.ratePerSec, 0n)
            : g.rateShape
              ? shapePacer(g.rateShape, 0n, { nowNs: () => 0n })
              : undefined;
        pacer?.next();
        pacer?.next();
      } catch (e) {
        out.push(
          at(
            `accepted rate of group ${g.name} (${g.ratePerSec ?? JSON.stringify(g.rateShape)}) that the pacer cannot pace: ${messageOf(e)}`,
          ),
        );
      }
      for (const part of g.payload ?? []) {
        if (part.kind !== 'file') continue;
        const inside = relative(dirname(file), part.path.startsWith('/') ? part.path : `${dirname(file)}/${part.path}`);
        if (inside.startsWith('..') || isAbsolute(inside))
          out.push(at(`accepted payload file ${part.path} of group ${g.name}, outside the scenario's folder`));
      }
    }
    for (const t of s.thresholds) {
      const candidates = figures(t.value, METRICS[t.metric].unit === 'fraction');
      const passes = candidates.some((x) => compare(x, t.operator, t.value));
      const fails = candidates.some((x) => !compare(x, t.operator, t.value));
      if (!passes || !fails) out.push(at(`accepted threshold ${t.key}: "${t.expression}", which can never ${passes ? 'fail' : 'pass'}`));
    }
  }
  return out;
}
