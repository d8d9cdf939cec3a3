/**
 * The page's colours, read from its CSS custom properties so the charts follow the same
 * light/dark theme as the HTML around them.
 */

/** Number of palette entries (--series-0 … --series-7); Series.colour wraps around it. */
const PALETTE_SIZE = 8;

export interface Theme {
  fg: string;
  muted: string;
  grid: string;
  bg: string;
  palette: string[];
  warmup: string;
  fault: string;
  socket: string;
  fontFamily: string;
}

// Used only when the page forgot a variable: a chart in the wrong colour beats no chart.
const FALLBACK_PALETTE = ['#4269d0', '#efb118', '#ff725c', '#6cc5b0', '#3ca951', '#ff8ab7', '#a463f2', '#97bbf5'];

/** Reads the current values; call again after the colour scheme changes. */
export function readTheme(): Theme {
  const style = getComputedStyle(document.documentElement);
  const read = (name: string, fallback: string): string => style.getPropertyValue(name).trim() || fallback;
  const palette: string[] = [];
  for (let i = 0; i < PALETTE_SIZE; i++) palette.push(read(`--series-${i}`, FALLBACK_PALETTE[i] ?? '#888'));
  return {
    fg: read('--fg', '#222'),
    muted: read('--muted', '#666'),
    grid: read('--grid', 'rgba(128,128,128,0.25)'),
    bg: read('--bg', '#fff'),
    palette,
    warmup: read('--warmup', 'rgba(128,128,128,0.15)'),
    fault: read('--fault', '#d62728'),
    socket: read('--socket', '#888'),
    // The page's own font, so chart text matches the tables around it.
    fontFamily: getComputedStyle(document.body).fontFamily,
  };
}

/** The palette colour for a Series.colour index (any integer, wraps modulo the palette). */
export function paletteColour(theme: Theme, index: number): string {
  const n = theme.palette.length;
  const i = ((Math.trunc(index) % n) + n) % n;
  return theme.palette[i] ?? theme.fg;
}
