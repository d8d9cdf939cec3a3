/**
 * The report's stylesheet, inlined in every report.html. Colours are CSS variables with a
 * light and a dark set chosen by the browser's preference; the chart code reads the same
 * variables (--series-N, --warmup, --fault, --socket), so charts follow the theme too.
 * The palette is Okabe-Ito-like: distinguishable with the common colour-vision deficiencies.
 */
export const REPORT_STYLES = `
:root {
  --bg: #ffffff; --card: #f7f7f9; --fg: #1d1f23; --muted: #5d6470; --grid: #dde1e6; --border: #d4d8de;
  --good: #1a7f37; --bad: #c62828; --warn: #a15c00;
  --series-0: #0072b2; --series-1: #d55e00; --series-2: #009e73; --series-3: #cc79a7;
  --series-4: #e69f00; --series-5: #56b4e9; --series-6: #7a6f00; --series-7: #555555;
  --warmup: rgba(120, 120, 120, 0.15); --fault: #c62828; --socket: rgba(90, 100, 115, 0.45);
  --host: rgba(0, 114, 178, 0.05);
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #15171a; --card: #1d2024; --fg: #e6e8eb; --muted: #9aa3ad; --grid: #30353b; --border: #353a41;
    --good: #4cc27a; --bad: #ff6b6b; --warn: #f0a040;
    --series-0: #56b4e9; --series-1: #ff8c42; --series-2: #33c9a0; --series-3: #e89ac7;
    --series-4: #f5c242; --series-5: #8fd3ff; --series-6: #c8c060; --series-7: #b0b0b0;
    --warmup: rgba(200, 200, 200, 0.12); --fault: #ff6b6b; --socket: rgba(170, 180, 195, 0.45);
    --host: rgba(86, 180, 233, 0.07);
  }
}
* { box-sizing: border-box; }
html { background: var(--bg); color: var(--fg); }
body { margin: 0 auto; max-width: 1280px; padding: 16px 20px 40px; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
h1 { font-size: 1.5rem; margin: 0 0 4px; }
h2 { font-size: 1.25rem; margin: 0 0 4px; display: flex; align-items: center; gap: 10px; flex-wrap: wrap; }
h3 { font-size: 1.05rem; margin: 0 0 8px; }
h4 { font-size: 0.95rem; margin: 14px 0 6px; }
a { color: var(--series-0); }
.muted, .meta { color: var(--muted); }
.description { white-space: pre-line; max-width: 90ch; }
nav { margin-top: 6px; line-height: 1.9; }
.page-head { border-bottom: 1px solid var(--border); padding-bottom: 10px; margin-bottom: 16px; }
.run { border-top: 3px solid var(--border); padding-top: 18px; margin-top: 28px; }
.card { background: var(--card); border: 1px solid var(--border); border-radius: 8px; padding: 14px 16px; margin: 14px 0; min-width: 0; }
.cols { display: grid; grid-template-columns: repeat(auto-fit, minmax(340px, 1fr)); gap: 14px; }
.cols > .card { margin: 0; }
.verdict { display: inline-block; font-size: 0.8rem; font-weight: 700; letter-spacing: 0.04em; text-transform: uppercase; padding: 2px 10px; border-radius: 999px; color: #fff; }
.verdict.pass { background: var(--good); }
.verdict.invalid { background: var(--bad); }
.verdict.interrupted { background: var(--warn); }
.verdict-text.pass { color: var(--good); } .verdict-text.invalid { color: var(--bad); } .verdict-text.interrupted { color: var(--warn); }
.dot { display: inline-block; width: 9px; height: 9px; border-radius: 50%; margin-right: 5px; background: var(--muted); }
.dot.pass { background: var(--good); } .dot.invalid { background: var(--bad); } .dot.interrupted { background: var(--warn); }
.figures { display: grid; grid-template-columns: repeat(auto-fit, minmax(170px, 1fr)); gap: 10px; margin: 12px 0; }
.figure { background: var(--card); border: 1px solid var(--border); border-radius: 8px; padding: 8px 12px; }
.figure dt { color: var(--muted); font-size: 0.8rem; text-transform: uppercase; letter-spacing: 0.04em; }
.figure dd { margin: 0; font-size: 1.55rem; font-weight: 650; font-variant-numeric: tabular-nums; }
.figure small { color: var(--muted); }
.problems { border-left: 4px solid var(--bad); padding: 6px 12px; background: var(--card); }
.problems ul { margin: 4px 0; padding-left: 20px; }
.env { display: grid; grid-template-columns: max-content 1fr; gap: 4px 14px; margin: 0; }
.env dt { color: var(--muted); }
.env dd { margin: 0; overflow-wrap: anywhere; }
.chart-grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(440px, 1fr)); gap: 14px; }
.chart { margin: 0; min-width: 0; }
.chart figcaption { font-weight: 600; margin-bottom: 4px; }
.chart-box { position: relative; height: 260px; }
.chart-box.tall { height: 340px; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: 0.86rem; font-variant-numeric: tabular-nums; }
th, td { padding: 4px 6px; border-bottom: 1px solid var(--grid); text-align: left; white-space: nowrap; }
/* Headers wrap between words: the wide tables (18 columns of short figures) fit a laptop screen. */
th { color: var(--muted); font-weight: 600; white-space: normal; vertical-align: bottom; }
td.wrap { white-space: normal; overflow-wrap: anywhere; }
.num { text-align: right; }
td.bad { color: var(--bad); font-weight: 600; }
td.good { color: var(--good); font-weight: 600; }
/* one-way latency across hosts: its tooltip says how far the clocks can be off */
td.clocks { color: var(--warn); text-decoration: underline dotted; cursor: help; white-space: normal; }
td.clocks span { white-space: nowrap; }
.verdict.failed { background: var(--bad); }
.verdict-text.failed { color: var(--bad); } .dot.failed { background: var(--bad); }
.notes { margin: 6px 0; padding-left: 20px; }
details { margin: 14px 0; }
summary { cursor: pointer; font-weight: 600; }
pre { background: var(--card); border: 1px solid var(--border); border-radius: 6px; padding: 10px; overflow-x: auto; font-size: 0.82rem; }
footer { margin-top: 30px; font-size: 0.82rem; }
svg text { font-family: inherit; }
.topo-group rect, rect.topo-group { fill: var(--bg); stroke: var(--series-0); stroke-width: 1.5; }
.topo-endpoint rect, rect.topo-endpoint { fill: var(--card); stroke: var(--muted); stroke-width: 1.2; }
.topo-label { fill: var(--fg); }
/* a host: a lightly tinted box under its groups (runs with hosts) */
rect.topo-host { fill: var(--host); stroke: var(--muted); stroke-width: 1.2; }
.topo-muted { fill: var(--muted); }
.topo-edge { stroke: var(--muted); stroke-width: 1.5; fill: none; }
.topo-edge.connect { stroke-dasharray: 5 4; }
.topo-arrowhead { fill: var(--muted); stroke: none; }
.topo-edge-label { paint-order: stroke; stroke: var(--card); stroke-width: 3px; }
/* The topology drawing keeps its own size (its text stays 11 px and more): the environment sits
   beside it when there is room and goes below it when not; wider than the page, it scrolls sideways. */
.topo-env { display: flex; flex-wrap: wrap; gap: 14px; margin: 14px 0; }
.topo-env > .card { margin: 0; }
.topo-env > .topology { flex: 1 1 auto; max-width: 100%; }
.topo-env > .environment { flex: 1 1 340px; }
.topo-scroll { overflow-x: auto; }
svg.topo { display: block; margin: 4px auto; max-width: none; }
@media (max-width: 700px) { .chart-grid { grid-template-columns: 1fr; } body { padding: 10px; } }
`;
