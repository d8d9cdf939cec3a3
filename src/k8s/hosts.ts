import type { Scenario } from '../scenario/schema.js';

/**
 * The labels of a scenario's `hosts:`, as validation left them (names: a letter, then letters,
 * digits, _ and -, so safe in a shell word and a command-line argument): label i runs on agent i.
 */
export type HostLabels = { labels: string[] } | { problems: string[] };

export function hostLabels(scenario: Scenario): HostLabels {
  if (scenario.hosts.length === 0) {
    return { problems: ['k8s render needs a scenario with hosts: (a list of { label: <name> }, one agent each)'] };
  }
  return { labels: [...scenario.hosts] };
}
