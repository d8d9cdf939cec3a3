/**
 * What the report's browser code draws: every chart fully decided in Node (titles, units,
 * series, markers), so the page only renders. Shared by report-model.ts (which builds it) and
 * browser/ (which draws it); types only, so the browser bundle takes nothing else from Node.
 */

/** How an axis formats its numbers (the same formatters as the console). */
export type AxisUnit =
  /** microseconds, shown as us/ms/s */
  | 'us'
  /** messages per second, shown as 950, 12.3k, 1.2M */
  | 'rate'
  /** a count of messages */
  | 'count'
  /** bytes, shown as B/KiB/MiB */
  | 'bytes'
  /** milliseconds */
  | 'ms'
  /** a fraction of 1 shown as a percentage */
  | 'fraction'
  /** a plain ratio such as 1.25× */
  | 'ratio';

export interface Axis {
  /** axis title, units included: "latency (log scale)" */
  title: string;
  unit: AxisUnit;
  log?: boolean;
}

export interface Series {
  label: string;
  /** one value per x; null where there is nothing to draw (a gap in the line) */
  values: Array<number | null>;
  /** dashed line (e.g. p50 next to a solid p99 of the same group) */
  dashed?: boolean;
  /** index into the palette, so one group keeps its colour across charts */
  colour: number;
}

/** A vertical mark on a time axis: a fault (labelled) or a connection event. */
export interface Marker {
  /** seconds from the start of measurement */
  tS: number;
  kind: 'fault' | 'socket';
  label: string;
}

/** A line chart over time; x in seconds from the start of measurement (warm-up is negative). */
export interface TimeChart {
  kind: 'time';
  id: string;
  title: string;
  /** x of each point, seconds */
  t: number[];
  y: Axis;
  series: Series[];
  /** shaded: the warm-up, from the first point to 0 */
  warmupEndS: number | null;
  markers: Marker[];
}

/**
 * HdrHistogram's percentile plot: x = 1/(1-p) on a log axis, labelled as percentiles
 * (0%, 90%, 99%, 99.9%...), y = latency at that percentile.
 */
export interface PercentileChart {
  kind: 'percentile';
  id: string;
  title: string;
  y: Axis;
  curves: Array<{ label: string; colour: number; dashed?: boolean; points: Array<[x: number, valueUs: number]> }>;
}

/** Grouped bars: one group of bars per category, one bar per series. */
export interface BarChart {
  kind: 'bar';
  id: string;
  title: string;
  categories: string[];
  y: Axis;
  series: Series[];
}

/**
 * A figure against another, both numeric: a rate search's achieved rate, p99 or loss against
 * the offered rate. Points are drawn and joined in order of x.
 */
export interface XYChart {
  kind: 'xy';
  id: string;
  title: string;
  x: Axis;
  y: Axis;
  series: Array<{
    label: string;
    colour: number;
    dashed?: boolean;
    /** [x, y]; y null: nothing to draw there */
    points: Array<[x: number, y: number | null]>;
    /** per point: drawn as a cross (a step that failed) */
    crossed?: boolean[];
  }>;
  /** labelled vertical lines, e.g. the highest rate that held */
  markers: Array<{ x: number; label: string }>;
}

export type ChartSpec = TimeChart | PercentileChart | BarChart | XYChart;

/** The JSON embedded in report.html, read by the browser code. */
export interface ReportData {
  charts: ChartSpec[];
}

/** The id of the <script type="application/json"> element holding ReportData. */
export const REPORT_DATA_ID = 'zmq-bench-data';
/** data-chart attribute of each chart's container; its value is the ChartSpec id. */
export const CHART_ATTRIBUTE = 'data-chart';
