import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { XMLValidator } from 'fast-xml-parser';
import { topologyInput } from '../../../src/report/html/scenario-view.js';
import { hostOfNodes, splitByHost } from '../../../src/report/html/topology-hosts.js';
import { layoutTopology, topologySvg, type TopologyInput } from '../../../src/report/html/topology-svg.js';
import { hostsPipeline } from '../../support/hosts-result.js';
import { pipeline } from '../../support/sample-result.js';

/** The topology of a run with hosts: a box per host around its groups. */

type Group = TopologyInput['groups'][number];
const group = (name: string, type: string, over: Partial<Group> = {}): Group => ({
  name,
  type,
  count: 1,
  placement: 'thread',
  bind: [],
  connect: [],
  ...over,
});

interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

const rectOf = (tag: string): Rect => {
  const n = (a: string) => Number(new RegExp(` ${a}="([\\d.-]+)"`).exec(tag)![1]);
  return { x: n('x'), y: n('y'), w: n('width'), h: n('height') };
};
const inside = (a: Rect, b: Rect) => a.x >= b.x && a.y >= b.y && a.x + a.w <= b.x + b.w && a.y + a.h <= b.y + b.h;

/** host label → its box; and every group box or endpoint pill as [host, title's first line, rect]. */
function parse(svg: string): { hosts: Map<string, Rect>; nodes: Array<[string | null, string, Rect]> } {
  const hosts = new Map<string, Rect>();
  for (const m of svg.matchAll(/<g class="topo-host" data-host="([^"]*)"[^>]*><title>[^<]*<\/title>(<rect [^>]*>)/g))
    hosts.set(m[1]!, rectOf(m[2]!));
  const nodes = [
    ...svg.matchAll(/<g(?: data-host="([^"]*)")?><title>([^<\n]*)[^<]*<\/title>(<rect class="topo-(?:group|endpoint)"[^>]*>)/g),
  ].map((m): [string | null, string, Rect] => [m[1] ?? null, m[2]!, rectOf(m[3]!)]);
  return { hosts, nodes };
}

describe('hosts in the topology', () => {
  const input = topologyInput(hostsPipeline());

  it("reads the result's hosts and each group's host; the coordinator's box holds the groups without one", () => {
    assert.deepEqual(input.hosts, [
      { label: 'a', hostname: 'rack1-node7', agent: 'tcp://198.18.0.2:7000' },
      { label: 'b', hostname: 'rack2-node3', agent: 'tcp://198.18.0.3:7000' },
      { label: 'coordinator', hostname: 'h', agent: 'local', coordinator: true },
    ]);
    assert.deepEqual(
      input.groups.map((g) => [g.name, g.host]),
      [
        ['producers', ['a']],
        ['workers', ['a', 'b']],
        ['sink', undefined],
      ],
    );
    const plain = topologyInput(pipeline());
    assert.equal('hosts' in plain, false);
  });

  it('splits a spread group into a part per host, socket i on host i % n', () => {
    const t: TopologyInput = { transport: 'tcp', endpoints: [], groups: [group('w', 'pull', { count: 3, host: ['a', 'b'] })], hosts: [] };
    assert.deepEqual(
      splitByHost(t).groups.map((g) => [g.host, g.count, g.of]),
      [
        [['a'], 2, 3],
        [['b'], 1, 3],
      ],
    );
    const one = splitByHost({ ...t, groups: [group('w', 'pull', { count: 1, host: ['a', 'b'] })] });
    assert.deepEqual(
      one.groups.map((g) => [g.host, g.count]),
      [[['a'], 1]],
    );
    const noHosts = { ...t, hosts: undefined };
    assert.equal(splitByHost(noHosts), noHosts);
  });

  it("puts an endpoint in its binder's host box; an external one or one bound on several hosts in none", () => {
    const t = splitByHost({
      transport: 'tcp',
      endpoints: [
        { name: 'one', addresses: [] },
        { name: 'two', addresses: [] },
        { name: 'far', addresses: ['tcp://192.0.2.1:1'], external: true },
      ],
      groups: [
        group('p', 'pub', { bind: ['one'], host: ['a'] }),
        group('r', 'pull', { bind: ['two'], host: ['a', 'b'], count: 2 }),
        group('s', 'sub', { connect: ['one', 'far'] }),
      ],
      hosts: [
        { label: 'a', hostname: 'ha', agent: 'tcp://198.18.0.2:7000' },
        { label: 'b', hostname: 'hb', agent: 'tcp://198.18.0.3:7000' },
        { label: 'coordinator', hostname: 'hc', agent: 'local', coordinator: true },
      ],
    });
    const layout = layoutTopology(t);
    const of = hostOfNodes(t, layout);
    assert.deepEqual(
      layout.nodes.map((n, i) => `${n.name}:${of[i]}`),
      ['p:0', 'r:0', 'r:1', 's:2', 'one:0', 'two:-1', 'far:-1'],
    );
  });

  it('draws one box per host labelled "<label> · <hostname> · <agent>", each group inside its host box', () => {
    const svg = topologySvg(input);
    assert.equal(XMLValidator.validate(svg), true);
    const { hosts, nodes } = parse(svg);
    assert.deepEqual([...hosts.keys()], ['a', 'b', 'coordinator']);
    assert.match(svg, />a · rack1-node7 · tcp:\/\/198\.18\.0\.2:7000</);
    assert.match(svg, />coordinator · h · local</);
    assert.match(svg, /data-host="coordinator" data-coordinator="true"/);
    const where = nodes.map(([host, name]) => `${name}@${host}`);
    assert.deepEqual(where.sort(), ['producers@a', 'results@coordinator', 'sink@coordinator', 'work@a', 'workers@a', 'workers@b']);
    for (const [host, name, rect] of nodes) assert.ok(inside(rect, hosts.get(host!)!), `${name} inside the box of ${host}`);
    const boxes = [...hosts.values()].sort((p, q) => p.y - q.y);
    for (let i = 1; i < boxes.length; i++) assert.ok(boxes[i]!.y >= boxes[i - 1]!.y + boxes[i - 1]!.h, 'host boxes do not overlap');
    assert.match(svg, />pull→push ×2 of 4 · thread</);
    assert.match(svg, /<title>workers\npull→push ×2 of 4 · thread\non b<\/title>/);
    assert.match(svg, /aria-label="[^"]*; hosts a \(producers, workers\), b \(workers\), coordinator \(sink\)"/);
    assert.match(svg, /outer boxes: hosts/);
  });

  it('a host where nothing ran is an empty box that says so; labels are escaped', () => {
    const svg = topologySvg({
      ...input,
      hosts: [...input.hosts!, { label: 'idle', hostname: '<b>x</b>', agent: 'tcp://198.18.0.9:7000' }],
    });
    assert.equal(XMLValidator.validate(svg), true);
    assert.match(svg, /data-host="idle"><title>idle · &lt;b&gt;x&lt;\/b&gt; · tcp:\/\/198\.18\.0\.9:7000<\/title>.*?nothing ran here/);
    assert.ok(!svg.includes('<b>'));
  });

  it('a run without hosts draws no host box', () => {
    const svg = topologySvg(topologyInput(pipeline()));
    assert.doesNotMatch(svg, /topo-host|data-host|outer boxes/);
  });
});
