import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { layoutTopology, topologySvg, type TopologyInput } from '../../../src/report/html/topology-svg.js';

type Group = TopologyInput['groups'][number];

function group(name: string, type: string, over: Partial<Group> = {}): Group {
  return { name, type, count: 1, placement: 'thread', bind: [], connect: [], ...over };
}

const pipeline: TopologyInput = {
  transport: 'tcp',
  endpoints: [
    { name: 'tasks', addresses: ['tcp://127.0.0.1:40123'] },
    { name: 'results', addresses: ['tcp://127.0.0.1:40124'] },
  ],
  groups: [
    group('ventilator', 'push', { bind: ['tasks'], detail: '64 B at 20.0k/s' }),
    group('workers', 'pull', { count: 3, connect: ['tasks'], forward: { type: 'push', bind: [], connect: ['results'] } }),
    group('sink', 'pull', { bind: ['results'] }),
  ],
};

/** Column order of the layout as "kind:name" per layer. */
function layerNames(t: TopologyInput): string[][] {
  const l = layoutTopology(t);
  return l.layers.map((col) => col.map((i) => `${l.nodes[i]!.kind}:${l.nodes[i]!.name}`));
}

/** "from>to kind" per edge, by name. */
function edgeNames(t: TopologyInput): string[] {
  const l = layoutTopology(t);
  return l.edges.map((e) => `${l.nodes[e.from]!.name}>${l.nodes[e.to]!.name} ${e.kind}${e.back ? ' back' : ''}`);
}

/** Every element opened is closed, in order; text outside tags has no raw "<". */
function assertBalanced(svg: string): void {
  assert.ok(svg.startsWith('<svg '), 'starts with <svg');
  assert.ok(svg.endsWith('</svg>'), 'ends with </svg>');
  const stack: string[] = [];
  const tag = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<>]*")*)\s*(\/?)>/g;
  let last = 0;
  for (let m = tag.exec(svg); m !== null; m = tag.exec(svg)) {
    assert.ok(!svg.slice(last, m.index).includes('<'), `stray "<" before offset ${m.index}`);
    last = tag.lastIndex;
    const [, closing, name, , selfClosing] = m;
    if (selfClosing) continue;
    if (closing) assert.equal(stack.pop(), name, `</${name}> closes the open element`);
    else stack.push(name!);
  }
  assert.ok(!svg.slice(last).includes('<'));
  assert.deepEqual(stack, [], 'all elements closed');
}

/** x of each group box / endpoint pill, by the first line of its text (the name). */
function nodeXs(svg: string): Map<string, number> {
  const xs = new Map<string, number>();
  const re = /<g><title>([^<\n]*)[^<]*<\/title><rect class="topo-(?:group|endpoint)" x="([\d.]+)"/g;
  for (let m = re.exec(svg); m !== null; m = re.exec(svg)) xs.set(m[1]!, Number(m[2]));
  return xs;
}

