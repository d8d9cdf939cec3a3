import { formatCount } from '../core/format.js';
import { escapeMarkdown } from '../report/markdown-summary.js';
import type { AssertionOutcome, CatalogueEntry, Verdict } from './verdict.js';

/**
 * The `zmq-bench verify` table: one row per claim with the figures its assertions read and
 * the verdict. Plain text for the console (wrapped to a width, colours only when asked) and
 * Markdown for $GITHUB_STEP_SUMMARY and docs. Pure: entries in, text out.
 */

export interface TableOptions {
  /** terminal columns; default 100 */
  width?: number;
  /** ANSI colours on verdicts and marks; off by default so pipes and tests see plain text */
  color?: boolean;
}

const HOLDS = '✓';
const FAILS = '✗';
const UNREAD = '?';

/** A figure, compact: counts grouped (12,345), other values to 4 significant digits. */
export function formatValue(v: number | null): string {
  if (v === null) return '-';
  if (Number.isInteger(v) || Math.abs(v) >= 1000) return formatCount(v);
  return String(Number(v.toPrecision(4)));
}

function mark(a: AssertionOutcome): string {
  if (a.missing !== undefined) return UNREAD;
  return a.holds ? HOLDS : FAILS;
}

/** "groups.late.loss.head = 1,234 (want > 0)": the left-hand path, its figure, the condition. */
function measuredText(a: AssertionOutcome): string {
  const want = a.expected === '' ? '' : ` (want ${a.expected}${a.required ? '' : '; not required'})`;
  return `${a.path} = ${formatValue(a.actual)}${want}`;
}

/** B2 before B10: by the number in the id, keeping the given order otherwise. */
function byId(entries: readonly CatalogueEntry[]): CatalogueEntry[] {
  const n = (e: CatalogueEntry) => Number(e.behaviour.slice(1)) || 0;
  return [...entries].sort((a, b) => n(a) - n(b));
}

/** Words filled into lines of at most `width`; a longer word is cut after a dot where it can be. */
export function wrap(text: string, width: number, indent = ''): string[] {
  const lines: string[] = [];
  let line = '';
  const push = () => {
    if (line !== '') lines.push(line);
    line = lines.length > 0 ? indent : '';
  };
  for (let word of text.split(/\s+/).filter((w) => w !== '')) {
    while (word.length > 0) {
      const empty = line.trim() === '';
      const room = width - line.length - (empty ? 0 : 1);
      if (word.length <= room) {
        line += (empty ? '' : ' ') + word;
        word = '';
      } else if (!empty && (word.length <= width - indent.length || room < 8)) {
        push();
      } else {
        // too long for any line: cut it here rather than leave a mark alone on its line
        const dot = word.lastIndexOf('.', room - 1);
        const cut = dot > 0 ? dot + 1 : Math.max(1, room);
        line += (empty ? '' : ' ') + word.slice(0, cut);
        word = word.slice(cut);
        push();
      }
    }
  }
  if (line.trim() !== '') lines.push(line);
  return lines;
}

type Paint = (text: string) => string;
const ansi =
  (code: number): Paint =>
  (text) =>
    `\u001b[${code}m${text}\u001b[0m`;
const VERDICT_COLOUR: Record<Verdict, number> = { holds: 32, 'holds partly': 33, 'does not hold': 31, 'not measured': 35 };
const MARK_COLOUR: Record<string, number> = { [HOLDS]: 32, [FAILS]: 31, [UNREAD]: 35 };

export function catalogueTable(entries: readonly CatalogueEntry[], opts: TableOptions = {}): string {
  const rows = byId(entries);
  const width = opts.width ?? 100;
  const idWidth = Math.max(2, ...rows.map((e) => e.behaviour.length));
  const verdictWidth = Math.max('verdict'.length, ...rows.map((e) => e.verdict.length));
  const available = Math.max(24, width - idWidth - verdictWidth - 6);
  const claimWidth = Math.floor(available * 0.4);
  const measuredWidth = available - claimWidth;
  const paint = (code: number | undefined, text: string) => (opts.color && code !== undefined ? ansi(code)(text) : text);

  const out = [['id'.padEnd(idWidth), 'claim'.padEnd(claimWidth), 'measured'.padEnd(measuredWidth), 'verdict'].join('  ')];
  for (const e of rows) {
    const claim = wrap(e.claim, claimWidth);
    const measured = [
      ...e.problems.flatMap((p) => wrap(`${UNREAD} not measured: ${p}`, measuredWidth, '  ')),
      ...e.assertions.flatMap((a) => wrap(`${mark(a)} ${measuredText(a)}`, measuredWidth, '  ')),
    ];
    out.push('');
    for (let i = 0; i < Math.max(claim.length, measured.length); i++) {
      const m = (measured[i] ?? '').padEnd(measuredWidth);
      const markCode = MARK_COLOUR[m.charAt(0)];
      const cells = [
        (i === 0 ? e.behaviour : '').padEnd(idWidth),
        (claim[i] ?? '').padEnd(claimWidth),
        markCode === undefined ? m : paint(markCode, m.charAt(0)) + m.slice(1),
        i === 0 ? paint(VERDICT_COLOUR[e.verdict], e.verdict) : '',
      ];
      out.push(cells.join('  ').trimEnd());
    }
  }
  out.push('', countsLine(rows));
  return out.join('\n');
}

const PLURAL: Record<Verdict, [string, string]> = {
  holds: ['holds', 'hold'],
  'holds partly': ['holds partly', 'hold partly'],
  'does not hold': ['does not hold', 'do not hold'],
  'not measured': ['not measured', 'not measured'],
};

/** "20 claims: 14 hold, 3 hold partly, 1 does not hold, 2 not measured" (zero counts left out). */
export function countsLine(entries: readonly CatalogueEntry[]): string {
  const parts = (Object.keys(PLURAL) as Verdict[]).flatMap((v) => {
    const n = entries.filter((e) => e.verdict === v).length;
    return n === 0 ? [] : [`${n} ${PLURAL[v][n === 1 ? 0 : 1]}`];
  });
  return `${entries.length} ${entries.length === 1 ? 'claim' : 'claims'}: ${parts.join(', ') || 'none judged'}`;
}

export function catalogueMarkdown(entries: readonly CatalogueEntry[]): string {
  const rows = byId(entries);
  const lines = ['| id | claim | measured | verdict |', '|---|---|---|---|'];
  for (const e of rows) {
    const seeds = e.seeds.length > 0 ? ` (seed ${e.seeds.join(', ')})` : '';
    const measured = [
      ...e.problems.map((p) => `${UNREAD} not measured: ${escapeMarkdown(p)}`),
      ...e.assertions.map((a) => {
        const path = /^[A-Za-z0-9_.-]+$/.test(a.path) ? `\`${a.path}\`` : escapeMarkdown(a.path);
        return `${mark(a)} ${path} ${escapeMarkdown(measuredText(a).slice(a.path.length + 1))}: ${escapeMarkdown(a.says)}`;
      }),
    ];
    lines.push(`| ${escapeMarkdown(e.behaviour)} | ${escapeMarkdown(e.claim)}${seeds} | ${measured.join('<br>')} | **${e.verdict}** |`);
  }
  lines.push('', countsLine(rows));
  return lines.join('\n');
}
