/**
 * The labels of a scenario's `hosts:`, read from the file as parsed: label i runs on agent i.
 * Read here rather than from the validated scenario so that rendering depends only on the
 * documented shape `hosts: [{ label: a }, ...]`.
 */

/** As scenario names and labels: safe in a DNS name, a shell word and a command-line argument. */
const LABEL = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

export type HostLabels = { labels: string[] } | { problems: string[] };

export function hostLabels(raw: unknown): HostLabels {
  const hosts = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as Record<string, unknown>)['hosts'] : undefined;
  if (!Array.isArray(hosts) || hosts.length === 0) {
    return { problems: ['k8s render needs a scenario with hosts: (a list of { label: <name> }, one agent each)'] };
  }
  const labels: string[] = [];
  const problems: string[] = [];
  hosts.forEach((h: unknown, i) => {
    const label = typeof h === 'object' && h !== null ? (h as Record<string, unknown>)['label'] : undefined;
    if (typeof label !== 'string' || !LABEL.test(label)) {
      problems.push(`hosts[${i}].label: must be a name (a letter, then letters, digits, _ and -)`);
    } else if (labels.includes(label)) {
      problems.push(`hosts[${i}].label: must be unique, got ${label} twice`);
    } else {
      labels.push(label);
    }
  });
  return problems.length > 0 ? { problems } : { labels };
}
