import { got } from '../problem-text.js';
import { endpointOver, Findings, transportPhrase, type CheckContext } from './context.js';
import type { Problem } from './problem.js';
import { readSides, type Side } from './sides.js';
import { canTalk } from './socket-kinds.js';

/**
 * Hosts (issue 20): labels unique; a group's host names declared labels; an inproc endpoint never
 * with hosts (groups on an agent run in processes of their own there), and an ipc endpoint never
 * between groups on different hosts (a unix socket does not leave its host). A group without `host` runs on
 * the coordinator's host, which is a host of its own for these rules.
 */
export function hostProblems(raw: Record<string, unknown>, ctx: CheckContext): Problem[] {
  const found = new Findings(ctx);
  const labels = declaredLabels(raw, ctx, found);
  const hostsOf = new Map<number, string[]>();
  for (const g of ctx.groups) {
    const pointer = `${g.pointer}/host`;
    const host = g.fields['host'];
    if (host === undefined || !ctx.sound(pointer)) continue;
    const check = found.ofGroup('host', g.index);
    const list = typeof host === 'string' ? [host] : Array.isArray(host) ? host.filter((h): h is string => typeof h === 'string') : [];
    const at = (i: number) => (typeof host === 'string' ? pointer : `${pointer}/${i}`);
    let sound = true;
    list.forEach((label, i) => {
      if (labels !== null && !labels.includes(label)) {
        sound = false;
        check.add(
          at(i),
          labels.length === 0
            ? `names a host, but the scenario has no hosts: list${got(label)}`
            : `must be one of the labels of hosts: ${labels.join(', ')}${got(label)}`,
        );
      } else if (list.indexOf(label) !== i) {
        sound = false;
        check.add(at(i), `names host ${label} twice`);
      }
    });
    const inproc = endpointOver(ctx, g, 'inproc');
    if (inproc !== undefined) {
      check.add(
        pointer,
        `cannot be used with ${transportPhrase(...inproc)} (a group on a host runs in processes of its own; use tcp or ipc)`,
      );
      sound = false;
    }
    const udp = endpointOver(ctx, g, 'udp');
    if (udp !== undefined) {
      check.add(pointer, `cannot be used with ${transportPhrase(...udp)} (zmq-bench runs udp on loopback only, on one host; use tcp)`);
      sound = false;
    }
    if (sound) hostsOf.set(g.index, list);
  }
  ipcAcrossHosts(ctx, found, hostsOf);
  return found.problems;
}

/** The labels of hosts:, with duplicates reported; null when the list has a problem of its own. */
function declaredLabels(raw: Record<string, unknown>, ctx: CheckContext, found: Findings): string[] | null {
  const hosts = raw['hosts'];
  if (hosts === undefined) return [];
  if (!Array.isArray(hosts) || !ctx.sound('/hosts')) return null;
  const check = found.of('hosts');
  const labels: string[] = [];
  hosts.forEach((h: unknown, i) => {
    const label = (h as { label?: unknown } | null)?.label;
    if (typeof label !== 'string') return;
    const first = labels.indexOf(label);
    if (first >= 0) check.add(`/hosts/${i}/label`, `must be unique (also hosts[${first}].label)${got(label)}`);
    labels.push(label);
  });
  return labels;
}

/** ipc: every pair of sides that meet at an ipc endpoint must be on one and the same host. */
function ipcAcrossHosts(ctx: CheckContext, found: Findings, hostsOf: ReadonlyMap<number, string[]>): void {
  if (![...ctx.endpoints.transports.values()].some((t) => t.transport === 'ipc')) return;
  const sides = readSides(ctx, new Findings(ctx));
  const where = (group: number): string => {
    const hosts = ctx.groups.find((g) => g.index === group)?.fields['host'] === undefined ? [] : hostsOf.get(group);
    if (hosts === undefined) return '?';
    return hosts.length === 0 ? "the coordinator's host" : hosts.join(', ');
  };
  const spans = (group: number): boolean => (hostsOf.get(group)?.length ?? 0) > 1;
  for (const side of sides.all) {
    if (side.mode !== 'connect') continue;
    const mine = where(side.group);
    const reported = new Set<Side>();
    for (const ref of side.refs) {
      const t = ctx.endpoints.transports.get(ref.endpoint);
      const peer = sides.usage.get(ref.endpoint)?.binders[0]?.side;
      if (t?.transport !== 'ipc' || peer === undefined || !canTalk(side.type, peer.type) || reported.has(peer)) continue;
      const theirs = where(peer.group);
      if (mine === '?' || theirs === '?') continue;
      if (mine !== theirs || spans(side.group) || spans(peer.group)) {
        reported.add(peer);
        const at = t.own ? ` at endpoint ${JSON.stringify(ref.endpoint)}` : '';
        found
          .ofGroup('host', side.group)
          .add(
            `${side.pointer}`,
            `cannot reach ${peer.label} over ipc${at}: ipc does not cross hosts (${side.label} runs on ${mine}, ${peer.label} on ${theirs}); use tcp`,
          );
      }
    }
  }
}