describe('layoutTopology', () => {
  it('puts the pipeline in five columns, in the direction of the messages', () => {
    assert.deepEqual(layerNames(pipeline), [
      ['group:ventilator'],
      ['endpoint:tasks'],
      ['group:workers'],
      ['endpoint:results'],
      ['group:sink'],
    ]);
    assert.deepEqual(edgeNames(pipeline), [
      'ventilator>tasks bind',
      'tasks>workers connect',
      'workers>results connect',
      'results>sink bind',
    ]);
    const l = layoutTopology(pipeline);
    assert.deepEqual(
      l.edges.map((e) => e.forward),
      [false, false, true, false],
    );
  });

  it('fans a publisher out to its subscribers, in declaration order', () => {
    const t: TopologyInput = {
      transport: 'inproc',
      endpoints: [{ name: 'feed', addresses: [] }],
      groups: [
        group('sub-a', 'sub', { connect: ['feed'] }),
        group('pub', 'pub', { bind: ['feed'] }),
        group('sub-b', 'sub', { count: 4, connect: ['feed'] }),
        group('sub-c', 'sub', { placement: 'process', connect: ['feed'] }),
      ],
    };
    assert.deepEqual(layerNames(t), [['group:pub'], ['endpoint:feed'], ['group:sub-a', 'group:sub-b', 'group:sub-c']]);
    assert.deepEqual(edgeNames(t), ['feed>sub-a connect', 'pub>feed bind', 'feed>sub-b connect', 'feed>sub-c connect']);
  });

  it('draws req/rep and dealer/router in the request direction only', () => {
    const t: TopologyInput = {
      transport: 'tcp',
      endpoints: [
        { name: 'svc', addresses: [] },
        { name: 'be', addresses: [] },
      ],
      groups: [
        group('server', 'rep', { bind: ['svc'] }),
        group('client', 'req', { connect: ['svc'] }),
        group('backend', 'router', { bind: ['be'] }),
        group('frontend', 'dealer', { connect: ['be'] }),
      ],
    };
    assert.deepEqual(layerNames(t), [
      ['group:client', 'group:frontend'],
      ['endpoint:svc', 'endpoint:be'],
      ['group:server', 'group:backend'],
    ]);
    assert.deepEqual(edgeNames(t), ['svc>server bind', 'client>svc connect', 'be>backend bind', 'frontend>be connect']);
  });

  it('keeps endpoints without edges in the first column and skips unknown endpoint names', () => {
    const t: TopologyInput = {
      transport: 'ipc',
      endpoints: [
        { name: 'used', addresses: [] },
        { name: 'idle', addresses: [] },
      ],
      groups: [group('p', 'push', { bind: ['used', 'nowhere'] }), group('q', 'pull', { connect: ['ghost'] })],
    };
    assert.deepEqual(layerNames(t), [['group:p', 'group:q', 'endpoint:idle'], ['endpoint:used']]);
    assert.deepEqual(edgeNames(t), ['p>used bind']);
  });

  it('terminates on a cycle made by forwards and marks one edge as going back', () => {
    // A pulls X and forwards to Y, B pulls Y and forwards to X: no node without incoming edges.
    const t: TopologyInput = {
      transport: 'tcp',
      endpoints: [
        { name: 'X', addresses: [] },
        { name: 'Y', addresses: [] },
      ],
      groups: [
        group('A', 'pull', { connect: ['X'], forward: { type: 'push', bind: [], connect: ['Y'] } }),
        group('B', 'pull', { connect: ['Y'], forward: { type: 'push', bind: [], connect: ['X'] } }),
      ],
    };
    assert.deepEqual(layerNames(t), [['group:A'], ['endpoint:Y'], ['group:B'], ['endpoint:X']]);
    assert.deepEqual(edgeNames(t), ['X>A connect back', 'A>Y connect', 'Y>B connect', 'B>X connect']);
    const svg = topologySvg(t);
    assert.equal((svg.match(/class="topo-edge /g) ?? []).length, 4);
    assertBalanced(svg);
  });

  it('terminates on a cycle fed from outside and on a group that receives and forwards on one endpoint', () => {
    const t: TopologyInput = {
      transport: 'tcp',
      endpoints: [
        { name: 'in', addresses: [] },
        { name: 'loop', addresses: [] },
      ],
      groups: [
        group('src', 'push', { bind: ['in'] }),
        group('echo', 'pull', { connect: ['in', 'loop'], forward: { type: 'push', bind: ['loop'], connect: [] } }),
      ],
    };
    assert.deepEqual(layerNames(t), [['group:src'], ['endpoint:in'], ['group:echo'], ['endpoint:loop']]);
    assert.deepEqual(edgeNames(t), ['src>in bind', 'in>echo connect', 'loop>echo connect back', 'echo>loop bind']);
  });

  it('handles an empty topology', () => {
    assert.deepEqual(layoutTopology({ transport: 'tcp', endpoints: [], groups: [] }), { nodes: [], edges: [], layers: [] });
    const svg = topologySvg({ transport: 'tcp', endpoints: [], groups: [] });
    assertBalanced(svg);
  });
});

describe('topologySvg', () => {
  const svg = topologySvg(pipeline);

  it('is one well-formed <svg> element sized by its viewBox', () => {
    assertBalanced(svg);
    const m =
      /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="0 0 (\d+) (\d+)" width="(\d+)" role="img" aria-label="topology[^"]*"/.exec(
        svg,
      );
    assert.ok(m, svg.slice(0, 200));
    assert.equal(m[1], m[3]);
    assert.ok(!/ height="\d+" role/.test(svg));
    // drawn at its own size: the report scrolls it sideways rather than shrinking its text
    assert.match(svg, /style="height:auto;font-family:inherit"/);
    assert.match(
      svg,
      /^<svg[^>]*><title>topology \(tcp\): ventilator \(push ×1\), workers \(pull→push ×3\), sink \(pull ×1\); endpoints tasks, results<\/title>/,
    );
  });

  it('places the five nodes left to right in message order', () => {
    const xs = nodeXs(svg);
    const order = ['ventilator', 'tasks', 'workers', 'results', 'sink'];
    assert.deepEqual([...xs.keys()].sort(), [...order].sort());
    for (let i = 1; i < order.length; i++) assert.ok(xs.get(order[i]!)! > xs.get(order[i - 1]!)!, `${order[i]} right of ${order[i - 1]}`);
  });

  it('draws four edges: bind solid, connect dashed, each with an arrowhead and a label', () => {
    const edges = svg.match(/<path class="topo-edge [^"]*"[^>]*>/g) ?? [];
    assert.equal(edges.length, 4);
    assert.deepEqual(
      edges.map((e) => /class="topo-edge (\w+)"/.exec(e)![1]),
      ['bind', 'connect', 'connect', 'bind'],
    );
    for (const e of edges) {
      assert.equal(e.includes('stroke-dasharray'), e.includes('topo-edge connect'));
      assert.match(e, /marker-end="url\(#topo-arrow-[0-9a-z]+\)"/);
    }
    const markerId = /<marker id="([^"]+)"/.exec(svg)![1];
    assert.ok(edges.every((e) => e.includes(`url(#${markerId})`)));
    const labels = [...svg.matchAll(/class="topo-muted topo-edge-label"[^>]*>(\w+)</g)].map((m) => m[1]);
    assert.deepEqual(labels, ['bind', 'connect', 'connect', 'bind']);
    assert.match(svg, /solid: bind · dashed: connect · arrows: direction of messages/);
  });

  it('shows type, count, placement, detail, transport and address', () => {
    assert.match(svg, />push ×1 · thread</);
    assert.match(svg, />pull→push ×3 · thread</);
    assert.match(svg, />64 B at 20\.0k\/s</);
    assert.match(svg, />tcp:\/\/127\.0\.0\.1:40123</);
    const bare = topologySvg({ transport: 'inproc', endpoints: [{ name: 'e', addresses: [] }], groups: [] });
    assert.match(bare, />inproc</);
  });

  it('adds the engine after the placement for a group not on zeromq.js, in the box and in its label', () => {
    const mixed = topologySvg({ ...pipeline, groups: [{ ...pipeline.groups[0]!, engine: 'native' }, ...pipeline.groups.slice(1)] });
    assert.match(mixed, />push ×1 · thread · native</);
    assert.match(mixed, />pull→push ×3 · thread</);
    assert.match(mixed, /<title>topology \(tcp\): ventilator \(push ×1, native\), workers \(pull→push ×3\)/);
    assert.doesNotMatch(svg, /native/);
  });

  it('uses CSS classes, not colours', () => {
    assert.match(svg, /class="topo-group"/);
    assert.match(svg, /class="topo-endpoint"/);
    assert.match(svg, /class="topo-label"/);
    assert.match(svg, /class="topo-muted"/);
    assert.ok(!/#[0-9a-f]{3,6}\b|rgb\(|<style/i.test(svg.replace(/url\(#[^)]+\)/g, '')), 'no colour literals or <style>');
  });

  it('is deterministic', () => {
    assert.equal(topologySvg(pipeline), svg);
    assert.equal(topologySvg(structuredClone(pipeline)), svg);
  });

  it('gives different topologies different marker ids', () => {
    const other = topologySvg({ ...pipeline, transport: 'ipc' });
    assert.notEqual(/<marker id="([^"]+)"/.exec(other)![1], /<marker id="([^"]+)"/.exec(svg)![1]);
  });

  it('shortens long addresses and names, with the full text in a <title>', () => {
    const long = `ipc:///tmp/zmq-bench-${'x'.repeat(60)}/0-0`;
    const t: TopologyInput = {
      transport: 'ipc',
      endpoints: [{ name: 'e', addresses: [long, 'ipc:///tmp/b', 'ipc:///tmp/c'] }],
      groups: [group('g'.repeat(80), 'push', { bind: ['e'] })],
    };
    const out = topologySvg(t);
    assertBalanced(out);
    const line = />(ipc:\/\/\/tmp[^<]*…[^<]*) \+2 more</.exec(out);
    assert.ok(line, 'address shortened, "+2 more" kept');
    assert.ok(Array.from(line[1]!).length <= 40);
    assert.ok(line[1]!.endsWith('/0-0'), 'keeps the end of the address');
    assert.ok(out.includes(`<title>e\nipc\n${long}\nipc:///tmp/b\nipc:///tmp/c</title>`));
    assert.match(out, />g+…</);
    assert.ok(out.includes(`<title>${'g'.repeat(80)}\n`));
    for (const m of out.matchAll(/<rect class="topo-\w+" x="[\d.]+" y="[\d.]+" width="([\d.]+)"/g)) {
      const w = Number(m[1]);
      assert.ok(w >= 150 && w <= 280, `width ${w} within 150..280`);
    }
  });

  it('escapes every string from the input', () => {
    const evil = '<script>alert(1)</script>';
    const t: TopologyInput = {
      transport: `tcp"><script>x</script>`,
      endpoints: [{ name: evil, addresses: [`tcp://${evil}`] }],
      groups: [
        group(evil, `push<script>`, {
          bind: [evil],
          placement: '<script>',
          detail: evil,
          forward: { type: '<script>', bind: [], connect: [evil] },
        }),
      ],
    };
    const out = topologySvg(t);
    assert.ok(!out.includes('<script'), 'no <script element');
    assert.ok(out.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
    assert.ok(!/"><script/.test(out));
    assertBalanced(out);
    assert.equal((out.match(/class="topo-edge /g) ?? []).length, 2, 'edges found by the hostile endpoint name');
  });
});
