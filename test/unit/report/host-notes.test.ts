import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import { suiteOutcome, variantOutcome } from '../../../src/ci/outcome.js';
import type { RunResult } from '../../../src/core/types.js';
import { formatSummary } from '../../../src/report/console-summary.js';
import { clockNotes, hostNotes, signedMs, withinMs } from '../../../src/report/host-notes.js';
import { junitXml } from '../../../src/report/junit.js';
import { markdownSummary } from '../../../src/report/markdown-summary.js';
import { HOST_A, hostsPipeline } from '../../support/hosts-result.js';
import { pipeline } from '../../support/sample-result.js';

/** The console, Markdown and JUnit outputs of a run with hosts; a run without hosts reads as before. */

const HOST_LINES = [
  'hosts: a · rack1-node7 · tcp://198.18.0.2:7000 · clock offset +0.412 ± 0.021 ms',
  'hosts: b · rack2-node3 · tcp://198.18.0.3:7000 · clock offset -1.250 ± 0.020 ms',
];
const CLOCK_LINES = [
  'latency of workers is one-way across hosts: right within ± 0.041 ms (clock offsets estimated)',
  'latency of sink is one-way across hosts: right within ± 0.021 ms (clock offsets estimated)',
];

const suiteOf = (...variants: Array<[string, RunResult[]]>) =>
  suiteOutcome(
    'nightly',
    variants.map(([name, runs]) => variantOutcome(name, runs, [])),
    null,
  );

describe('host notes', () => {
  it('signed and ± figures in ms with three decimals', () => {
    assert.deepEqual(
      [signedMs(0.4123), signedMs(-1.25), signedMs(0), signedMs(-0.0004), signedMs(12.3456)],
      ['+0.412', '-1.250', '0.000', '0.000', '+12.346'],
    );
    assert.equal(withinMs(0.0205), '± 0.021 ms');
  });

  it('one "hosts:" line per host; a host on the coordinator says it keeps its clock', () => {
    const r = hostsPipeline();
    assert.deepEqual(hostNotes(r), HOST_LINES);
    r.hosts!.push({ ...HOST_A, label: 'c', agent: 'local', clock: null });
    assert.equal(hostNotes(r)[2], "hosts: c · rack1-node7 · local · the coordinator's clock");
    assert.deepEqual(hostNotes(pipeline()), []);
  });

  it('a one-way note for each group whose latency crossed hosts, none for the others', () => {
    assert.deepEqual(clockNotes(hostsPipeline().groups), CLOCK_LINES);
    assert.deepEqual(clockNotes(pipeline().groups), []);
  });
});

describe('the console summary of a run with hosts', () => {
  it('lists the hosts and the one-way notes after the latency note', () => {
    const lines = formatSummary(hostsPipeline()).split('\n');
    const at = lines.indexOf('latency: one-way (workers, sink)');
    assert.ok(at > 0, lines.join('\n'));
    assert.deepEqual(lines.slice(at + 1, at + 5), [...HOST_LINES, ...CLOCK_LINES]);
  });

  it('a run without hosts has neither', () => {
    assert.doesNotMatch(formatSummary(pipeline()), /hosts|clock/);
  });
});

describe('CI outputs of a run with hosts', () => {
  it('Markdown: a Hosts section with each host and the one-way notes; none without hosts', () => {
    const md = markdownSummary(suiteOf(['spread', [hostsPipeline()]], ['plain', [pipeline()]]));
    const section = md.slice(md.indexOf('### Hosts'));
    assert.ok(md.includes('\n\n### Hosts\n\n'), md);
    assert.match(section, /^- spread: a · rack1-node7 · tcp:\/\/198\.18\.0\.2:7000 · clock offset \+0\.412 ± 0\.021 ms$/m);
    assert.match(section, /^- spread: latency of workers is one-way across hosts: right within ± 0\.041 ms \(clock offsets estimated\)$/m);
    assert.doesNotMatch(section, /- plain:/);
    assert.doesNotMatch(markdownSummary(suiteOf(['plain', [pipeline()]])), /Hosts/);
    const repeated = markdownSummary(suiteOf(['spread', [hostsPipeline(), hostsPipeline()]]));
    assert.match(repeated, /^- spread \(first of 2 runs\): b · rack2-node3/m);
  });

  it('JUnit: a property per host; none without hosts', () => {
    const props = (r: RunResult) => {
      const doc = new XMLParser({ ignoreAttributes: false, isArray: (n) => n === 'property' }).parse(junitXml(suiteOf(['v', [r]]))) as {
        testsuites: { testsuite: { properties: { property: Array<{ '@_name': string; '@_value': string }> } } };
      };
      return Object.fromEntries(doc.testsuites.testsuite.properties.property.map((p) => [p['@_name'], p['@_value']]));
    };
    const withHosts = props(hostsPipeline());
    assert.equal(withHosts['host a'], 'rack1-node7 · tcp://198.18.0.2:7000 · 198.18.0.2 · clock offset +0.412 ± 0.021 ms');
    assert.equal(withHosts['host b'], 'rack2-node3 · tcp://198.18.0.3:7000 · 198.18.0.3 · clock offset -1.250 ± 0.020 ms');
    assert.deepEqual(Object.keys(props(pipeline())), ['cpu', 'cores', 'node', 'zeromq.js', 'libzmq']);
  });
});
