import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sequenceReader } from '../../../src/protocol/feed-sequence.js';
import type { SequenceType } from '../../../src/scenario/external-schema.js';

/** A 16-byte frame of 0xee with `write` applied, so every byte outside the integer is noise. */
function frame(write: (b: Buffer) => void, length = 16): Buffer {
  const b = Buffer.alloc(length, 0xee);
  write(b);
  return b;
}

const binary = (type: SequenceType, offset: number) => sequenceReader({ kind: 'binary', type, offset });

describe('sequenceReader: binary integers', () => {
  const cases: Array<[SequenceType, (b: Buffer) => void, number]> = [
    ['u8', (b) => b.writeUInt8(0xfe, 3), 254],
    ['u16be', (b) => b.writeUInt16BE(0x1234, 3), 0x1234],
    ['u16le', (b) => b.writeUInt16LE(0x1234, 3), 0x1234],
    ['u32be', (b) => b.writeUInt32BE(0xdeadbeef, 3), 3_735_928_559],
    ['u32le', (b) => b.writeUInt32LE(0xdeadbeef, 3), 3_735_928_559],
    ['u64be', (b) => b.writeBigUInt64BE(1_234_567_890_123n, 3), 1_234_567_890_123],
    ['u64le', (b) => b.writeBigUInt64LE(1_234_567_890_123n, 3), 1_234_567_890_123],
  ];
  for (const [type, write, expected] of cases) {
    it(`reads ${type} at offset 3`, () => {
      assert.equal(binary(type, 3)(frame(write)), expected);
    });
  }

  it('tells big from little endian', () => {
    const b = Buffer.from([0x01, 0x02, 0x03, 0x04]);
    assert.deepEqual(
      (['u8', 'u16be', 'u16le', 'u32be', 'u32le'] as const).map((t) => binary(t, 0)(b)),
      [0x01, 0x0102, 0x0201, 0x01020304, 0x04030201],
    );
    const wide = Buffer.from([0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x02, 0x03]);
    assert.deepEqual([binary('u64be', 0)(wide), binary('u64le', 0)(wide.reverse())], [0x010203, 0x010203]);
  });

  it('reads at offset 0 and at the very end of the frame', () => {
    assert.equal(binary('u32be', 0)(Buffer.from([0, 0, 1, 0])), 256);
    assert.equal(binary('u16le', 2)(Buffer.from([9, 9, 0x2c, 0x01])), 300);
  });

  it('is undefined when the frame is too short for the integer at its offset', () => {
    const widths: Array<[SequenceType, number]> = [
      ['u8', 1],
      ['u16be', 2],
      ['u16le', 2],
      ['u32be', 4],
      ['u32le', 4],
      ['u64be', 8],
      ['u64le', 8],
    ];
    for (const [type, width] of widths) {
      assert.equal(binary(type, 3)(Buffer.alloc(3 + width - 1)), undefined, `${type} in ${3 + width - 1} bytes`);
      assert.equal(binary(type, 3)(Buffer.alloc(3 + width)), 0, `${type} in ${3 + width} bytes`);
    }
    assert.equal(binary('u8', 0)(Buffer.alloc(0)), undefined);
  });

  it('reads u64 up to MAX_SAFE_INTEGER, undefined above it', () => {
    const max = BigInt(Number.MAX_SAFE_INTEGER);
    assert.equal(binary('u64be', 0)(frame((b) => b.writeBigUInt64BE(max, 0), 8)), Number.MAX_SAFE_INTEGER);
    assert.equal(binary('u64le', 0)(frame((b) => b.writeBigUInt64LE(max, 0), 8)), Number.MAX_SAFE_INTEGER);
    assert.equal(binary('u64be', 0)(frame((b) => b.writeBigUInt64BE(max + 1n, 0), 8)), undefined);
    assert.equal(binary('u64le', 0)(frame((b) => b.writeBigUInt64LE(max + 1n, 0), 8)), undefined);
    assert.equal(binary('u64be', 0)(Buffer.alloc(8, 0xff)), undefined);
  });
});

describe('sequenceReader: JSON field', () => {
  const read = sequenceReader({ kind: 'json', field: 'meta.seq' });
  const j = (text: string) => read(Buffer.from(text));

  it('reads an integer at the dot path', () => {
    assert.equal(j('{"meta":{"seq":42},"x":1}'), 42);
    assert.equal(j('{"meta":{"seq":0}}'), 0);
    assert.equal(j(`{"meta":{"seq":${Number.MAX_SAFE_INTEGER}}}`), Number.MAX_SAFE_INTEGER);
    assert.equal(sequenceReader({ kind: 'json', field: 'seq' })(Buffer.from('{"seq":7}')), 7);
  });

  it('is undefined for what is not a whole number: fractions, strings, null, unsafe and negative integers', () => {
    assert.deepEqual(
      [
        '{"meta":{"seq":4.5}}',
        '{"meta":{"seq":"42"}}',
        '{"meta":{"seq":null}}',
        '{"meta":{"seq":true}}',
        '{"meta":{"seq":[1]}}',
        '{"meta":{"seq":9007199254740993}}',
        '{"meta":{"seq":-1}}',
      ].map(j),
      [undefined, undefined, undefined, undefined, undefined, undefined, undefined],
    );
  });

  it('is undefined when the frame is not JSON or the field is missing', () => {
    assert.deepEqual(['not json', '', '{"meta":{}}', '{"seq":1}', '[1,2]'].map(j), [undefined, undefined, undefined, undefined, undefined]);
  });
});
