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
