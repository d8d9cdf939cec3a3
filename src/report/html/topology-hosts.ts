import type { TopologyInput, TopologyLayout } from './topology-layout.js';

/**
 * Hosts in the topology drawing (runs with hosts:): each host a box drawn as a band across
 * the columns, holding its groups and the endpoints bound there; arrows that leave a box are
 * traffic between hosts. A group spread over several hosts is drawn once in each of their boxes.
 */

type Group = TopologyInput['groups'][number];

/**
 * A group spread over n hosts becomes one part per host, with the sockets that ran there
 * (socket i on host i % n, as the plan places them) and the whole group's count in `of`.
 */
export function splitByHost(t: TopologyInput): TopologyInput {
  if (!t.hosts) return t;
  const parts = (g: Group): Group[] => {
    const hosts = g.host ?? [];
    if (hosts.length <= 1) return [g];
    return hosts.flatMap((h, i) => {
      const count = Math.floor(g.count / hosts.length) + (i < g.count % hosts.length ? 1 : 0);
      return count === 0 ? [] : [{ ...g, host: [h], count, of: g.count }];
    });
  };
  return { ...t, groups: t.groups.flatMap(parts) };
}

/**
 * The host box (index into t.hosts) of every layout node, -1 for none. A group: its host's
 * box, or the coordinator's when it has no host. An endpoint: the box of the host that binds
 * it when exactly one does; none when it is external or bound on several hosts (drawn below the boxes).
 */
export function hostOfNodes(t: TopologyInput, layout: TopologyLayout): number[] {
  const hosts = t.hosts ?? [];
  const coordinator = hosts.findIndex((h) => h.coordinator);
  const boxOf = (g: Group): number => {
    if (g.host === undefined || g.host.length === 0) return coordinator;
    return g.host.length === 1 ? hosts.findIndex((h) => !h.coordinator && h.label === g.host![0]) : -1;
  };
  const binders = new Map<string, Set<number>>();
  for (const g of t.groups) {
    for (const name of [...g.bind, ...(g.forward?.bind ?? [])]) binders.set(name, (binders.get(name) ?? new Set()).add(boxOf(g)));
  }
  return layout.nodes.map((node) => {
    if (node.kind === 'group') return boxOf(t.groups[node.index]!);
    const e = t.endpoints[node.index]!;
    const boxes = binders.get(e.name);
    return e.external || !boxes || boxes.size !== 1 ? -1 : [...boxes][0]!;
  });
}

export interface HostBand {
  /** index into TopologyInput.hosts */
  host: number;
  top: number;
  bottom: number;
  /** no node in it */
  empty: boolean;
}

/** Room above a host box's rows for its label, below it before the next box, and of a box with no groups. */
export const HOST_HEAD = 22;
const HOST_GAP = 14;
const EMPTY_HOST = 30;

/**
 * Rows stacked by host: each host's band as tall as its fullest column, the nodes outside any
 * host last. Returns the top of every node's row (ROW_HEIGHT tall; within its band, each column
 * centred), the bands of the host boxes, and where the last row ends.
 */
export function hostRows(
  layers: readonly number[][],
  hostOf: readonly number[],
  hostCount: number,
  top: number,
  rowHeight: number,
): { rowTop: number[]; bands: HostBand[]; bottom: number } {
  const rowTop = new Array<number>(hostOf.length).fill(0);
  const bands: HostBand[] = [];
  let y = top;
  let bottom = top;
  const place = (host: number, first: number): number => {
    const columns = layers.map((col) => col.filter((ni) => hostOf[ni] === host));
    const rows = Math.max(0, ...columns.map((c) => c.length));
    for (const col of columns) col.forEach((ni, i) => (rowTop[ni] = first + ((rows - col.length) * rowHeight) / 2 + i * rowHeight));
    return rows * rowHeight;
  };
  for (let h = 0; h < hostCount; h++) {
    const height = place(h, y + HOST_HEAD);
    bands.push({ host: h, top: y, bottom: y + HOST_HEAD + (height > 0 ? height : EMPTY_HOST), empty: height === 0 });
    bottom = bands[h]!.bottom;
    y = bottom + HOST_GAP;
  }
  if (hostOf.some((h) => h < 0)) bottom = y + place(-1, y);
  return { rowTop, bands, bottom };
}
