/**
 * CURVE public keys as scenarios write them: Z85 text, 40 characters for 32 bytes (what
 * `zmq.curveKeyPair()` and libzmq's curve_keygen print). Pure: no zeromq here.
 */

/** The Z85 alphabet (ZeroMQ RFC 32), in digit order. */
const Z85 = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#';

/** 40 Z85 characters; `-` last so the class reads the same with and without the `u` flag. */
export const CURVE_KEY_PATTERN = '^[0-9a-zA-Z.:+=^!/*?&<>()\\[\\]{}@%$#-]{40}$';

export const CURVE_KEY_MESSAGE = 'must be a CURVE public key: 40 Z85 characters, as zmq.curveKeyPair() or curve_keygen print them';

/**
 * Whether libzmq will take this text as a key: 40 Z85 characters whose every 5-character
 * group stands for at most 0xffffffff. The pattern alone lets through groups such as "#####"
 * that libzmq refuses (EINVAL when the socket option is set; measured).
 */
export function isCurveKey(text: string): boolean {
  if (!new RegExp(CURVE_KEY_PATTERN).test(text)) return false;
  for (let i = 0; i < text.length; i += 5) {
    let value = 0;
    for (const c of text.slice(i, i + 5)) value = value * 85 + Z85.indexOf(c);
    if (value > 0xffffffff) return false;
  }
  return true;
}

/** Z85 text of bytes whose length is a multiple of 4 (ZeroMQ RFC 32): a raw 32-byte key → its 40 characters. */
export function z85Encode(bytes: Uint8Array): string {
  if (bytes.length % 4 !== 0) throw new RangeError(`Z85 encodes multiples of 4 bytes, not ${bytes.length}`);
  let text = '';
  for (let i = 0; i < bytes.length; i += 4) {
    let value = ((bytes[i]! << 24) | (bytes[i + 1]! << 16) | (bytes[i + 2]! << 8) | bytes[i + 3]!) >>> 0;
    let group = '';
    for (let d = 0; d < 5; d++) {
      group = Z85[value % 85]! + group;
      value = Math.floor(value / 85);
    }
    text += group;
  }
  return text;
}

/** The bytes of Z85 text that `isCurveKey` accepts (or any valid Z85 whose length is a multiple of 5). */
export function z85Decode(text: string): Buffer {
  if (text.length % 5 !== 0) throw new RangeError(`Z85 decodes multiples of 5 characters, not ${text.length}`);
  const bytes = Buffer.alloc((text.length / 5) * 4);
  for (let i = 0; i < text.length; i += 5) {
    let value = 0;
    for (const c of text.slice(i, i + 5)) {
      const digit = Z85.indexOf(c);
      if (digit < 0) throw new RangeError(`not a Z85 character: ${JSON.stringify(c)}`);
      value = value * 85 + digit;
    }
    if (value > 0xffffffff) throw new RangeError(`Z85 group ${JSON.stringify(text.slice(i, i + 5))} is more than 32 bits`);
    bytes.writeUInt32BE(value, (i / 5) * 4);
  }
  return bytes;
}
