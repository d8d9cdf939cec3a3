import { test } from 'node:test';
import assert from 'node:assert/strict';
import { alignColumns, formatSummary } from '../../../src/report/console-summary.js';
import { formatCount, formatLatencyUs, formatMegabytes, formatPercent, formatRate } from '../../../src/core/format.js';
import { flow, group, LAT, mixedEngines, pipeline } from '../../support/sample-result.js';

test('formatCount groups thousands with commas, independent of locale', () => {
  assert.equal(formatCount(0), '0');
  assert.equal(formatCount(999), '999');
  assert.equal(formatCount(12_345), '12,345');
  assert.equal(formatCount(1_234_567), '1,234,567');
  assert.equal(formatCount(-4_200), '-4,200');
  assert.equal(formatCount(12.6), '13');
  assert.equal(formatCount(Number.NaN), '-');
});

test('formatRate is compact: 950, 12.3k, 123k, 1.2M', () => {
  assert.equal(formatRate(0), '0');
  assert.equal(formatRate(950.4), '950');
  assert.equal(formatRate(999.6), '1.0k');
  assert.equal(formatRate(1_000), '1.0k');
  assert.equal(formatRate(12_345), '12.3k');
  assert.equal(formatRate(123_456), '123k');
  assert.equal(formatRate(999_960), '1.0M'); // rounding carries into the next unit
  assert.equal(formatRate(1_234_567), '1.2M');
  assert.equal(formatRate(2_500_000_000), '2.5G');
  assert.equal(formatRate(-1), '-');
});

test('formatMegabytes uses decimal MB with two decimals below 1', () => {
  assert.equal(formatMegabytes(0), '0.00');
  assert.equal(formatMegabytes(64_000), '0.06');
  assert.equal(formatMegabytes(12_345_678), '12.3');
  assert.equal(formatMegabytes(1_234_500_000), '1234.5');
});

test('formatLatencyUs picks us, ms or s with three significant digits', () => {
  assert.equal(formatLatencyUs(5.2), '5.20us');
  assert.equal(formatLatencyUs(85.04), '85.0us');
  assert.equal(formatLatencyUs(850), '850us');
  assert.equal(formatLatencyUs(999.7), '1.00ms'); // unit chosen after rounding
  assert.equal(formatLatencyUs(1_250), '1.25ms');
  assert.equal(formatLatencyUs(12_500), '12.5ms');
  assert.equal(formatLatencyUs(2_100_000), '2.10s');
  assert.equal(formatLatencyUs(125_000_000), '125s');
  assert.equal(formatLatencyUs(Number.POSITIVE_INFINITY), '-');
});

test('formatPercent', () => {
  assert.equal(formatPercent(0), '0%');
  assert.equal(formatPercent(0.125), '12.5%');
  assert.equal(formatPercent(1), '100.0%');
  assert.equal(formatPercent(0.0005), '0.05%');
  assert.equal(formatPercent(0.000001), '<0.01%');
});

test('alignColumns pads to the widest cell, right-aligning where asked', () => {
  assert.deepEqual(
    alignColumns(
      [
        ['a', '1', 'x'],
        ['bbb', '1,000', ''],
      ],
      [false, true, false],
    ),
    ['a        1  x', 'bbb  1,000'],
  );
});

test('formatSummary: title, one row per group, totals, notes', () => {
  const lines = formatSummary(pipeline()).split('\n');
  assert.deepEqual(lines, [
    'pipeline · tcp · measured 5s after 1s warm-up · complete',
    'group      type      sent  received        lost  dup  reord  msgs/s  MB/s     p50    p99     max',
    '------------------------------------------------------------------------------------------------',
    'producers  push×2  10,000         -           -    -      -    2.0k  0.13       -      -       -',
    'workers    pull×4       -     9,800  200 (2.0%)    1      0    2.0k  0.13  85.0us  210us  1.23ms',
    '------------------------------------------------------------------------------------------------',
    'total              10,000     9,800  200 (2.0%)    1      0    2.0k  0.13  85.0us  210us  1.23ms',
    'latency: one-way (workers)',
    'loss in workers: head 0, midstream 0, tail 200',
  ]);
});

