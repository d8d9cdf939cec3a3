import { isRecord } from '../problem-text.js';

/**
 * A problem a check found: where (a JSON pointer into the file as parsed), what, and which check
 * found it. The check decides where the problem is listed, so that the topic modules can run one
 * after the other and the list still reads like the file: the scenario's own fields, then group
 * by group, then the rules across groups, then events, thresholds and expect.
 */

/** The checks of the scenario as a whole, in the order their problems are listed; the group checks come at `groups`. */
export const SCENARIO_STEPS = [
  'durations',
  'curve',
  'hosts',
  'endpoint-names',
  'groups',
  'group-totals',
  'endpoint-use',
  'external-addresses',
  'unused-endpoints',
  'push-receivers',
  'pairs',
  'udp',
  'topics',
  'forward-loops',
  'captures',
  'proxies',
  'events',
  'max-send-lag',
  'thresholds',
  'search',
  'expect',
] as const;

/** The checks of one group, in the order their problems are listed within the group. */
export const GROUP_STEPS = [
  'group-name',
  'placement',
  'engine',
  'host',
  'field-owners',
  'side',
  'size',
  'rate',
  'delay',
  'pauses',
  'give-up',
  'retry',
  'options',
  'groups-joined',
  'external',
  'misuse',
  'proxy',
  'sides',
  'forward-options',
  'forward-sides',
  'proxy-sides',
] as const;

export type ScenarioStep = Exclude<(typeof SCENARIO_STEPS)[number], 'groups'>;
export type GroupStep = (typeof GROUP_STEPS)[number];

export type Problem = {
  /** JSON pointer into the raw value, e.g. /topology/groups/1/rate */
  pointer: string;
  text: string;
} & ({ step: ScenarioStep } | { step: GroupStep; group: number });

function rank(p: Problem): [number, number, number] {
  if ('group' in p) return [SCENARIO_STEPS.indexOf('groups'), p.group, GROUP_STEPS.indexOf(p.step)];
  return [SCENARIO_STEPS.indexOf(p.step), 0, 0];
}

/** The problems in the order they are listed (a stable sort: one check's problems keep their own order). */
export function inReportOrder(problems: readonly Problem[]): Problem[] {
  const keyed = problems.map((p) => ({ p, key: rank(p) }));
  keyed.sort((a, b) => a.key[0] - b.key[0] || a.key[1] - b.key[1] || a.key[2] - b.key[2]);
  return keyed.map(({ p }) => p);
}

export function pointerSegments(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

export function escapeSegment(s: string): string {
  return s.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** /topology/groups/1/rate → topology.groups[1].rate (walking the value to tell lists from keys). */
export function formatPath(raw: unknown, pointer: string): string {
  let out = '';
  let cur: unknown = raw;
  for (const seg of pointerSegments(pointer)) {
    if (Array.isArray(cur)) out += `[${seg}]`;
    else if (/^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
    cur = isRecord(cur) || Array.isArray(cur) ? (cur as Record<string, unknown>)[seg] : undefined;
  }
  return out === '' ? '(top level)' : out;
}

/** `<path>: <text>`, one line per problem, as the user sees them. */
export function problemLines(raw: unknown, problems: readonly { pointer: string; text: string }[]): string[] {
  return problems.map((p) => `${formatPath(raw, p.pointer)}: ${p.text}`);
}
