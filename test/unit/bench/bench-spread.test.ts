import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pairsOf, spread } from '../../../bench/spread.js';

test('the spread of a figure over runs is its median and range', () => {
  assert.deepEqual(spread([410, 190, 250]), { median: 250, min: 190, max: 410 });
  assert.deepEqual(spread([4, 1, 3, 2]), { median: 2.5, min: 1, max: 4 });
  assert.ok(Number.isNaN(spread([]).median));
});

test('runs are paired by their place, and a pair with a failed or zero reference is left out', () => {
  assert.deepEqual(pairsOf([10, null, 0, 20, Number.NaN], [11, 12, 13, null, 14]), [[10, 11]]);
  assert.deepEqual(pairsOf([1, 2, 3], [4, 5]), [
    [1, 4],
    [2, 5],
  ]);
  assert.deepEqual(pairsOf([], []), []);
});
