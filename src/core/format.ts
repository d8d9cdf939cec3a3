/**
 * Number formatting shared by every reporter (console, HTML, and the report's browser code).
 * Pure and locale-free: the same figure reads the same on every machine.
 */

export const DASH = '-';

/** 12345 → "12,345". Grouped by hand: toLocaleString would depend on the machine's locale. */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return DASH;
  const sign = n < 0 ? '-' : '';
  const digits = String(Math.round(Math.abs(n)));
  return sign + digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Messages per second, compact: 950, 12.3k, 123k, 1.2M, 2.5G. */
export function formatRate(perSec: number): string {
  if (!Number.isFinite(perSec) || perSec < 0) return DASH;
  if (Math.round(perSec) < 1000) return String(Math.round(perSec));
  const units: Array<[number, string]> = [
    [1e3, 'k'],
    [1e6, 'M'],
    [1e9, 'G'],
  ];
  let text = '';
  for (const [scale, suffix] of units) {
    const v = perSec / scale;
    text = (v < 99.95 ? v.toFixed(1) : v.toFixed(0)) + suffix;
    // Rounding can carry into the next unit (999,960 → "1000k"): let the larger unit take it.
    if (Number(text.slice(0, -1)) < 1000) break;
  }
  return text;
}

/**
 * Messages per second to three significant digits, exact where formatRate rounds: 97.5, 6.25k,
 * 1.23M (a rate search's steps, where 6.3k would not tell 6,250 from 6,300).
 */
export function formatRateSig3(perSec: number): string {
  if (!Number.isFinite(perSec) || perSec < 0) return DASH;
  const [scale, suffix] = perSec >= 999_500 ? [1e6, 'M'] : perSec >= 999.5 ? [1e3, 'k'] : [1, ''];
  return `${Number((perSec / scale).toPrecision(3))}${suffix}`;
}

/** Bytes per second as decimal megabytes per second: 0.06, 12.3, 1234.5. */
export function formatMegabytes(bytesPerSec: number): string {
  if (!Number.isFinite(bytesPerSec) || bytesPerSec < 0) return DASH;
  const mb = bytesPerSec / 1e6;
  return mb < 1 ? mb.toFixed(2) : mb.toFixed(1);
}

/** Three significant digits, never exponent notation. */
function sig3(v: number): string {
  // Thresholds just below 10 and 100 so 9.999 reads "10.0", not "10.00".
  if (v < 9.995) return v.toFixed(2);
  if (v < 99.95) return v.toFixed(1);
  return v.toFixed(0);
}

/** Microseconds with a readable unit: 5.20us, 850us, 1.25ms, 2.10s. */
export function formatLatencyUs(us: number): string {
  if (!Number.isFinite(us) || us < 0) return DASH;
  // Choose the unit after rounding, so 999.7us reads 1.00ms rather than 1000us.
  if (Number(sig3(us)) < 1000) return `${sig3(us)}us`;
  const ms = us / 1000;
  if (Number(sig3(ms)) < 1000) return `${sig3(ms)}ms`;
  return `${sig3(ms / 1000)}s`;
}

/** A fraction of 1 as a percentage: 0.125 → "12.5%", 0.0005 → "0.05%", tiny → "<0.01%". */
export function formatPercent(fraction: number): string {
  if (!Number.isFinite(fraction) || fraction < 0) return DASH;
  const pct = fraction * 100;
  if (pct === 0) return '0%';
  if (pct >= 1) return `${pct.toFixed(1)}%`;
  if (pct >= 0.01) return `${pct.toFixed(2)}%`;
  return '<0.01%';
}

/** Bytes with a binary unit: 512 B, 1.50 KiB, 64.0 KiB, 2.00 MiB. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return DASH;
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let i = 0;
  // Choose the unit after rounding, so 1023.9 KiB reads 1.00 MiB.
  while (i < units.length - 1 && Number(sig3(v)) >= 1024) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${Math.round(v)} B` : `${sig3(v)} ${units[i]}`;
}
