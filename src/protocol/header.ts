/**
 * The binary header at the start of every data frame (little-endian, 32 bytes):
 *
 *   offset 0  u8   version (1)
 *   offset 1  u8   flags (bit 0: warm-up, bit 1: barrier probe)
 *   offset 2  u16  stream: topic index of a pub, else 0
 *   offset 4  u32  source id: the sending socket, unique in the run
 *   offset 8  u32  sequence number, high 32 bits
 *   offset 12 u32  sequence number, low 32 bits (0, 1, 2, ... per source and stream)
 *   offset 16 i64  intended send time, ns (process.hrtime.bigint)
 *   offset 24 i64  actual send time, ns
 *
 * The rest of the frame is zero padding up to the configured message size.
 */

export const HEADER_VERSION = 1;
export const HEADER_BYTES = 32;
export const FLAG_WARMUP = 1;
export const FLAG_PROBE = 2;

export interface Header {
  flags: number;
  stream: number;
  sourceId: number;
  seq: number;
  intendedNs: bigint;
  sentNs: bigint;
}

const TWO_32 = 2 ** 32;

/**
 * A fresh buffer for every message: zeromq.js sends buffers over 128 bytes without copying,
 * so reusing one after `await send()` corrupts what the peer receives (ZEROMQ-NOTES trap 3).
 */
export function encodeHeader(sizeBytes: number, h: Header): Buffer {
  const buf = Buffer.alloc(Math.max(sizeBytes, HEADER_BYTES));
  buf.writeUInt8(HEADER_VERSION, 0);
  buf.writeUInt8(h.flags, 1);
  buf.writeUInt16LE(h.stream, 2);
  buf.writeUInt32LE(h.sourceId, 4);
  buf.writeUInt32LE(Math.floor(h.seq / TWO_32), 8);
  buf.writeUInt32LE(h.seq >>> 0, 12);
  buf.writeBigInt64LE(h.intendedNs, 16);
  buf.writeBigInt64LE(h.sentNs, 24);
  return buf;
}

/** undefined when the frame is too short or of another version: not ours. */
export function decodeHeader(frame: Uint8Array): Header | undefined {
  if (frame.length < HEADER_BYTES) return undefined;
  const buf = Buffer.isBuffer(frame) ? frame : Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength);
  if (buf.readUInt8(0) !== HEADER_VERSION) return undefined;
  return {
    flags: buf.readUInt8(1),
    stream: buf.readUInt16LE(2),
    sourceId: buf.readUInt32LE(4),
    seq: buf.readUInt32LE(8) * TWO_32 + buf.readUInt32LE(12),
    intendedNs: buf.readBigInt64LE(16),
    sentNs: buf.readBigInt64LE(24),
  };
}
