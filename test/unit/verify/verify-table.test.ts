import { test } from 'node:test';
import assert from 'node:assert/strict';
import { catalogueMarkdown, catalogueTable, countsLine, formatValue, wrap } from '../../../src/verify/catalogue-table.js';
import { judgeRun, type CatalogueEntry } from '../../../src/verify/verdict.js';
import { pipeline } from '../../support/sample-result.js';

/** Four claims judged on the sample pipeline: one not measured, two holding, one not. */
function entries(): CatalogueEntry[] {
  const r = pipeline();
  const a = (that: string, says: string, required = true) => ({ that, says, required });
  return [
    judgeRun(
      {
        behaviour: 'B10',
        claim: 'slow subscriber over tcp: messages pile up at the publisher until the high-water mark, then are dropped',
        seeds: ['001'],
        transports: ['inproc', 'ipc', 'tcp'],
        assertions: [a('groups.workers.loss.tail == 200', 'tail lost'), a('totals.lost < groups.producers.sent', 'most arrived')],
      },
      r,
    ),
    judgeRun(
      {
        behaviour: 'B7',
        claim: 'slow joiner: even a subscriber started first loses the first messages while the connection is made',
        seeds: ['000', '003'],
        transports: ['inproc', 'ipc', 'tcp'],
        assertions: [
          a('groups.workers.loss.head > 0', 'the late subscriber lost the head'),
          a('groups.workers.latency.p99 < 200', 'fast | enough', false),
        ],
      },
      r,
    ),
    judgeRun(
      {
        behaviour: 'B2',
        claim: 'either side may start first',
        seeds: ['002'],
        transports: ['inproc', 'ipc', 'tcp'],
        assertions: [a('totals.received > 0', 'something arrived')],
      },
      pipeline({ problems: ['role workers[0] crashed: Error: boom'] }),
    ),
    judgeRun(
      {
        behaviour: 'B3',
        claim: 'each REQ gets only its own replies',
        seeds: ['004'],
        transports: ['inproc', 'ipc', 'tcp'],
        assertions: [a('totals.misrouted == 0', 'none misrouted')],
      },
      r,
    ),
  ];
}

test('figures read compactly: counts grouped, fractions to 4 significant digits', () => {
  const cases: Array<[number | null, string]> = [
    [0, '0'],
    [12_345, '12,345'],
    [1_234.56, '1,235'],
    [210.4, '210.4'],
    [0.051234, '0.05123'],
    [-3, '-3'],
    [null, '-'],
  ];
  for (const [v, text] of cases) assert.equal(formatValue(v), text, String(v));
});

test('wrap fills lines, indents continuations and cuts long paths after a dot', () => {
  assert.deepEqual(wrap('the quick brown fox', 10), ['the quick', 'brown fox']);
  assert.deepEqual(wrap('✗ groups.workers.latency.p99 = 2', 20, '  '), ['✗ groups.workers.', '  latency.p99 = 2']);
  assert.deepEqual(wrap('', 10), []);
});

test('the console table: sorted by id, wrapped to 100 columns, plain text', () => {
  const text = catalogueTable(entries());
  assert.equal(
    text,
    [
      'id   claim                            measured                                         verdict',
      '',
      'B2   either side may start first      ? not measured: role workers[0] crashed: Error:  not measured',
      '                                        boom',
      '                                      ✓ totals.received = 9,800 (want > 0)',
      '',
      'B3   each REQ gets only its own       ✓ totals.misrouted = 0 (want == 0)               holds',
      '     replies',
      '',
      'B7   slow joiner: even a subscriber   ✗ groups.workers.loss.head = 0 (want > 0)        does not hold',
      '     started first loses the first    ✗ groups.workers.latency.p99 = 210.4 (want <',
      '     messages while the connection      200; not required)',
      '     is made',
      '',
      'B10  slow subscriber over tcp:        ✓ groups.workers.loss.tail = 200 (want == 200)   holds',
      '     messages pile up at the          ✓ totals.lost = 200 (want <',
      '     publisher until the high-water     groups.producers.sent (10000))',
      '     mark, then are dropped',
      '',
      '4 claims: 2 hold, 1 does not hold, 1 not measured',
    ].join('\n'),
  );
  for (const line of text.split('\n')) assert.ok(line.length <= 100, line);
  assert.doesNotMatch(text, /\u001b/);
});

test('a narrow terminal gets a narrow table', () => {
  const lines = catalogueTable(entries(), { width: 60 }).split('\n');
  for (const line of lines) assert.ok(line.length <= 60, line);
  assert.deepEqual(lines.slice(12, 20), [
    'B7   slow joiner:     ✗ groups.workers.loss.   does not hold',
    '     even a             head = 0 (want > 0)',
    '     subscriber       ✗ groups.workers.',
    '     started first      latency.p99 = 210.4',
    '     loses the first    (want < 200; not',
    '     messages while     required)',
    '     the connection',
    '     is made',
  ]);
});

test('colour only when asked: verdicts and marks', () => {
  const text = catalogueTable(entries().slice(3), { color: true });
  assert.equal(
    text,
    [
      'id  claim                               measured                                             verdict',
      '',
      'B3  each REQ gets only its own replies  \u001b[32m✓\u001b[0m totals.misrouted = 0 (want == 0)                   \u001b[32mholds\u001b[0m',
      '',
      '1 claim: 1 holds',
    ].join('\n'),
  );
});

test('the Markdown table escapes free text and keeps paths as code', () => {
  assert.equal(
    catalogueMarkdown(entries()),
    [
      '| id | claim | measured | verdict |',
      '|---|---|---|---|',
      '| B2 | either side may start first (seed 002) | ? not measured: role workers\\[0\\] crashed: Error: boom<br>✓ `totals.received` = 9,800 (want &gt; 0): something arrived | **not measured** |',
      '| B3 | each REQ gets only its own replies (seed 004) | ✓ `totals.misrouted` = 0 (want == 0): none misrouted | **holds** |',
      '| B7 | slow joiner: even a subscriber started first loses the first messages while the connection is made (seed 000, 003) | ✗ `groups.workers.loss.head` = 0 (want &gt; 0): the late subscriber lost the head<br>✗ `groups.workers.latency.p99` = 210.4 (want &lt; 200; not required): fast \\| enough | **does not hold** |',
      '| B10 | slow subscriber over tcp: messages pile up at the publisher until the high-water mark, then are dropped (seed 001) | ✓ `groups.workers.loss.tail` = 200 (want == 200): tail lost<br>✓ `totals.lost` = 200 (want &lt; groups.producers.sent (10000)): most arrived | **holds** |',
      '',
      '4 claims: 2 hold, 1 does not hold, 1 not measured',
    ].join('\n'),
  );
});

test('the counts line leaves zero counts out and agrees in number', () => {
  assert.equal(countsLine([]), '0 claims: none judged');
  const [b10, b7] = entries();
  assert.equal(countsLine([b10!, b7!, b7!]), '3 claims: 1 holds, 2 do not hold');
});
