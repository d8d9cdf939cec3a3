import { escapeHtml } from './escape.js';
import { HOST_HEAD, hostOfNodes, hostRows, splitByHost, type HostBand } from './topology-hosts.js';
import { layoutTopology, type TopologyInput } from './topology-layout.js';

export { layoutTopology };
export type { TopologyInput, TopologyLayout, TopologyLayoutEdge, TopologyLayoutNode } from './topology-layout.js';

/**
 * A scenario's topology as an inline SVG string: one box per group, one pill per endpoint,
 * arrows in the direction messages flow, laid out left to right in layers; in a run with
 * hosts, a box per host around its groups (topology-hosts.ts). Pure and deterministic (same
 * input, same string). Every input string is escaped; colours come only from the page's CSS
 * classes (topo-group, topo-endpoint, topo-host, topo-edge bind|connect, topo-label,
 * topo-muted, topo-edge-label, topo-arrowhead), with `currentColor` as the unstyled fallback.
 */

const MARGIN = 16;
/** room for an edge and its label ("connect", 10px) between columns */
const COLUMN_GAP = 52;
const ROW_HEIGHT = 84;
/** how far an edge back to an earlier column reaches out beside its nodes (control points) */
const BACK_LOOP = 40;
/** vertical distance between edges back to an earlier column (each with its label below) */
const BACK_STEP = 18;
const MIN_WIDTH = 150;
const MAX_WIDTH = 280;
const GROUP_PAD = 12;
const PILL_PAD = 20;
/** estimated advance per character: 13px semibold names, 11px other lines (7px at 12px) */
const NAME_CHAR = 8;
const SMALL_CHAR = 6.5;
const ADDRESS_CHARS = 28;
const LEGEND = 'solid: bind · dashed: connect · arrows: direction of messages';
const HOSTS_LEGEND = ' · outer boxes: hosts';
/** a host box reaches this far beyond the columns; its label starts this far in */
const HOST_INSET = 10;
/** host labels: 12px semibold, at most this many characters (the full text in its <title>) */
const HOST_CHAR = 7.5;
const HOST_LABEL_CHARS = 72;

interface Line {
  text: string;
  name: boolean;
}

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
  lines: Line[];
  /** the full text, for the hover <title> */
  full: string;
}

function chars(s: string): string[] {
  return Array.from(s);
}

function truncateEnd(s: string, max: number): string {
  const c = chars(s);
  return c.length <= max ? s : c.slice(0, Math.max(1, max - 1)).join('') + '…';
}

/** Addresses keep their start (scheme) and end (port, file): `ipc:///tmp/zb-…/3-0`. */
function truncateMiddle(s: string, max: number): string {
  const c = chars(s);
  if (c.length <= max) return s;
  const keep = Math.max(2, max - 1);
  const head = Math.ceil(keep / 2);
  return c.slice(0, head).join('') + '…' + c.slice(c.length - (keep - head)).join('');
}

function charWidth(line: Line): number {
  return line.name ? NAME_CHAR : SMALL_CHAR;
}

/** Box width for the longest line, clamped, and every line cut to fit. */
function fitLines(lines: Line[], pad: number): { w: number; lines: Line[] } {
  const natural = Math.max(...lines.map((l) => chars(l.text).length * charWidth(l))) + 2 * pad;
  const w = Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, Math.ceil(natural)));
  return { w, lines: lines.map((l) => ({ ...l, text: truncateEnd(l.text, Math.floor((w - 2 * pad) / charWidth(l))) })) };
}

function num(x: number): string {
  const r = Math.round(x * 10) / 10;
  return Object.is(r, -0) ? '0' : String(r);
}

function groupLines(g: TopologyInput['groups'][number]): { lines: Line[]; full: string } {
  const type = g.forward ? `${g.type}→${g.forward.type}` : g.type;
  const count = g.of !== undefined ? `×${g.count} of ${g.of}` : `×${g.count}`;
  const second = `${type} ${count} · ${g.placement}${g.engine ? ` · ${g.engine}` : ''}`;
  const lines: Line[] = [
    { text: g.name, name: true },
    { text: second, name: false },
  ];
  if (g.detail) lines.push({ text: g.detail, name: false });
  const host = g.host && g.host.length > 0 ? [`on ${g.host.join(', ')}`] : [];
  return { lines, full: [g.name, second, ...(g.detail ? [g.detail] : []), ...host].join('\n') };
}

