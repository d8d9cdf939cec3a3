import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DecodedHeader,
  FLAG_PROBE,
  FLAG_WARMUP,
  HEADER_BYTES,
  decodeHeader,
  encodeHeader,
  encodeHeaderFields,
  encodeHeaderInto,
  type Header,
} from '../../../src/protocol/header.js';

// Bytes written by the first implementation (Buffer.write* calls): the wire format must not move.
const GOLDEN: { size: number; header: Header; hex: string }[] = [
  {
    size: 64,
    header: { flags: 0, stream: 0, sourceId: 0, seq: 0, intendedNs: 0n, sentNs: 0n },
    hex: '01'.padEnd(128, '0'),
  },
  {
    size: 32,
    header: { flags: 3, stream: 65535, sourceId: 4294967295, seq: 2 ** 40 + 5, intendedNs: 9_223_372_036_854_775_807n, sentNs: -1n },
    hex: '0103ffffffffffff0001000005000000ffffffffffffff7fffffffffffffffff',
  },
  {
    size: 40,
    header: {
      flags: 1,
      stream: 258,
      sourceId: 16909060,
      seq: 4294967296 * 3 + 7,
      intendedNs: 1_234_567_890_123_456_789n,
      sentNs: 1_234_567_890_123_457_000n,
    },
    hex: '010102010403020103000000070000001581e97df4102211e881e97df41022110000000000000000',
  },
];

test('encodeHeader writes the documented little-endian layout, zero padded', () => {
  for (const g of GOLDEN) assert.equal(encodeHeader(g.size, g.header).toString('hex'), g.hex);
  assert.equal(encodeHeader(8, GOLDEN[0]!.header).length, HEADER_BYTES, 'never shorter than the header');
});

test('every message gets a buffer of its own', () => {
  const a = encodeHeader(1024, GOLDEN[2]!.header);
  const b = encodeHeader(1024, GOLDEN[2]!.header);
  assert.notEqual(a.buffer, b.buffer);
  assert.ok(a.subarray(HEADER_BYTES).every((x) => x === 0));
});

test('decodeHeader gives back every field, the times also as Numbers', () => {
  for (const g of GOLDEN) {
    const d = decodeHeader(Buffer.from(g.hex, 'hex'))!;
    assert.ok(d instanceof DecodedHeader);
    const { flags, stream, sourceId, seq, intendedNs, sentNs } = d;
    assert.deepEqual({ flags, stream, sourceId, seq, intendedNs, sentNs }, g.header);
  }
  const now = 1_700_000_123_456_789n; // ~20 days of uptime, below 2^53
  const d = decodeHeader(
    encodeHeader(64, { flags: FLAG_WARMUP | FLAG_PROBE, stream: 2, sourceId: 9, seq: 1, intendedNs: now, sentNs: now + 1234n }),
  )!;
  assert.equal(d.intendedNsNumber, Number(now));
  assert.equal(d.sentNsNumber - d.intendedNsNumber, 1234);
  assert.equal(decodeHeader(encodeHeader(32, { ...GOLDEN[0]!.header, intendedNs: -5n }))!.intendedNsNumber, -5);
});

test('decodeHeader reads a plain Uint8Array at an offset, and rejects what is not ours', () => {
  const bytes = Buffer.from(GOLDEN[2]!.hex, 'hex');
  const backing = new Uint8Array(bytes.length + 3);
  backing.set(bytes, 3);
  const d = decodeHeader(backing.subarray(3))!;
  assert.equal(d.sourceId, 16909060);
  assert.equal(d.sentNs, 1_234_567_890_123_457_000n);
  assert.equal(decodeHeader(bytes.subarray(0, HEADER_BYTES - 1)), undefined);
  const other = Buffer.from(bytes);
  other[0] = 2;
  assert.equal(decodeHeader(other), undefined);
});

test('encodeHeaderInto stamps a frame again for another message and leaves its padding as it was', () => {
  const frame = encodeHeaderFields(100, FLAG_WARMUP, 3, 7, 1, 10n, 20n);
  frame[99] = 0xab; // a byte past the header: must survive
  const again = encodeHeaderInto(frame, 0, 4, 7, 2 ** 32 + 5, 30n, 40n);
  assert.equal(again, frame);
  const h = decodeHeader(frame)!;
  assert.deepEqual([h.flags, h.stream, h.sourceId, h.seq, h.intendedNs, h.sentNs], [0, 4, 7, 2 ** 32 + 5, 30n, 40n]);
  assert.equal(frame.length, 100);
  assert.equal(frame[99], 0xab);
});
