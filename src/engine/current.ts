import type { CurveKeyPair } from '../scenario/plan.js';
import type { EngineName } from '../scenario/schema.js';
import type { EngineVersions, SocketEngine } from './engine.js';
import { loadNativeEngine, type NativeEngine } from './native/native-engine.js';
import { zeromqjsEngine } from './zeromqjs-engine.js';

/**
 * The engines of a run, by name. zeromq.js is the default; the native engine is loaded on
 * first ask only (native-engine.ts loads koffi lazily), so a thread whose roles all use
 * zeromq.js never loads koffi.
 */

/** The zeromq.js engine's versions, for the result's environment. */
export const versions: EngineVersions = zeromqjsEngine.versions;

/** A new CURVE key pair (Z85 text), for one run. zeromq.js's keys suit both engines (Z85 text). */
export function curveKeyPair(): CurveKeyPair {
  return zeromqjsEngine.curveKeyPair();
}

/** The native engine, or an Error carrying the one-line reason it cannot be loaded here. */
export function nativeEngine(): NativeEngine {
  const load = loadNativeEngine();
  if ('reason' in load) throw new Error(load.reason);
  return load.engine;
}

/** The engine a role asks for. Throws (with the reason) when the native engine cannot be loaded. */
export function engineNamed(name: EngineName): SocketEngine {
  return name === 'native' ? nativeEngine() : zeromqjsEngine;
}

/** What the result's environment says of the native engine: the library file and its libzmq version. */
export interface NativeEngineFacts {
  library: string;
  libzmq: string;
}

/** The native engine's facts when it loads here, else null (asked only when a group ran native). */
export function nativeEngineFacts(): NativeEngineFacts | null {
  const load = loadNativeEngine();
  return 'engine' in load ? { library: load.engine.library, libzmq: load.engine.versions.libzmq } : null;
}
