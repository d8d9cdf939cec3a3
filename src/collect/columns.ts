/**
 * Fixed-capacity numeric columns, one set per named thing (a group, a worker, an endpoint),
 * for the time series. Each column is a Float64Array allocated whole when its name first
 * appears, so a long run's memory does not grow with its points: a point costs 8 bytes per
 * figure, against ~2 KB as objects in Maps (measured in the soak).
 */

/** How two neighbouring points' values become one: added, the later one, or the larger. */
export type Merge = 'sum' | 'later' | 'max';

export class ColumnTable<F extends string> {
  private readonly byName = new Map<string, Record<F, Float64Array>>();

  constructor(
    private readonly merges: Readonly<Record<F, Merge>>,
    private readonly capacity: number,
  ) {}

  /** Names in order of first appearance. */
  names(): IterableIterator<string> {
    return this.byName.keys();
  }

  /** The columns of a name, allocated (all zeros) on first use. */
  columns(name: string): Record<F, Float64Array> {
    let c = this.byName.get(name);
    if (c === undefined) {
      c = {} as Record<F, Float64Array>;
      for (const f of Object.keys(this.merges) as F[]) c[f] = new Float64Array(this.capacity);
      this.byName.set(name, c);
    }
    return c;
  }

  /** One name's figures at one point; figures not given stay as they are (0 unless written). */
  write(i: number, name: string, values: Readonly<Record<F, number>>): void {
    const c = this.columns(name);
    for (const f of Object.keys(this.merges) as F[]) c[f][i] = values[f];
  }

  /** One name's figures at one point. */
  read(i: number, name: string): Record<F, number> {
    const c = this.columns(name);
    const out = {} as Record<F, number>;
    for (const f of Object.keys(this.merges) as F[]) out[f] = c[f][i]!;
    return out;
  }

  /**
   * Merges points 2j and 2j+1 into j for every pair of the first n points, and zeroes
   * everything from floor(n/2) on (an odd last point is the caller's to keep, read it first).
   */
  halve(n: number): void {
    const half = n >> 1;
    for (const c of this.byName.values()) {
      for (const [f, how] of Object.entries(this.merges) as Array<[F, Merge]>) {
        const col = c[f];
        for (let j = 0; j < half; j++) col[j] = merge(how, col[2 * j]!, col[2 * j + 1]!);
        col.fill(0, half);
      }
    }
  }

  /** The first n values of every column of a name, as plain arrays (for JSON). */
  slice(name: string, n: number): Record<F, number[]> {
    const c = this.columns(name);
    const out = {} as Record<F, number[]>;
    for (const f of Object.keys(this.merges) as F[]) out[f] = Array.from(c[f].subarray(0, n));
    return out;
  }
}

/** Merges a later point's figures into an earlier one's, field by field, by the same rules. */
export function mergeInto<F extends string>(
  merges: Readonly<Record<F, Merge>>,
  earlier: Record<F, number>,
  later: Readonly<Record<F, number>>,
): void {
  for (const [f, how] of Object.entries(merges) as Array<[F, Merge]>) earlier[f] = merge(how, earlier[f], later[f]);
}

function merge(how: Merge, earlier: number, later: number): number {
  if (how === 'sum') return earlier + later;
  if (how === 'later') return later;
  return earlier > later ? earlier : later;
}
