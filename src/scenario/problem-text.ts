/** How validation problems show what was written: shared by validate.ts and its parts (validate/). */

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A value as the user wrote it, short. */
export function show(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (typeof v === 'number' || typeof v === 'boolean' || v === null) return String(v);
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v);
  let text: string | undefined;
  try {
    text = JSON.stringify(v);
  } catch {
    text = undefined; // a YAML alias can make a value that contains itself
  }
  if (text !== undefined && text.length <= 60) return text;
  if (Array.isArray(v)) return `a list of ${v.length} entries`;
  if (isRecord(v)) return `a mapping with ${Object.keys(v).length} fields`;
  return typeof v;
}

/** ", got <value>": the end of most problem lines. */
export const got = (v: unknown): string => `, got ${show(v)}`;

function joinWith(word: string, items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} ${word} ${items.at(-1)}`;
}
/** "a, b and c" */
export const andList = (items: readonly string[]): string => joinWith('and', items);
/** "a, b or c" */
export const orList = (items: readonly string[]): string => joinWith('or', items);

/** Levenshtein distance: how far a typo is from a known name. */
function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

/** The known name a typo most likely meant: edit distance under 3 and under half the name, case ignored. */
export function closest(word: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const k of known) {
    const d = editDistance(word.toLowerCase(), k.toLowerCase());
    if (d < bestDistance && d < k.length / 2) {
      best = k;
      bestDistance = d;
    }
  }
  return best;
}

/** "line 3, column 7" (1-based, in characters) of `offset` in `text`. */
export function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return `line ${line}, column ${column}`;
}
