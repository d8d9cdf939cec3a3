import { durationText } from './overrides.js';
import { got } from './problem-text.js';
import { fractionOf, isSender, LIMITS, SEARCH_DEFAULTS, SENDER_TYPES, type Scenario, type SearchFile, type SearchSpec } from './schema.js';
import { ms } from './validate/durations.js';

/**
 * Rate discovery's settings (`search:`, docs/scenarios.md "Rate discovery"): from the file to
 * the SearchSpec and back, the defaults that depend on the scenario, the checks that need the
 * whole (normalized) scenario, and the per-socket rates of one step. Pure.
 */

/** What `run --find-max-rate` uses when the scenario has no `search:`. */
export const DEFAULT_SEARCH: SearchSpec = {
  start: null,
  ceiling: null,
  factor: SEARCH_DEFAULTS.factor,
  precision: SEARCH_DEFAULTS.precision,
  durationMs: null,
  maxSteps: SEARCH_DEFAULTS.maxSteps,
  groups: [],
  maxLoss: SEARCH_DEFAULTS.maxLoss,
  maxShortfall: SEARCH_DEFAULTS.maxShortfall,
  maxP99Ms: null,
  maxSendLagMs: null,
};

/** Only called on a block that passed every check. */
export function normalizeSearch(f: SearchFile): SearchSpec {
  return {
    start: f.start ?? null,
    ceiling: f.ceiling ?? null,
    factor: f.factor ?? SEARCH_DEFAULTS.factor,
    precision: f.precision === undefined ? SEARCH_DEFAULTS.precision : fractionOf(f.precision),
    durationMs: f.duration === undefined ? null : ms(f.duration),
    maxSteps: f.maxSteps ?? SEARCH_DEFAULTS.maxSteps,
    groups: [...(f.groups ?? [])],
    maxLoss: f.maxLoss === undefined ? SEARCH_DEFAULTS.maxLoss : fractionOf(f.maxLoss),
    maxShortfall: f.maxShortfall === undefined ? SEARCH_DEFAULTS.maxShortfall : fractionOf(f.maxShortfall),
    maxP99Ms: f.maxP99 === undefined ? null : ms(f.maxP99),
    maxSendLagMs: f.maxSendLag === undefined ? null : ms(f.maxSendLag),
  };
}

/** The block as a file holds it, every setting written (those the scenario decides only when given). */
export function searchAsRun(s: SearchSpec): SearchFile {
  return {
    ...(s.start !== null ? { start: s.start } : {}),
    ...(s.ceiling !== null ? { ceiling: s.ceiling } : {}),
    factor: s.factor,
    precision: s.precision,
    ...(s.durationMs !== null ? { duration: durationText(s.durationMs) } : {}),
    maxSteps: s.maxSteps,
    ...(s.groups.length > 0 ? { groups: [...s.groups] } : {}),
    maxLoss: s.maxLoss,
    maxShortfall: s.maxShortfall,
    ...(s.maxP99Ms !== null ? { maxP99: durationText(s.maxP99Ms) } : {}),
    ...(s.maxSendLagMs !== null ? { maxSendLag: durationText(s.maxSendLagMs) } : {}),
  };
}

/** A searched group: its sockets and the constant rate per socket the file gives it. */
export interface SearchedGroup {
  name: string;
  count: number;
  ratePerSec: number;
}

/** The settings of one search with every default worked out for its scenario. */
export interface ResolvedSearch extends Omit<SearchSpec, 'start' | 'ceiling' | 'durationMs' | 'groups'> {
  start: number;
  ceiling: number;
  /** the measured time of every step */
  stepMs: number;
  groups: SearchedGroup[];
  /** the lowest total that gives every socket LIMITS.minRatePerSecond or more */
  lowest: number;
  /** the highest total that gives no socket more than LIMITS.ratePerSecond */
  highest: number;
}

const writtenTotal = (groups: readonly SearchedGroup[]) => groups.reduce((a, g) => a + g.ratePerSec * g.count, 0);

/**
 * The settings of the search of `s`: the block's (or the defaults), with the start, ceiling,
 * step duration and groups filled in. `stepMs`: run --duration, which wins over the block.
 * Only called on a scenario searchProblems found nothing wrong with.
 */
export function resolveSearch(s: Scenario, stepMs?: number): ResolvedSearch {
  const spec = s.search ?? DEFAULT_SEARCH;
  const groups = searchedGroups(s, spec).map((g) => ({ name: g.name, count: g.count, ratePerSec: g.ratePerSec! }));
  const total = writtenTotal(groups);
  const highestShare = Math.max(...groups.map((g) => g.ratePerSec)) / total;
  const lowestShare = Math.min(...groups.map((g) => g.ratePerSec)) / total;
  const highest = Math.floor(LIMITS.ratePerSecond / highestShare);
  return {
    ...spec,
    start: spec.start ?? total,
    ceiling: spec.ceiling ?? highest,
    stepMs: stepMs ?? spec.durationMs ?? s.durationMs,
    groups,
    // in whole thousandths, rounded up: a start of `lowest` gives no socket less than the minimum
    lowest: Math.ceil((LIMITS.minRatePerSecond / lowestShare) * 1000) / 1000,
    highest,
  };
}

/**
 * The settings as a block with nothing left to the scenario: what a step's scenario carries, so
 * that its as-run form in result.json says how the search ran even where the file said nothing.
 */
export function explicitSearch(r: ResolvedSearch): SearchSpec {
  const { start, ceiling, factor, precision, stepMs, maxSteps, groups, maxLoss, maxShortfall, maxP99Ms, maxSendLagMs } = r;
  return {
    start,
    ceiling,
    factor,
    precision,
    durationMs: stepMs,
    maxSteps,
    groups: groups.map((g) => g.name),
    maxLoss,
    maxShortfall,
    maxP99Ms,
    maxSendLagMs,
  };
}