function endpointLines(e: TopologyInput['endpoints'][number], runTransport: string): { lines: Line[]; full: string } {
  const transport = e.transport ?? runTransport;
  const addresses = e.addresses ?? [];
  const budget = Math.floor((MAX_WIDTH - 2 * PILL_PAD) / SMALL_CHAR);
  let second = transport;
  if (addresses.length > 0) {
    const first = addresses[0]!;
    const shown = /^[a-z][a-z0-9+.-]*:\/\//i.test(first) ? first : `${transport} ${first}`;
    const more = addresses.length > 1 ? ` +${addresses.length - 1} more` : '';
    second = truncateMiddle(shown, Math.min(ADDRESS_CHARS, budget - chars(more).length)) + more;
  }
  const kind = e.external ? 'external' : transport;
  return {
    lines: [
      { text: e.external ? `${e.name} (external)` : e.name, name: true },
      { text: second, name: false },
    ],
    full: [e.name, kind, ...addresses].join('\n'),
  };
}

/** FNV-1a, for a marker id that differs between the topologies of one page. */
function hash(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(36);
}

function textLines(box: Box, firstBaseline: number, step: number): string {
  const cx = num(box.x + box.w / 2);
  return box.lines
    .map((l, i) => {
      const y = num(box.y + firstBaseline + i * step);
      return l.name
        ? `<text x="${cx}" y="${y}" text-anchor="middle" class="topo-label" font-size="13" font-weight="600" fill="currentColor">${escapeHtml(l.text)}</text>`
        : `<text x="${cx}" y="${y}" text-anchor="middle" class="topo-muted" font-size="11" fill="currentColor">${escapeHtml(l.text)}</text>`;
    })
    .join('');
}

/** Spread the ends of several edges over one side of a node instead of meeting in one point. */
function ports(count: number, box: Box): number[] {
  const mid = box.y + box.h / 2;
  if (count === 0) return [];
  if (count === 1) return [mid];
  const step = Math.min(10, (box.h - 16) / (count - 1));
  return Array.from({ length: count }, (_, i) => mid + (i - (count - 1) / 2) * step);
}

