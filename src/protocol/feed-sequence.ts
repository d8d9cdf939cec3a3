import type { SequenceLocation } from '../scenario/external-schema.js';
import { jsonField } from './content-check.js';

/**
 * Reads the sequence number a foreign feed carries: a binary integer at a byte offset, or an
 * integer JSON field. undefined when the frame is too short, not JSON, or the field is not a
 * whole number >= 0 (counted as unreadable; ForeignTraffic uses -1 for "none yet").
 */
export function sequenceReader(location: SequenceLocation): (frame: Buffer) => number | undefined {
  if (location.kind === 'json') {
    const path = location.field.split('.');
    return (frame) => {
      const { found, value } = jsonField(frame, path);
      return found && typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : undefined;
    };
  }
  const { offset, type } = location;
  const width = type === 'u8' ? 1 : type.startsWith('u16') ? 2 : type.startsWith('u32') ? 4 : 8;
  return (frame) => {
    if (frame.length < offset + width) return undefined;
    switch (type) {
      case 'u8':
        return frame.readUInt8(offset);
      case 'u16be':
        return frame.readUInt16BE(offset);
      case 'u16le':
        return frame.readUInt16LE(offset);
      case 'u32be':
        return frame.readUInt32BE(offset);
      case 'u32le':
        return frame.readUInt32LE(offset);
      case 'u64be':
      case 'u64le': {
        const v = type === 'u64be' ? frame.readBigUInt64BE(offset) : frame.readBigUInt64LE(offset);
        return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : undefined;
      }
    }
  };
}
