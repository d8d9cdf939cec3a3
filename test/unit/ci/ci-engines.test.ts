import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import { compareVariants } from '../../../src/ci/compare.js';
import { suiteOutcome, variantOutcome } from '../../../src/ci/outcome.js';
import { loadSide, sideFromResults, writeIndex } from '../../../src/ci/suite-index.js';
import type { SuiteOutcome } from '../../../src/ci/types.js';
import type { RunResult } from '../../../src/core/types.js';
import { benchmarkActionJson, bencherMetricFormat } from '../../../src/report/benchmark-json.js';
import { formatCiSummary, formatComparison } from '../../../src/report/ci-summary.js';
import { junitXml } from '../../../src/report/junit.js';
import { markdownSummary } from '../../../src/report/markdown-summary.js';
import { mixedEngines, pipeline } from '../../support/sample-result.js';

/**
 * CI outputs name the engines of a variant when one of its groups ran native, as the console
 * summary does; a suite that ran on zeromq.js alone reads as it did before engines existed.
 */

const NATIVE = 'producers native, workers zeromq.js';

function suiteOf(...variants: Array<[string, RunResult]>): SuiteOutcome {
  return suiteOutcome(
    'nightly',
    variants.map(([name, r]) => variantOutcome(name, [r], [])),
    null,
  );
}

const mixed = () => suiteOf(['plain', pipeline()], ['fast', mixedEngines()]);
const plainOnly = () => suiteOf(['plain', pipeline()]);

interface Property {
  '@_name': string;
  '@_value': string;
}

function properties(xml: string, suite: string): Record<string, string> {
  const doc = new XMLParser({ ignoreAttributes: false, isArray: (name) => ['testsuite', 'property'].includes(name) }).parse(xml) as {
    testsuites: { testsuite: Array<{ '@_name': string; properties: { property: Property[] } }> };
  };
  const found = doc.testsuites.testsuite.find((s) => s['@_name'] === suite)!;
  return Object.fromEntries(found.properties.property.map((p) => [p['@_name'], p['@_value']]));
}

describe('a variant outcome', () => {
  it('names its engines only when a group ran native', () => {
    const [plain, fast] = mixed().variants;
    assert.equal(fast!.engines, NATIVE);
    assert.equal(plain!.engines, undefined);
    assert.equal('engines' in plain!, false, 'a zeromq.js-only variant has no engines key (index.json unchanged)');
  });
});

describe('CI outputs with a native variant', () => {
  it('JUnit: the native variant lists its engines and the libzmq the native engine loaded; the other lists neither', () => {
    const xml = junitXml(mixed());
    assert.deepEqual(
      [properties(xml, 'fast').engines, properties(xml, 'fast')['native engine']],
      [NATIVE, 'libzmq 4.3.5 · /opt/zeromq/build/Release/addon.node'],
    );
    assert.deepEqual(Object.keys(properties(xml, 'plain')), ['cpu', 'cores', 'node', 'zeromq.js', 'libzmq']);
  });

  it('Markdown: an Engines section after the table lists the native variant only', () => {
    const md = markdownSummary(mixed());
    assert.match(md, /\n\n### Engines\n\n- fast: producers native, workers zeromq\.js\n/);
    assert.doesNotMatch(md, /- plain:/);
    assert.ok(md.indexOf('### Engines') > md.indexOf('| fast |'), 'after the variant table');
  });

  it("benchmark-action: the native variant's entries say its engines in extra; BMF has no place for words and is unchanged", () => {
    const entries = JSON.parse(benchmarkActionJson(mixed()).biggerIsBetter) as Array<{ name: string; extra: string }>;
    const extra = Object.fromEntries(entries.map((e) => [e.name, e.extra]));
    assert.match(extra['fast - throughput']!, new RegExp(`; engines: ${NATIVE}$`));
    assert.doesNotMatch(extra['plain - throughput']!, /engine/);
    const bmf = JSON.parse(bencherMetricFormat(mixed())) as Record<string, Record<string, unknown>>;
    assert.deepEqual(Object.keys(bmf), ['plain', 'fast']);
    assert.deepEqual(bmf.fast, bmf.plain, 'the same figures, the same shape');
  });

  it('the console CI summary lists the engines of the native variant after the table', () => {
    const lines = formatCiSummary(mixed()).split('\n');
    const at = lines.indexOf('engines:');
    assert.ok(at > 0, lines.join('\n'));
    assert.deepEqual(lines.slice(at, at + 2), ['engines:', `  fast: ${NATIVE}`]);
    assert.equal(lines.length, at + 2);
  });
});

describe('CI outputs of a zeromq.js-only suite', () => {
  it('name no engine anywhere', () => {
    const o = plainOnly();
    const texts = [junitXml(o), markdownSummary(o), formatCiSummary(o), ...Object.values(benchmarkActionJson(o)), bencherMetricFormat(o)];
    for (const text of texts) assert.doesNotMatch(text, /engine|native/i);
  });
});

describe('compare with engines', () => {
  const side = (r: RunResult) => sideFromResults([r]);
  const notes = (baseline: RunResult, current: RunResult) =>
    compareVariants(side(baseline).variants, side(current).variants, { alpha: 0.05, tolerancePct: 10 }).notes.filter((n) =>
      /engine/.test(n),
    );

  it('says so when the baseline ran on other engines than the current results', () => {
    assert.deepEqual(notes(pipeline(), mixedEngines()), [
      `pipeline ran on other engines than the baseline: every group zeromq.js in the baseline, ${NATIVE} now`,
    ]);
    assert.deepEqual(notes(mixedEngines(), pipeline()), [
      `pipeline ran on other engines than the baseline: ${NATIVE} in the baseline, every group zeromq.js now`,
    ]);
  });

  it('names the engines when both sides ran native, and says nothing of engines when neither did', () => {
    assert.deepEqual(notes(mixedEngines(), mixedEngines()), [`pipeline ran on engines: ${NATIVE}`]);
    assert.deepEqual(notes(pipeline(), pipeline()), []);
    const c = compareVariants(side(pipeline()).variants, side(mixedEngines()).variants, { alpha: 0.05, tolerancePct: 10 });
    assert.match(formatComparison(c), /\nnote: pipeline ran on other engines than the baseline: /);
  });

  it("a suite's index.json keeps a variant's engines for a later compare, and a zeromq.js variant's absence of them", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zmq-bench-engines-index-'));
    try {
      const o = mixed();
      await writeIndex(dir, o, new Map());
      const loaded = await loadSide(dir);
      assert.deepEqual(
        loaded.variants.map((v) => [v.name, v.engines]),
        [
          ['plain', undefined],
          ['fast', NATIVE],
        ],
      );
      assert.equal('engines' in loaded.variants[0]!, false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
