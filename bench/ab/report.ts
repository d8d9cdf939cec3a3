import type { Environment } from '../../src/core/types.js';
import { FIGURES, NOISE_RULE, type AbFigures, type FigureComparison, type FigureName } from './compare.js';

/** What bench/ab.ts writes to bench/results/ab.json, and its Markdown table. */

export interface AbCaseResult {
  /** e.g. perf-throughput-tcp */
  key: string;
  /** the scenario file, relative to the repository (the candidate's copy, run by both builds) */
  file: string;
  transport: string;
  /** round i's run of each build; null when it failed (its error is in `errors`) */
  base: (AbFigures | null)[];
  candidate: (AbFigures | null)[];
  /** candidate / base per figure; null when no round completed on both sides */
  figures: Record<FigureName, FigureComparison | null>;
  errors: string[];
}

export interface AbReport {
  startedAt: string;
  elapsedS: number;
  base: { ref: string; commit: string };
  candidate: { commit: string; uncommittedChanges: boolean };
  settings: { rounds: number; duration: string; order: string };
  environment: Environment;
  loadAverageAtStart: number[];
  loadAverageAtEnd: number[];
  noiseRule: string;
  cases: AbCaseResult[];
}

function cell(c: FigureComparison | null): string {
  if (c === null) return '–';
  const verdict = c.verdict === 'better' || c.verdict === 'worse' ? `**${c.verdict}**` : c.verdict;
  return `${c.ratio.median.toFixed(3)} (${c.ratio.min.toFixed(3)}–${c.ratio.max.toFixed(3)}), base spread ${(c.baseSpread * 100).toFixed(1)}%: ${verdict}`;
}

/** The report as a Markdown table (median ratio candidate / base and its range per figure), the settings and the rule under it. */
export function abTable(r: AbReport): string {
  const rows = r.cases.map((c) => {
    const rounds = Math.max(0, ...FIGURES.map((f) => c.figures[f]?.ratios.length ?? 0));
    const failed = c.errors.length > 0 ? ` ⚠ ${c.errors.length} failed run(s)` : '';
    return `| ${c.key}${failed} | ${rounds}/${r.settings.rounds} | ${FIGURES.map((f) => cell(c.figures[f])).join(' | ')} |`;
  });
  const e = r.environment;
  const candidate = `${r.candidate.commit.slice(0, 10)}${r.candidate.uncommittedChanges ? ' with uncommitted changes' : ''}`;
  return [
    `Candidate (this checkout, ${candidate}) against base \`${r.base.ref}\` (${r.base.commit.slice(0, 10)}): candidate / base, median (range over the rounds).`,
    '',
    '| scenario | rounds | throughput | latency p50 | latency p99 |',
    '|---|---:|---|---|---|',
    ...rows,
    '',
    `*${r.settings.rounds} round(s) per scenario in ${r.settings.order} order, --duration ${r.settings.duration}; ${e.cpuModel} × ${e.cores} cores, ${e.os} ${e.arch}, ` +
      `Node ${e.node}, zeromq.js ${e.zeromqJs} / libzmq ${e.libzmq}; load average ${r.loadAverageAtStart.join(' ')} at the start, ${r.loadAverageAtEnd.join(' ')} at the end; ${Math.round(r.elapsedS)} s.*`,
    '',
    `Rule: ${NOISE_RULE}`,
    ...r.cases.flatMap((c) => c.errors.map((err) => `- ${c.key}: ${err}`)),
  ].join('\n');
}
