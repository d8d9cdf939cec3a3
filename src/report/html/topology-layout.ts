import { SENDER_TYPES } from '../../scenario/schema.js';

/**
 * A scenario's topology as a graph: groups and endpoints as nodes, edges in the direction
 * messages flow, columns (layers) left to right. topology-svg.ts draws it.
 */

export interface TopologyInput {
  transport: string; // 'inproc' | 'ipc' | 'tcp', or 'mixed' when endpoints used different ones
  /**
   * addresses bound in this run, may be empty; external: a service zmq-bench did not start, at
   * its address; transport: the endpoint's own when endpoints used different ones (absent: `transport`)
   */
  endpoints: Array<{ name: string; addresses: string[]; external?: boolean; transport?: string }>;
  groups: Array<{
    name: string;
    type: string; // pub, sub, push, pull, req, rep, dealer, router, pair, radio, dish
    /** pair: 'sender' or 'receiver' */
    side?: string;
    count: number; // sockets in the group
    placement: string; // 'thread' | 'process'
    /** the engine, when not zeromq.js (e.g. 'native'): shown after the placement */
    engine?: string;
    bind: string[]; // endpoint names this group's sockets bind
    connect: string[]; // endpoint names they connect to
    /** a second socket per member that passes messages on (e.g. a pull worker forwarding with push) */
    forward?: { type: string; bind: string[]; connect: string[] };
    /** one short line such as "1.00 KiB at 10.0k/s" or "delay 1ms"; optional */
    detail?: string;
    /**
     * runs with hosts: the labels of the hosts the group's sockets ran on (socket i on
     * host[i % n]); absent: the coordinator's host
     */
    host?: string[];
    /** a part of a group spread over hosts: the sockets of the whole group (count is this part's) */
    of?: number;
  }>;
  /**
   * Runs with hosts: one box per host, in this order, each holding its groups. `coordinator`
   * marks the box of the coordinator's own host, where groups without `host` ran. Absent: no boxes.
   */
  hosts?: Array<{ label: string; hostname: string; agent: string; coordinator?: true }>;
}

export interface TopologyLayoutNode {
  kind: 'group' | 'endpoint';
  name: string;
  /** index into TopologyInput.groups or TopologyInput.endpoints */
  index: number;
  /** column, 0 = leftmost */
  layer: number;
  /** position within the column, 0 = top */
  row: number;
}

export interface TopologyLayoutEdge {
  /** indexes into TopologyLayout.nodes */
  from: number;
  to: number;
  kind: 'bind' | 'connect';
  /** drawn by the group's forward socket */
  forward: boolean;
  /** closes a cycle: ignored for layering, drawn from a later column back to an earlier one */
  back: boolean;
}

export interface TopologyLayout {
  /** groups in input order, then endpoints in input order */
  nodes: TopologyLayoutNode[];
  edges: TopologyLayoutEdge[];
  /** node indexes per column, each column in declaration order */
  layers: number[][];
}

const SENDERS: readonly string[] = SENDER_TYPES;

/**
 * Nodes, edges and layers. An edge follows the messages: a sending group (pub, xpub, push, req,
 * dealer, radio, a pair's sender) and every forward socket point at their endpoints, receivers are pointed at. A name
 * that is no declared endpoint gets no edge. Layer = longest path from a node without incoming
 * edges, over the graph without the edges that close a cycle (found by a depth-first search
 * from those nodes, then from any node not reached yet), so it terminates for any input.
 */
export function layoutTopology(t: TopologyInput): TopologyLayout {
  const nodes: TopologyLayoutNode[] = [
    ...t.groups.map((g, index) => ({ kind: 'group' as const, name: g.name, index, layer: 0, row: 0 })),
    ...t.endpoints.map((e, index) => ({ kind: 'endpoint' as const, name: e.name, index, layer: 0, row: 0 })),
  ];
  const endpointNode = new Map<string, number>();
  t.endpoints.forEach((e, i) => {
    if (!endpointNode.has(e.name)) endpointNode.set(e.name, t.groups.length + i);
  });

  const edges: TopologyLayoutEdge[] = [];
  const seen = new Set<string>();
  const add = (group: number, endpointName: string, kind: 'bind' | 'connect', sends: boolean, forward: boolean): void => {
    const ep = endpointNode.get(endpointName);
    if (ep === undefined) return;
    const from = sends ? group : ep;
    const to = sends ? ep : group;
    const key = `${from}>${to}>${kind}`;
    if (seen.has(key)) return;
    seen.add(key);
    edges.push({ from, to, kind, forward, back: false });
  };
  t.groups.forEach((g, gi) => {
    const sends = SENDERS.includes(g.type) || g.side === 'sender';
    for (const name of g.bind ?? []) add(gi, name, 'bind', sends, false);
    for (const name of g.connect ?? []) add(gi, name, 'connect', sends, false);
    if (g.forward) {
      for (const name of g.forward.bind ?? []) add(gi, name, 'bind', true, true);
      for (const name of g.forward.connect ?? []) add(gi, name, 'connect', true, true);
    }
  });

  const n = nodes.length;
  const out: number[][] = nodes.map(() => []);
  const indegree = new Array<number>(n).fill(0);
  edges.forEach((e, i) => {
    out[e.from]!.push(i);
    indegree[e.to]!++;
  });

  // Iterative DFS: 0 = not reached, 1 = on the current path, 2 = done. An edge into a node on
  // the current path closes a cycle and is not followed.
  const state = new Array<number>(n).fill(0);
  const postorder: number[] = [];
  const visit = (root: number): void => {
    const stack: Array<[node: number, next: number]> = [[root, 0]];
    state[root] = 1;
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const [node, next] = top;
      const list = out[node]!;
      if (next < list.length) {
        top[1]++;
        const edge = edges[list[next]!]!;
        if (state[edge.to] === 1) edge.back = true;
        else if (state[edge.to] === 0) {
          state[edge.to] = 1;
          stack.push([edge.to, 0]);
        }
      } else {
        state[node] = 2;
        postorder.push(node);
        stack.pop();
      }
    }
  };
  for (let i = 0; i < n; i++) if (indegree[i] === 0 && state[i] === 0) visit(i);
  for (let i = 0; i < n; i++) if (state[i] === 0) visit(i);

  // Longest path over the acyclic rest, in topological order (reverse postorder).
  const layer = new Array<number>(n).fill(0);
  for (let k = postorder.length - 1; k >= 0; k--) {
    const u = postorder[k]!;
    for (const ei of out[u]!) {
      const e = edges[ei]!;
      if (!e.back && layer[e.to]! < layer[u]! + 1) layer[e.to] = layer[u]! + 1;
    }
  }

  const columns = n === 0 ? 0 : Math.max(...layer) + 1;
  const layers: number[][] = Array.from({ length: columns }, () => []);
  for (let i = 0; i < n; i++) {
    const col = layers[layer[i]!]!;
    nodes[i]!.layer = layer[i]!;
    nodes[i]!.row = col.length;
    col.push(i);
  }
  return { nodes, edges, layers };
}
