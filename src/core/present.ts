/** `{ key: value }`, or nothing for null or undefined, so optional result fields stay absent. */
export function present<K extends string, V>(key: K, value: V | null | undefined): Partial<Record<K, V>> {
  return value === null || value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}
