/**
 * Where fault labels go. Faults often come in bursts (kill, then restart a second later), and
 * labels centred on their lines would print over each other: close ones are stacked in rows
 * under the top edge, and labels at the ends are nudged inside the plot.
 */
import type { Chart } from 'chart.js';

export const FAULT_FONT = { size: 10, weight: 'bold' } as const;
export const FAULT_PADDING = 2;
const ROW_HEIGHT = FAULT_FONT.size + 2 * FAULT_PADDING + 1;
/** Horizontal room kept between two labels in one row. */
const GAP = 6;
/** Past this many rows the labels would hide the data: overlapping is the lesser evil. */
const MAX_ROWS = 4;

export interface FaultLabel {
  tS: number;
  text: string;
}

/** A label already printed at the top (the warm-up band's), centred between two times. */
export interface ReservedLabel {
  fromS: number;
  toS: number;
  text: string;
}

interface Placement {
  dx: number;
  dy: number;
}

// The annotation plugin asks once per label and option; lay them all out once per chart size.
const cache = new WeakMap<Chart, { key: string; placements: Placement[] }>();

/** The offset of label `index` of `labels` from its default place (centred at the top). */
export function faultLabelOffset(
  chart: Chart,
  labels: FaultLabel[],
  reserved: ReservedLabel | null,
  fontFamily: string,
  index: number,
): Placement {
  const area = chart.chartArea;
  const x = chart.scales['x'];
  if (!area || !x) return { dx: 0, dy: 0 };
  const key = `${area.left}|${area.right}|${x.min}|${x.max}|${labels.length}`;
  let entry = cache.get(chart);
  if (entry?.key !== key) {
    const pixelOf = (v: number): number => x.getPixelForValue(v);
    entry = { key, placements: layout(chart.ctx, labels, reserved, fontFamily, area.left, area.right, pixelOf) };
    cache.set(chart, entry);
  }
  return entry.placements[index] ?? { dx: 0, dy: 0 };
}

function layout(
  ctx: CanvasRenderingContext2D,
  labels: FaultLabel[],
  reserved: ReservedLabel | null,
  fontFamily: string,
  areaLeft: number,
  areaRight: number,
  pixelOf: (v: number) => number,
): Placement[] {
  ctx.save();
  ctx.font = `${FAULT_FONT.weight} ${FAULT_FONT.size}px ${fontFamily}`;
  const placements: Placement[] = labels.map(() => ({ dx: 0, dy: 0 }));
  const rowEnds: number[] = [];
  if (reserved) {
    // The first row is taken up to the reserved label's right edge.
    const centre = (pixelOf(reserved.fromS) + pixelOf(reserved.toS)) / 2;
    rowEnds.push(centre + ctx.measureText(reserved.text).width / 2 + FAULT_PADDING);
  }
  // Left to right, each label takes the first row with room for it.
  const order = labels.map((_, i) => i).sort((a, b) => (labels[a]?.tS ?? 0) - (labels[b]?.tS ?? 0));
  for (const i of order) {
    const label = labels[i];
    if (!label) continue;
    const width = ctx.measureText(label.text).width + 2 * FAULT_PADDING;
    const centre = pixelOf(label.tS);
    let left = centre - width / 2;
    const dx = left < areaLeft ? areaLeft - left : left + width > areaRight ? areaRight - (left + width) : 0;
    left += dx;
    let row = rowEnds.findIndex((end) => end + GAP <= left);
    if (row === -1) row = rowEnds.length < MAX_ROWS ? rowEnds.length : rowEnds.indexOf(Math.min(...rowEnds));
    rowEnds[row] = left + width;
    placements[i] = { dx, dy: row * ROW_HEIGHT };
  }
  ctx.restore();
  return placements;
}