/** The rate per socket of every searched group when `total` msgs/s are offered in all, in their written ratio. */
export function groupRatesAt(r: Pick<ResolvedSearch, 'groups'>, total: number): Record<string, number> {
  const written = writtenTotal(r.groups);
  const rates: Record<string, number> = {};
  for (const g of r.groups)
    rates[g.name] = Math.min(LIMITS.ratePerSecond, Math.max(LIMITS.minRatePerSecond, (total * g.ratePerSec) / written));
  return rates;
}

/** Each searched group's share of the offered total, per socket: its rate per socket = total × share. */
export function rateShares(r: Pick<ResolvedSearch, 'groups'>): Record<string, number> {
  const written = writtenTotal(r.groups);
  return Object.fromEntries(r.groups.map((g) => [g.name, g.ratePerSec / written]));
}

function searchedGroups(s: Scenario, spec: SearchSpec) {
  return spec.groups.length === 0
    ? s.groups.filter((g) => isSender(g.type, g.side))
    : spec.groups.flatMap((name) => s.groups.filter((g) => g.name === name));
}

const listed = (names: readonly string[]) => names.map((n) => JSON.stringify(n)).join(', ');

/**
 * What makes the search of `s` impossible, with the path of each problem: a group of
 * search.groups that is not a sender of this scenario, a searched sender without a constant
 * rate (its rate is the share it gets), a step shorter than the last event, a start or ceiling
 * a socket's rate cannot follow. `flag`: the problems come from run --find-max-rate on a
 * scenario without `search:`, so they say so.
 */
export function searchProblems(s: Scenario, flag = false): Array<{ path: string; text: string }> {
  const spec = s.search ?? DEFAULT_SEARCH;
  const problems: Array<{ path: string; text: string }> = [];
  const by = flag ? '--find-max-rate' : 'the search';
  const senders = s.groups.filter((g) => isSender(g.type, g.side));
  if (senders.length === 0)
    return [
      {
        path: flag ? '(top level)' : 'search',
        text: `${by} needs a sender group (${SENDER_TYPES.join(', ')}, or a pair with side: sender): this scenario has none`,
      },
    ];
  const seen = new Set<string>();
  spec.groups.forEach((name, k) => {
    const g = s.groups.find((x) => x.name === name);
    const path = `search.groups[${k}]`;
    if (seen.has(name)) problems.push({ path, text: `names group ${JSON.stringify(name)} twice` });
    else if (g === undefined)
      problems.push({ path, text: `no group ${JSON.stringify(name)}; the sender groups are ${listed(senders.map((x) => x.name))}` });
    else if (!isSender(g.type, g.side))
      problems.push({
        path,
        text: `group ${JSON.stringify(name)} is a ${g.type} group; the search sets the rate of sender groups (${listed(senders.map((x) => x.name))})`,
      });
    seen.add(name);
  });
  if (problems.length > 0) return problems;
  for (const g of searchedGroups(s, spec)) {
    if (g.ratePerSec !== null) continue;
    const i = s.groups.indexOf(g);
    const what = g.rateShape === null ? '"max"' : `a ${g.rateShape.kind} shape`;
    const other = spec.groups.length === 0 ? ' (or list the groups to search in search.groups)' : '';
    problems.push({
      path: `topology.groups[${i}].rate`,
      text: `${by} offers rates in the ratio of the searched senders' own, so each needs a constant rate such as 1000${other}, got ${what}`,
    });
  }
  if (problems.length > 0) return problems;
  return [...timeProblems(s, spec), ...rangeProblems(resolveSearch(s), spec)];
}

/** search.duration shorter than the last event (the scenario's own duration was checked against them already). */
function timeProblems(s: Scenario, spec: SearchSpec): Array<{ path: string; text: string }> {
  const lastAtMs = Math.max(s.events.at(-1)?.atMs ?? 0, s.networkFaults.at(-1)?.atMs ?? 0);
  if (spec.durationMs === null || lastAtMs <= spec.durationMs) return [];
  return [
    {
      path: 'search.duration',
      text: `must be at least ${durationText(lastAtMs)}, when the last event happens, since every step runs the events${got(durationText(spec.durationMs))}`,
    },
  ];
}

/** A start or ceiling that would put a socket beyond the rate limits, or a ceiling below the start. */
function rangeProblems(r: ResolvedSearch, spec: SearchSpec): Array<{ path: string; text: string }> {
  const problems: Array<{ path: string; text: string }> = [];
  const { lowest, highest } = r;
  if (spec.start !== null && spec.start < lowest)
    problems.push({
      path: 'search.start',
      text: `must be at least ${lowest}: every socket needs ${LIMITS.minRatePerSecond} msgs/s or more${got(spec.start)}`,
    });
  if (spec.start !== null && spec.start > highest)
    problems.push({
      path: 'search.start',
      text: `must be at most ${highest}: no socket may be offered more than ${LIMITS.ratePerSecond} msgs/s${got(spec.start)}`,
    });
  if (spec.ceiling !== null && spec.ceiling > highest)
    problems.push({
      path: 'search.ceiling',
      text: `must be at most ${highest}: no socket may be offered more than ${LIMITS.ratePerSecond} msgs/s${got(spec.ceiling)}`,
    });
  if (problems.length === 0 && r.ceiling < r.start)
    problems.push({
      path: spec.ceiling !== null ? 'search.ceiling' : 'search.start',
      text: `the ceiling (${r.ceiling}) must be at least the start (${r.start})`,
    });
  return problems;
}
