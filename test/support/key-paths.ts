/**
 * The shape of a result.json as a sorted list of key paths: `groups[].latency.p99`. Arrays are
 * collapsed to `[]` and the elements' paths merged, so the list says which keys exist, not how
 * many elements or which values.
 */
export function keyPaths(value: unknown, prefix = ''): string[] {
  const paths = new Set<string>();
  collect(value, prefix, paths);
  return [...paths].sort();
}

function collect(value: unknown, path: string, into: Set<string>): void {
  if (Array.isArray(value)) {
    for (const item of value) collect(item, `${path}[]`, into);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  for (const [key, child] of Object.entries(value)) {
    const childPath = path === '' ? key : `${path}.${key}`;
    into.add(childPath);
    collect(child, childPath, into);
  }
}
