/**
 * Names and labels of the Kubernetes objects of one scenario. Everything hangs on the
 * instance name: the scenario's name made DNS-safe, short enough that the longest name built
 * from it (an agent pod's hostname, `<instance>-agent-<index>`) stays a DNS label (63 characters).
 */

/** The port of every agent's control socket (the headless Service names it `control`). */
export const CONTROL_PORT = 7000;

/** Room left for `-coordinator` and `-agent-<index>` (an index has at most 4 digits) within 63. */
const INSTANCE_LENGTH = 40;

/** A scenario name (letters, digits, _ and -, starting with a letter) → a DNS-1123 label. */
export function instanceName(scenarioName: string): string {
  const dns = scenarioName
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '-')
    .slice(0, INSTANCE_LENGTH)
    .replace(/-+$/, '');
  // a scenario name starts with a letter, so `dns` does too; never empty, whatever comes in
  return /^[a-z]/.test(dns) ? dns : `zb-${dns}`.replace(/-+$/, '');
}

export interface Names {
  instance: string;
  /** the headless Service of the agents: the pods' subdomain */
  service: string;
  /** the Indexed Job of the agents; its pod i has the hostname `<agentJob>-<i>` */
  agentJob: string;
  coordinatorJob: string;
  configMap: string;
  secret: string;
}

export function namesOf(scenarioName: string): Names {
  const instance = instanceName(scenarioName);
  return {
    instance,
    service: `${instance}-agents`,
    agentJob: `${instance}-agent`,
    coordinatorJob: `${instance}-coordinator`,
    configMap: `${instance}-scenario`,
    secret: `${instance}-keys`,
  };
}

/** Agent i's address as the coordinator dials it: `<hostname>.<subdomain>`, found through the pod's DNS search path. */
export function agentAddress(names: Names, index: number): string {
  return `tcp://${names.agentJob}-${index}.${names.service}:${CONTROL_PORT}`;
}

export type Component = 'agent' | 'coordinator';

/** The labels every object carries (the recommended app.kubernetes.io ones); pods add their component. */
export function labelsOf(names: Names, component?: Component): Record<string, string> {
  return {
    'app.kubernetes.io/name': 'zmq-bench',
    'app.kubernetes.io/instance': names.instance,
    ...(component ? { 'app.kubernetes.io/component': component } : {}),
  };
}
