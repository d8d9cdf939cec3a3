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
 *
 * Both ends run once per message, so they avoid Buffer's checked write/read methods and BigInt
 * arithmetic (bench/micro.ts: about 4× and 7× cheaper than with them).
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

// The header is built here, then copied into the message: a DataView on a new message's own
// ArrayBuffer costs more than the copy (V8 must materialise the buffer of a small typed array).
const scratch = new DataView(new ArrayBuffer(HEADER_BYTES));
const scratchBytes = new Uint8Array(scratch.buffer);

/**
 * A fresh buffer for every message: zeromq.js sends buffers over 128 bytes without copying,
 * so reusing one after `await send()` corrupts what the peer receives (trap 3).
 */
export function encodeHeader(sizeBytes: number, h: Header): Buffer {
  return encodeHeaderFields(sizeBytes, h.flags, h.stream, h.sourceId, h.seq, h.intendedNs, h.sentNs);
}

/** encodeHeader without building a Header first (the sender's hot path). */
export function encodeHeaderFields(
  sizeBytes: number,
  flags: number,
  stream: number,
  sourceId: number,
  seq: number,
  intendedNs: bigint,
  sentNs: bigint,
): Buffer {
  // Buffer.alloc zero-fills, which is the padding.
  return encodeHeaderInto(
    Buffer.alloc(sizeBytes > HEADER_BYTES ? sizeBytes : HEADER_BYTES),
    flags,
    stream,
    sourceId,
    seq,
    intendedNs,
    sentNs,
  );
}

/**
 * Writes the header over the first HEADER_BYTES of `buf` and leaves the rest (the padding) as
 * it is: a frame made by encodeHeaderFields can be stamped again for the next message, where
 * the engine has copied the last one (SocketEngine.synchronous).
 */
export function encodeHeaderInto(
  buf: Buffer,
  flags: number,
  stream: number,
  sourceId: number,
  seq: number,
  intendedNs: bigint,
  sentNs: bigint,
): Buffer {
  scratch.setUint32(0, HEADER_VERSION | ((flags & 0xff) << 8) | ((stream & 0xffff) << 16), true);
  scratch.setUint32(4, sourceId, true);
  scratch.setUint32(8, Math.floor(seq / TWO_32), true);
  scratch.setUint32(12, seq >>> 0, true);
  scratch.setBigInt64(16, intendedNs, true);
  scratch.setBigInt64(24, sentNs, true);
  buf.set(scratchBytes);
  return buf;
}

const u32At = (b: Uint8Array, o: number): number => (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;
const i32At = (b: Uint8Array, o: number): number => b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24);
const i64At = (b: Uint8Array, o: number): bigint => new DataView(b.buffer, b.byteOffset, b.byteLength).getBigInt64(o, true);

/**
 * A received header. The two times are also Numbers, which is what latency needs, so the
 * receiver makes no BigInt: exact below 2^53 ns of the monotonic clock (104 days of uptime),
 * then within a few ns. The BigInt fields are read from the frame only when asked for.
 */
export class DecodedHeader implements Header {
  constructor(
    private readonly frame: Uint8Array,
    public flags: number,
    public stream: number,
    public sourceId: number,
    public seq: number,
    /** intended send time, ns */
    readonly intendedNsNumber: number,
    /** actual send time, ns */
    readonly sentNsNumber: number,
  ) {}

  get intendedNs(): bigint {
    return i64At(this.frame, 16);
  }

  get sentNs(): bigint {
    return i64At(this.frame, 24);
  }
}

/** undefined when the frame is too short or of another version: not ours. */
export function decodeHeader(frame: Uint8Array): DecodedHeader | undefined {
  if (frame.length < HEADER_BYTES || frame[0] !== HEADER_VERSION) return undefined;
  return new DecodedHeader(
    frame,
    frame[1]!,
    frame[2]! | (frame[3]! << 8),
    u32At(frame, 4),
    u32At(frame, 8) * TWO_32 + u32At(frame, 12),
    i32At(frame, 20) * TWO_32 + u32At(frame, 16),
    i32At(frame, 28) * TWO_32 + u32At(frame, 24),
  );
}