test('formatSummary: an incomplete run lists its problems and each group error once', () => {
  const r = pipeline({ complete: false, problems: ['workers[1] crashed: boom'] });
  r.groups[1]!.errors = ['workers[1] crashed: boom', 'EAGAIN on close'];
  const text = formatSummary(r);
  const lines = text.split('\n');
  assert.equal(lines[0], 'pipeline · tcp · measured 5s after 1s warm-up · incomplete');
  assert.deepEqual(lines.slice(-3), ['problems:', '  - workers[1] crashed: boom', '  - workers: EAGAIN on close']);
  const never = pipeline({ complete: false, timing: { ...pipeline().timing, measuredMs: 0 } });
  assert.equal(formatSummary(never).split('\n')[0], 'pipeline · tcp · nothing measured · incomplete');
});

test('formatSummary: round trips, misrouting, and no latency samples', () => {
  const r = pipeline({
    scenario: { name: 'rr' },
    endpoints: { svc: ['ipc:///tmp/x'] },
    timing: { ...pipeline().timing, warmupMs: 0, measuredMs: 2500 },
    totals: flow({ sent: 10, received: 10, latencyKind: 'mixed', latency: LAT }),
    groups: [
      group(
        { name: 'clients', type: 'req', direction: 'round-trips' },
        { sent: 10, received: 10, misrouted: 2, latencyKind: 'round-trip', latency: LAT },
      ),
      group({ name: 'server', type: 'rep', direction: 'relays' }, { sent: 10, received: 10 }),
    ],
  });
  const lines = formatSummary(r).split('\n');
  // the transport comes from the address scheme when the scenario does not name it
  assert.equal(lines[0], 'rr · ipc · measured 2.5s · complete');
  assert.match(lines[3]!, /^clients +req×1 +10 +10 +0 +0 +0 +0 +0\.00 +85\.0us +210us +1\.23ms$/);
  assert.match(lines[4]!, /^server +rep×1 +10 +10 +0 +0 +0 +0 +0\.00 +- +- +-$/);
  // 'mixed' latency (one-way and round trips merged) is not shown as one figure
  assert.match(lines[6]!, /^total +10 +10 +0 +0 +0 +0 +0\.00 +- +- +-$/);
  assert.deepEqual(lines.slice(7), ['latency: round trip (clients)', 'misrouted replies in clients: 2']);
});

test('formatSummary: colours only when asked, and they do not shift the columns', () => {
  const plain = formatSummary(pipeline());
  assert.doesNotMatch(plain, /\u001b\[/);
  const coloured = formatSummary(pipeline(), { color: true });
  assert.match(coloured, /\u001b\[/);
  assert.equal(coloured.replace(/\u001b\[[0-9;]*m/g, ''), plain);
});

test('formatSummary: a note when latency from the actual send differs notably from latency (the sender fell behind)', () => {
  const r = pipeline();
  // from the intended time p99 210us; from the actual send 50us: the schedule fell behind
  r.groups[1]!.latencyFromSend = { ...LAT, p50: 40, p99: 50 };
  const lines = formatSummary(r).split('\n');
  assert.deepEqual(lines.slice(7), [
    'latency: one-way (workers)',
    'latency from the actual send: workers p50 40.0us, p99 50.0us (the schedule fell behind: see send lag)',
    'loss in workers: head 0, midstream 0, tail 200',
  ]);
  // within 10%: no note; not measured (an older result): no note
  r.groups[1]!.latencyFromSend = { ...LAT, p99: 200 };
  assert.doesNotMatch(formatSummary(r), /from the actual send/);
  delete (r.groups[1] as Partial<(typeof r.groups)[number]>).latencyFromSend;
  assert.doesNotMatch(formatSummary(r), /from the actual send/);
});

test('formatSummary: a run with a native group names every group engine after the table; a zeromq.js-only run does not', () => {
  const lines = formatSummary(mixedEngines()).split('\n');
  assert.equal(lines[7], 'engines: producers native, workers zeromq.js');
  assert.deepEqual(lines.slice(8), ['latency: one-way (workers)', 'loss in workers: head 0, midstream 0, tail 200']);
  assert.doesNotMatch(formatSummary(pipeline()), /engines?:/);
  // a result written before engines existed names none: zeromq.js
  const old = pipeline();
  for (const g of old.groups) delete (g as { engine?: string }).engine;
  assert.equal(formatSummary(old), formatSummary(pipeline()));
});
