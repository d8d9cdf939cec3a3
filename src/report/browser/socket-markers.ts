/**
 * Connection events as thin dotted vertical lines under the data. A run can have hundreds of
 * them: one annotation each made a 50-chart page take seconds longer to draw, so they are
 * stroked here as one path.
 */
import type { Plugin } from 'chart.js';

export function socketMarkers(times: number[], colour: string): Plugin<'line'> {
  return {
    id: 'zmqBenchSocketMarkers',
    beforeDatasetsDraw(chart) {
      const x = chart.scales['x'];
      if (times.length === 0 || !x) return;
      const { ctx, chartArea: area } = chart;
      ctx.save();
      ctx.beginPath();
      for (const t of times) {
        // Half-pixel offset: a 1px line on a pixel boundary would blur over two pixels.
        const px = Math.round(x.getPixelForValue(t)) + 0.5;
        if (px < area.left || px > area.right) continue;
        ctx.moveTo(px, area.top);
        ctx.lineTo(px, area.bottom);
      }
      ctx.strokeStyle = colour;
      ctx.lineWidth = 1;
      ctx.setLineDash([1, 3]);
      ctx.stroke();
      ctx.restore();
    },
  };
}