export function topologySvg(input: TopologyInput): string {
  const t = splitByHost(input);
  const layout = layoutTopology(t);
  const { nodes, edges, layers } = layout;
  const hosts = t.hosts ?? null;
  const hostOf = hosts ? hostOfNodes(t, layout) : null;

  // Node contents and sizes.
  const boxes: Box[] = nodes.map((node) => {
    if (node.kind === 'group') {
      const { lines, full } = groupLines(t.groups[node.index]!);
      const fit = fitLines(lines, GROUP_PAD);
      return { x: 0, y: 0, w: fit.w, h: fit.lines.length === 3 ? 64 : 48, lines: fit.lines, full };
    }
    const { lines, full } = endpointLines(t.endpoints[node.index]!, t.transport);
    const fit = fitLines(lines, PILL_PAD);
    return { x: 0, y: 0, w: fit.w, h: 44, lines: fit.lines, full };
  });

  // Positions: each column as wide as its widest node (so the drawing stays narrow enough to be
  // shown at its own size), fixed-height rows, columns centred.
  const colWidths = layers.map((col) => Math.max(MIN_WIDTH, ...col.map((ni) => boxes[ni]!.w)));
  const maxRows = layers.length > 0 ? Math.max(...layers.map((l) => l.length)) : 0;
  const graphH = maxRows * ROW_HEIGHT;
  // Edges back to an earlier column loop out beside the nodes: leave room for them.
  const marginX = edges.some((e) => e.back) ? MARGIN + BACK_LOOP : MARGIN;
  // With hosts, rows are stacked by host instead: each host's band holds its nodes.
  const rows = hosts && hostOf ? hostRows(layers, hostOf, hosts.length, MARGIN, ROW_HEIGHT) : null;
  let colX = marginX;
  layers.forEach((col, li) => {
    const top = MARGIN + ((maxRows - col.length) * ROW_HEIGHT) / 2;
    col.forEach((ni, row) => {
      const b = boxes[ni]!;
      b.x = colX + (colWidths[li]! - b.w) / 2;
      b.y = (rows ? rows.rowTop[ni]! : top + row * ROW_HEIGHT) + (ROW_HEIGHT - b.h) / 2;
    });
    colX += colWidths[li]! + COLUMN_GAP;
  });
  const graphW = colWidths.reduce((a, w) => a + w, 0) + Math.max(0, layers.length - 1) * COLUMN_GAP;
  const graphBottom = rows ? rows.bottom : MARGIN + graphH;
  const hostBoxes = hosts && rows ? hostBoxesSvg(hosts, rows.bands, marginX - HOST_INSET, graphW + 2 * HOST_INSET) : null;

  // Edge ends: outgoing on the right side, incoming on the left, ordered by the other end's height.
  const centreY = (i: number): number => boxes[i]!.y + boxes[i]!.h / 2;
  const startY = new Array<number>(edges.length).fill(0);
  const endY = new Array<number>(edges.length).fill(0);
  nodes.forEach((_, ni) => {
    const outs = edges.map((e, i) => ({ e, i })).filter(({ e }) => e.from === ni);
    outs.sort((a, b) => centreY(a.e.to) - centreY(b.e.to) || a.i - b.i);
    ports(outs.length, boxes[ni]!).forEach((y, k) => (startY[outs[k]!.i] = y));
    const ins = edges.map((e, i) => ({ e, i })).filter(({ e }) => e.to === ni);
    ins.sort((a, b) => centreY(a.e.from) - centreY(b.e.from) || a.i - b.i);
    ports(ins.length, boxes[ni]!).forEach((y, k) => (endY[ins[k]!.i] = y));
  });

  const markerId = `topo-arrow-${hash(JSON.stringify(t))}`;
  const edgeParts: string[] = [];
  const labelParts: string[] = [];
  let backCount = 0;
  edges.forEach((e, i) => {
    const a = boxes[e.from]!;
    const b = boxes[e.to]!;
    const x1 = a.x + a.w;
    const y1 = startY[i]!;
    const x2 = b.x;
    const y2 = endY[i]!;
    let d: string;
    let lx: number;
    let ly: number;
    if (!e.back) {
      const cx = (x1 + x2) / 2;
      d = `M${num(x1)} ${num(y1)} C${num(cx)} ${num(y1)} ${num(cx)} ${num(y2)} ${num(x2)} ${num(y2)}`;
      lx = cx;
      ly = (y1 + y2) / 2 - 5;
    } else {
      // Back to an earlier column: out to the right, along under the graph, in from the left.
      const bottom = graphBottom + 4 + backCount * BACK_STEP;
      backCount++;
      const r = x1 + BACK_LOOP;
      const l = x2 - BACK_LOOP;
      d =
        `M${num(x1)} ${num(y1)} C${num(r)} ${num(y1)} ${num(r)} ${num(bottom)} ${num(x1)} ${num(bottom)} ` +
        `L${num(x2)} ${num(bottom)} C${num(l)} ${num(bottom)} ${num(l)} ${num(y2)} ${num(x2)} ${num(y2)}`;
      lx = (x1 + x2) / 2;
      ly = bottom + 11;
    }
    const from = nodes[e.from]!;
    const to = nodes[e.to]!;
    const title = `${from.name} → ${to.name} (${e.kind}${e.forward ? ', forward' : ''})`;
    const dash = e.kind === 'connect' ? ' stroke-dasharray="5 4"' : '';
    edgeParts.push(
      `<path class="topo-edge ${e.kind}" d="${d}" fill="none" stroke="currentColor" stroke-width="1.5"${dash} marker-end="url(#${markerId})"><title>${escapeHtml(title)}</title></path>`,
    );
    labelParts.push(
      `<text x="${num(lx)}" y="${num(ly)}" text-anchor="middle" class="topo-muted topo-edge-label" font-size="10" fill="currentColor">${e.kind}</text>`,
    );
  });

  const nodeParts = nodes.map((node, ni) => {
    const b = boxes[ni]!;
    const title = `<title>${escapeHtml(b.full)}</title>`;
    const host = hostOf?.[ni] ?? -1;
    const g = hosts && host >= 0 ? `<g data-host="${escapeHtml(hosts[host]!.label)}">` : '<g>';
    if (node.kind === 'group') {
      return (
        `${g}${title}<rect class="topo-group" x="${num(b.x)}" y="${num(b.y)}" width="${num(b.w)}" height="${num(b.h)}" rx="4" fill="none" stroke="currentColor"/>` +
        `${textLines(b, 20, 16)}</g>`
      );
    }
    return (
      `${g}${title}<rect class="topo-endpoint" x="${num(b.x)}" y="${num(b.y)}" width="${num(b.w)}" height="${num(b.h)}" rx="${num(b.h / 2)}" fill="none" stroke="currentColor"/>` +
      `${textLines(b, 18, 16)}</g>`
    );
  });

  const backSpace = backCount * BACK_STEP;
  const legendY = graphBottom + backSpace + 18;
  const legend = hosts ? LEGEND + HOSTS_LEGEND : LEGEND;
  const width = Math.ceil(
    Math.max(graphW + 2 * marginX, chars(legend).length * SMALL_CHAR + 2 * MARGIN, (hostBoxes?.width ?? 0) + 2 * (marginX - HOST_INSET)),
  );
  const height = Math.ceil(legendY + 10);

  const summary =
    `topology (${t.transport}): ` +
    (t.groups.length > 0
      ? t.groups
          .map((g) => `${g.name} (${g.type}${g.forward ? `→${g.forward.type}` : ''} ×${g.count}${g.engine ? `, ${g.engine}` : ''})`)
          .join(', ')
      : 'no groups') +
    (t.endpoints.length > 0
      ? `; endpoints ${t.endpoints.map((e) => (e.transport ? `${e.name} (${e.transport})` : e.name)).join(', ')}`
      : '') +
    (hosts ? `; hosts ${hostsSummary(input, hosts)}` : '');

  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" role="img" aria-label="${escapeHtml(summary)}" class="topo" style="height:auto;font-family:inherit">` +
    `<title>${escapeHtml(summary)}</title>` +
    `<defs><marker id="${markerId}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" markerUnits="userSpaceOnUse" orient="auto">` +
    `<path class="topo-arrowhead" d="M0 0L10 5L0 10z" fill="currentColor"/></marker></defs>` +
    (hostBoxes?.markup ?? '') +
    edgeParts.join('') +
    nodeParts.join('') +
    labelParts.join('') +
    `<text x="${MARGIN}" y="${num(legendY)}" class="topo-muted" font-size="11" fill="currentColor">${escapeHtml(legend)}</text>` +
    `</svg>`
  );
}

