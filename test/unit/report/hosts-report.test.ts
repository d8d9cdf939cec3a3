import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildReportHtml } from '../../../src/report/html/report-document.js';
import { timelineMarkers } from '../../../src/report/html/run-charts.js';
import { hostsPipeline } from '../../support/hosts-result.js';
import { pipeline } from '../../support/sample-result.js';

/** report.html of a run with hosts: the hosts table, "± x ms (clocks)" beside one-way latency across hosts. */

const OPTIONS = { bundle: '/* chart code */', generatedAt: new Date('2026-01-01T00:00:00Z'), toolVersion: '0.0.0-test' };
const page = (r = hostsPipeline()) => buildReportHtml([{ result: r }], OPTIONS);

/** The cells of each body row of the table in the section with this class. */
function rows(html: string, section: string): string[][] {
  const start = html.indexOf(`<section class="card ${section}">`);
  assert.ok(start >= 0, `no ${section} section`);
  const body = html.slice(start, html.indexOf('</section>', start));
  const cells = [...body.matchAll(/<tr>(.*?)<\/tr>/g)].map((r) => [...r[1]!.matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((c) => c[1]!));
  return cells.filter((r) => r.length > 0);
}

describe('report.html of a run with hosts', () => {
  it('a Hosts table: label, agent, address, hostname, cores, memory, libzmq, clock offset ± uncertainty; the coordinator last', () => {
    assert.deepEqual(rows(page(), 'hosts'), [
      ['a', 'tcp://198.18.0.2:7000', '198.18.0.2', 'rack1-node7', '16', '64.0 GiB', '4.3.4', '+0.412 ± 0.021 ms'],
      ['b', 'tcp://198.18.0.3:7000', '198.18.0.3', 'rack2-node3', '8', '32.0 GiB', '4.3.5', '-1.250 ± 0.020 ms'],
      ['(coordinator)', 'local', '-', 'h', '2', '1 B', '4.3.5', 'reference'],
    ]);
    assert.match(page(), /title="this host&#39;s clock minus the coordinator&#39;s, from the fastest of 16 round trips/);
  });

  it('the latency of a group measured across hosts reads "± x ms (clocks)", with a tooltip on it and on its figures', () => {
    const html = page();
    const cell = /<td class="clocks" title="([^"]*)">(.*?)<\/td>/.exec(html);
    assert.ok(cell, 'a clocks cell');
    assert.equal(cell[2], 'one-way <span>± 0.041 ms</span> (clocks)');
    assert.match(cell[1]!, /^One-way latency across hosts: .* right only within ± 0\.041 ms\.$/);
    assert.equal((html.match(/class="clocks"/g) ?? []).length, 2, 'workers and sink');
    assert.ok(html.includes(`<td class="num" title="${cell[1]}">85.0us</td>`), 'p50 carries the tooltip');
    assert.match(html, /<dt>latency p99<\/dt><dd>210us<\/dd><small>one-way ± 0\.041 ms \(clocks\)<\/small>/);
    assert.match(html, /<li>latency of sink is one-way across hosts: right within ± 0\.021 ms \(clock offsets estimated\)<\/li>/);
  });

  it('socket events name their host in the timeline and on the charts', () => {
    assert.match(page(), /<td>workers\[1\] on b connect<\/td>/);
    assert.deepEqual(
      timelineMarkers(hostsPipeline().timeline!).map((m) => m.label),
      ['workers[1] on b connect', 'producers[0] on a accept'],
    );
  });

  it('a run without hosts has no hosts table and no clocks note', () => {
    const html = page(pipeline());
    assert.doesNotMatch(html, /class="card hosts"|class="clocks"|clock offsets estimated|data-host/);
  });
});
