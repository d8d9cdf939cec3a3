/** Parsing of the human units used in scenario files and on the command line. */

const DURATION_UNITS_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const SIZE_UNITS: Record<string, number> = { B: 1, KB: 1000, KiB: 1024, MB: 1_000_000, MiB: 1024 * 1024 };

const BANDWIDTH_UNITS: Record<string, number> = { bit: 1, kbit: 1e3, mbit: 1e6, gbit: 1e9 };

export const DURATION_PATTERN = '^[0-9]+(\\.[0-9]+)?(us|ms|s|m|h)$';
export const SIZE_PATTERN = '^[0-9]+(B|KB|KiB|MB|MiB)$';
/** Bandwidth as tc writes it (decimal: 1kbit = 1000 bit/s). */
export const BANDWIDTH_PATTERN = '^[0-9]+(\\.[0-9]+)?(bit|kbit|mbit|gbit)$';

/** "2s" → 2000, "500ms" → 500, "250us" → 0.25; undefined when the text is not a duration. */
export function parseDurationMs(text: string): number | undefined {
  const m = /^([0-9]+(?:\.[0-9]+)?)(us|ms|s|m|h)$/.exec(text.trim());
  if (!m) return undefined;
  return Number(m[1]) * DURATION_UNITS_MS[m[2]!]!;
}

/** 64 → 64, "1KiB" → 1024; undefined when not a size. */
export function parseSizeBytes(value: number | string): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 ? value : undefined;
  const m = /^([0-9]+)(B|KB|KiB|MB|MiB)$/.exec(value.trim());
  if (!m) return undefined;
  return Number(m[1]) * SIZE_UNITS[m[2]!]!;
}

/** "1mbit" → 1_000_000, "512kbit" → 512_000 (bits per second); undefined when not a bandwidth or not > 0. */
export function parseBitsPerSecond(text: string): number | undefined {
  const m = /^([0-9]+(?:\.[0-9]+)?)(bit|kbit|mbit|gbit)$/.exec(text.trim());
  if (!m) return undefined;
  const bps = Number(m[1]) * BANDWIDTH_UNITS[m[2]!]!;
  return bps > 0 ? bps : undefined;
}

/** 1500 → "1.5s", 0.25 → "250us": for messages and summaries. */
export function formatDurationMs(ms: number): string {
  if (ms < 1) return `${Math.round(ms * 1000)}us`;
  if (ms < 1000) return `${+ms.toFixed(2)}ms`;
  return `${+(ms / 1000).toFixed(2)}s`;
}
