import type { ChartSpec } from '../report/html/chart-spec.js';

/**
 * What the live server tells the page over its event stream (Server-Sent Events, one JSON
 * message per event). Types only: the page's script (live/browser) takes nothing else from Node.
 */

/** The run the page follows now. */
export interface LiveRunInfo {
  /** 1-based: the n-th run of this command, of `count` (a suite, a matrix, --repeat) */
  index: number;
  count: number;
  /** the variant's name, with "run k of n" under --repeat */
  label: string;
  scenario: string;
  transport: string;
  durationMs: number;
  warmupMs: number;
}

/** A headline figure, as the report's key figures (data-figure names match). */
export interface LiveFigure {
  name: string;
  label: string;
  text: string;
  detail: string;
}

export interface LiveCell {
  text: string;
  bad?: true;
}

/** The run so far: sent once per sample (and on a phase or timeline event). */
export interface LiveUpdate {
  index: number;
  /** the phase under way: set-up, barrier, measure, stop, drain, finish; null before the first */
  phase: string | null;
  /** end of the latest sample, ms since measurement started (negative during warm-up); null before the first */
  elapsedMs: number | null;
  /** the span of one point of the time charts, ms */
  pointMs: number;
  figures: LiveFigure[];
  /** the report's charts (report/html/run-charts.ts) of the run so far */
  charts: ChartSpec[];
  /** timeline rows as the report's table (time, kind, what, detail), the latest last; `total` counts those not listed */
  timeline: { total: number; rows: LiveCell[][] };
}

/** A run that ended: its verdict and where its report is served. */
export interface LiveFinished {
  index: number;
  label: string;
  status: string;
  verdict: string;
  /** path of its report on this server */
  report: string;
}

export type LiveMessage =
  | { type: 'run'; run: LiveRunInfo }
  | { type: 'update'; update: LiveUpdate }
  | { type: 'finished'; finished: LiveFinished }
  | { type: 'failed'; index: number; label: string; lines: string[] }
  /** the command is done: the page becomes the report at `report` (null: no run got one) */
  | { type: 'end'; report: string | null };

/** Paths the server answers. */
export const LIVE_PATHS = { page: '/', events: '/events', report: '/report' } as const;