/** "<label> · <hostname> · <agent>": what a host box says at its top. */
function hostText(h: NonNullable<TopologyInput['hosts']>[number]): string {
  return `${h.label} · ${h.hostname} · ${h.agent}`;
}

/**
 * The host boxes, drawn under everything else: one rounded box per band, its label at the top
 * left (the full text in its <title>), "nothing ran here" in a box without nodes. A box is at
 * least as wide as its columns and widens to its label.
 */
function hostBoxesSvg(
  hosts: NonNullable<TopologyInput['hosts']>,
  bands: readonly HostBand[],
  x: number,
  minWidth: number,
): { markup: string; width: number } {
  const labels = hosts.map((h) => truncateEnd(hostText(h), HOST_LABEL_CHARS));
  const width = Math.ceil(Math.max(minWidth, ...labels.map((l) => chars(l).length * HOST_CHAR + 2 * HOST_INSET)));
  const markup = bands.map(({ host, top, bottom, empty }) => {
    const h = hosts[host]!;
    return (
      `<g class="topo-host" data-host="${escapeHtml(h.label)}"${h.coordinator ? ' data-coordinator="true"' : ''}><title>${escapeHtml(hostText(h))}</title>` +
      `<rect class="topo-host" x="${num(x)}" y="${num(top)}" width="${num(width)}" height="${num(bottom - top)}" rx="8" fill="none" stroke="currentColor"/>` +
      `<text x="${num(x + HOST_INSET)}" y="${num(top + 16)}" class="topo-label topo-host-label" font-size="12" font-weight="600" fill="currentColor">${escapeHtml(labels[host]!)}</text>` +
      (empty
        ? `<text x="${num(x + HOST_INSET)}" y="${num(top + HOST_HEAD + 18)}" class="topo-muted" font-size="11" fill="currentColor">nothing ran here</text>`
        : '') +
      `</g>`
    );
  });
  return { markup: markup.join(''), width };
}

/** For the drawing's text alternative: "a (producers), b (workers), coordinator (sink)". */
function hostsSummary(t: TopologyInput, hosts: NonNullable<TopologyInput['hosts']>): string {
  return hosts
    .map((h) => {
      const here = t.groups.filter((g) => (h.coordinator ? !g.host || g.host.length === 0 : (g.host ?? []).includes(h.label)));
      return `${h.label} (${here.length > 0 ? here.map((g) => g.name).join(', ') : 'nothing'})`;
    })
    .join(', ');
}
