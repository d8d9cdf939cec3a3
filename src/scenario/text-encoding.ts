import { lineColumn } from './problem-text.js';

/**
 * Scenario and suite files are UTF-8. Anything else would decode to mojibake and fail
 * validation with lines that show it (`got "��n\u0000a\u0000…"`), so it is refused by name.
 */

// Longest first: the UTF-32 little-endian mark starts with UTF-16's.
const BYTE_ORDER_MARKS: ReadonlyArray<readonly [readonly number[], string]> = [
  [[0x00, 0x00, 0xfe, 0xff], 'UTF-32 (big-endian)'],
  [[0xff, 0xfe, 0x00, 0x00], 'UTF-32 (little-endian)'],
  [[0xfe, 0xff], 'UTF-16 (big-endian)'],
  [[0xff, 0xfe], 'UTF-16 (little-endian)'],
];

const SAVE = 'save the file as UTF-8';

/** The text of a file's bytes, or the problem that says why they are not UTF-8 text. */
export function utf8Text(bytes: Buffer): { text: string } | { problem: string } {
  for (const [mark, name] of BYTE_ORDER_MARKS) {
    if (mark.every((b, i) => bytes[i] === b))
      return { problem: `not UTF-8 text: the file starts with the byte order mark of ${name}; ${SAVE}` };
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { problem: `not UTF-8 text: ${invalidByte(bytes)}; ${SAVE}` };
  }
  // Valid UTF-8, but YAML and JSON allow no NUL: this is UTF-16 or UTF-32 without a mark, or binary.
  const nul = text.indexOf('\0');
  if (nul >= 0) return { problem: `not UTF-8 text: a zero byte at ${lineColumn(text, nul)} (UTF-16 or a binary file?); ${SAVE}` };
  return { text };
}

/** Where the first byte that is not UTF-8 is, e.g. "byte 0xE9 at line 2, column 7 (Latin-1?)". */
function invalidByte(bytes: Buffer): string {
  // Buffer's lenient decoding turns each bad sequence into U+FFFD; the first U+FFFD that the
  // file does not spell as EF BF BD is the first bad byte, and the text before it is intact.
  const lenient = bytes.toString('utf8');
  for (let i = lenient.indexOf('\uFFFD'); i >= 0; i = lenient.indexOf('\uFFFD', i + 1)) {
    const offset = Buffer.byteLength(lenient.slice(0, i), 'utf8');
    if (bytes[offset] === 0xef && bytes[offset + 1] === 0xbf && bytes[offset + 2] === 0xbd) continue;
    const hex = (bytes[offset] ?? 0).toString(16).toUpperCase().padStart(2, '0');
    return `byte 0x${hex} at ${lineColumn(lenient, i)} (byte offset ${offset}) is not UTF-8 (Latin-1 or Windows-1252?)`;
  }
  return 'it does not decode as UTF-8';
}
