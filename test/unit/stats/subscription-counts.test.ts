import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_NAMED_PREFIXES, mergeSubscriptions, SubscriptionCounts } from '../../../src/stats/subscription-counts.js';

const frame = (first: number, text: string) => Buffer.concat([Buffer.of(first), Buffer.from(text)]);

test('an xpub socket counts subscriptions by prefix, unsubscriptions, and anything else', () => {
  const c = new SubscriptionCounts();
  c.record([frame(1, 'news')]);
  c.record([frame(1, 'news')]);
  c.record([frame(1, '')]);
  c.record([frame(0, 'news')]);
  c.record([frame(2, 'news')]); // not a subscription message
  c.record([Buffer.alloc(0)]);
  c.record([frame(1, 'a'), frame(1, 'b')]); // a multipart message is no subscription either
  assert.deepEqual(c.report(), { subscribe: 3, unsubscribe: 1, other: 3, prefixes: { news: 2, '': 1 } });
});

test('names at most 256 prefixes, counts the rest all the same, and merges the sockets of a group', () => {
  const c = new SubscriptionCounts();
  for (let i = 0; i <= MAX_NAMED_PREFIXES; i++) c.record([frame(1, `p${i}`)]);
  const r = c.report();
  assert.equal(r.subscribe, MAX_NAMED_PREFIXES + 1);
  assert.equal(Object.keys(r.prefixes).length, MAX_NAMED_PREFIXES);
  assert.deepEqual(
    mergeSubscriptions([
      { subscribe: 2, unsubscribe: 0, other: 1, prefixes: { a: 2 } },
      { subscribe: 1, unsubscribe: 1, other: 0, prefixes: { a: 1, b: 1 } },
    ]),
    { subscribe: 3, unsubscribe: 1, other: 1, prefixes: { a: 3, b: 1 } },
  );
  assert.equal(mergeSubscriptions([]), undefined);
});
